/* photoseal-viewer-layout.c: the details beside the photos, or above them when narrow
 *
 * Wide, the details are a column on the left; below STACK_BELOW pixels
 * they go above the photos, at their natural height up to half the
 * window, so that a phone shows "MRN-004" whole instead of a column a few
 * letters wide. The choice is made on every allocation, from the width
 * given, so it needs neither AdwBreakpoint (libadwaita 1.4) nor a
 * property changed while allocating: the same code runs on libadwaita 1.2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-viewer-layout"

#include "config.h"

#include "photoseal-viewer-layout.h"

#define STACK_BELOW 640
#define COLUMN_WIDTH 320

struct _PhotosealViewerLayout
{
  GtkWidget parent_instance;

  GtkWidget *details;
  GtkWidget *photos;
  gboolean stacked;
};

G_DEFINE_FINAL_TYPE (PhotosealViewerLayout, photoseal_viewer_layout, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DETAILS,
  PROP_PHOTOS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
measure_child (GtkWidget      *child,
               GtkOrientation  orientation,
               int             for_size,
               int            *minimum,
               int            *natural)
{
  *minimum = *natural = 0;
  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
}

static void
photoseal_viewer_layout_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  PhotosealViewerLayout *self = PHOTOSEAL_VIEWER_LAYOUT (widget);
  int details_min, details_nat, photos_min, photos_nat;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Stacked, the narrowest child decides; side by side is natural. */
      measure_child (self->details, orientation, -1, &details_min, &details_nat);
      measure_child (self->photos, orientation, -1, &photos_min, &photos_nat);
      *minimum = MAX (details_min, photos_min);
      *natural = MAX (COLUMN_WIDTH, details_nat) + MAX (STACK_BELOW - COLUMN_WIDTH, photos_nat);
      return;
    }
  measure_child (self->details, orientation, for_size, &details_min, &details_nat);
  measure_child (self->photos, orientation, for_size, &photos_min, &photos_nat);
  if (for_size >= 0 && for_size < STACK_BELOW)
    {
      *minimum = details_min + photos_min;
      *natural = details_nat + photos_nat;
    }
  else
    {
      *minimum = MAX (details_min, photos_min);
      *natural = MAX (details_nat, photos_nat);
    }
}

static void
photoseal_viewer_layout_size_allocate (GtkWidget *widget,
                                       int        width,
                                       int        height,
                                       int        baseline)
{
  PhotosealViewerLayout *self = PHOTOSEAL_VIEWER_LAYOUT (widget);
  int details_min, details_nat, photos_min, photos_nat, split;

  self->stacked = width < STACK_BELOW;
  if (!self->stacked)
    {
      split = MIN (COLUMN_WIDTH, width / 2);
      gtk_widget_size_allocate (self->details, &(GtkAllocation) { 0, 0, split, height }, -1);
      gtk_widget_size_allocate (self->photos, &(GtkAllocation) { split + 1, 0,
                                                                 width - split - 1, height }, -1);
      return;
    }
  measure_child (self->details, GTK_ORIENTATION_VERTICAL, width, &details_min, &details_nat);
  measure_child (self->photos, GTK_ORIENTATION_VERTICAL, width, &photos_min, &photos_nat);
  /* The details at their natural height, up to half; the photos keep
   * their minimum whatever happens. */
  split = MAX (details_min, MIN (details_nat, height / 2));
  split = MIN (split, MAX (details_min, height - photos_min - 1));
  gtk_widget_size_allocate (self->details, &(GtkAllocation) { 0, 0, width, split }, -1);
  gtk_widget_size_allocate (self->photos, &(GtkAllocation) { 0, split + 1, width,
                                                             MAX (0, height - split - 1) }, -1);
}

/* A hairline between the two, where GtkPaned had its handle. */
static void
photoseal_viewer_layout_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  PhotosealViewerLayout *self = PHOTOSEAL_VIEWER_LAYOUT (widget);
  GdkRGBA line = { 0, 0, 0, 0.15 };
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int split = self->stacked ? gtk_widget_get_height (self->details)
                            : gtk_widget_get_width (self->details);

  GTK_WIDGET_CLASS (photoseal_viewer_layout_parent_class)->snapshot (widget, snapshot);
  gtk_snapshot_append_color (snapshot, &line,
                             self->stacked ? &GRAPHENE_RECT_INIT (0, split, width, 1)
                                           : &GRAPHENE_RECT_INIT (split, 0, 1, height));
}

static void
set_child (PhotosealViewerLayout  *self,
           GtkWidget             **slot,
           GtkWidget              *child)
{
  if (*slot != NULL)
    gtk_widget_unparent (*slot);
  *slot = child;
  if (child != NULL)
    gtk_widget_set_parent (child, GTK_WIDGET (self));
  /* The details come first for the keyboard and for screen readers. */
  if (self->details != NULL && self->photos != NULL)
    gtk_widget_insert_before (self->details, GTK_WIDGET (self), self->photos);
}

static void
photoseal_viewer_layout_dispose (GObject *object)
{
  PhotosealViewerLayout *self = PHOTOSEAL_VIEWER_LAYOUT (object);

  g_clear_pointer (&self->details, gtk_widget_unparent);
  g_clear_pointer (&self->photos, gtk_widget_unparent);

  G_OBJECT_CLASS (photoseal_viewer_layout_parent_class)->dispose (object);
}

static void
photoseal_viewer_layout_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PhotosealViewerLayout *self = PHOTOSEAL_VIEWER_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_DETAILS:
      g_value_set_object (value, self->details);
      break;
    case PROP_PHOTOS:
      g_value_set_object (value, self->photos);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_viewer_layout_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  PhotosealViewerLayout *self = PHOTOSEAL_VIEWER_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_DETAILS:
      set_child (self, &self->details, g_value_get_object (value));
      break;
    case PROP_PHOTOS:
      set_child (self, &self->photos, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_viewer_layout_class_init (PhotosealViewerLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = photoseal_viewer_layout_dispose;
  object_class->get_property = photoseal_viewer_layout_get_property;
  object_class->set_property = photoseal_viewer_layout_set_property;
  widget_class->measure = photoseal_viewer_layout_measure;
  widget_class->size_allocate = photoseal_viewer_layout_size_allocate;
  widget_class->snapshot = photoseal_viewer_layout_snapshot;

  properties[PROP_DETAILS] =
    g_param_spec_object ("details", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHOTOS] =
    g_param_spec_object ("photos", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (widget_class, "viewer-layout");
}

static void
photoseal_viewer_layout_init (PhotosealViewerLayout *self)
{
}

/* Whether the last allocation put the details above the photos. */
gboolean
photoseal_viewer_layout_get_stacked (PhotosealViewerLayout *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_VIEWER_LAYOUT (self), FALSE);

  return self->stacked;
}
