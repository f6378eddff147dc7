/* photoseal-consent-group.c: how consent was given, and for what
 *
 * A required choice with nothing chosen at first: a default would record
 * consent nobody asked for. The methods and purposes are the library's
 * (photoseal_consent_methods (), photoseal_consent_purposes ()), one
 * check button each; purposes apply only to consent that was obtained,
 * so they are cleared and insensitive otherwise, as the manifest wants.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-consent-group"

#include "config.h"

#include "photoseal.h"
#include "photoseal-consent-group.h"

struct _PhotosealConsentGroup
{
  AdwBin parent_instance;

  GtkCheckButton *written_check;
  GtkCheckButton *verbal_check;
  GtkCheckButton *none_check;
  GtkCheckButton *not_needed_check;
  GtkCheckButton *care_check;
  GtkCheckButton *teaching_check;
  GtkCheckButton *publication_check;
  GtkWidget *purposes_group;
  AdwEntryRow *consent_note_row;
};

G_DEFINE_FINAL_TYPE (PhotosealConsentGroup, photoseal_consent_group, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_METHOD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The check button for each library value. */
static const struct {
  const char *value;
  gsize offset;
} methods[] = {
  { "written", G_STRUCT_OFFSET (PhotosealConsentGroup, written_check) },
  { "verbal", G_STRUCT_OFFSET (PhotosealConsentGroup, verbal_check) },
  { "none", G_STRUCT_OFFSET (PhotosealConsentGroup, none_check) },
  { "not_needed", G_STRUCT_OFFSET (PhotosealConsentGroup, not_needed_check) },
}, purposes[] = {
  { "care", G_STRUCT_OFFSET (PhotosealConsentGroup, care_check) },
  { "teaching", G_STRUCT_OFFSET (PhotosealConsentGroup, teaching_check) },
  { "publication", G_STRUCT_OFFSET (PhotosealConsentGroup, publication_check) },
};

#define CHECK(self, entry) G_STRUCT_MEMBER (GtkCheckButton *, self, (entry).offset)

static void
method_toggled_cb (PhotosealConsentGroup *self)
{
  gboolean obtained;

  g_assert (PHOTOSEAL_IS_CONSENT_GROUP (self));

  obtained = photoseal_consent_method_is_obtained (photoseal_consent_group_get_method (self));
  gtk_widget_set_sensitive (self->purposes_group, obtained);
  if (!obtained)
    for (guint i = 0; i < G_N_ELEMENTS (purposes); i++)
      gtk_check_button_set_active (CHECK (self, purposes[i]), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METHOD]);
}

static void
photoseal_consent_group_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PhotosealConsentGroup *self = PHOTOSEAL_CONSENT_GROUP (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      g_value_set_string (value, photoseal_consent_group_get_method (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_consent_group_class_init (PhotosealConsentGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = photoseal_consent_group_get_property;

  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/photoseal/Photoseal/photoseal-consent-group.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealConsentGroup, written_check);
  gtk_widget_class_bind_template_child (widget_class, PhotosealConsentGroup, verbal_check);
  gtk_widget_class_bind_template_child (widget_class, PhotosealConsentGroup, none_check);
  gtk_widget_class_bind_template_child (widget_class, PhotosealConsentGroup, not_needed_check);
  gtk_widget_class_bind_template_child (widget_class, PhotosealConsentGroup, care_check);
  gtk_widget_class_bind_template_child (widget_class, PhotosealConsentGroup, teaching_check);
  gtk_widget_class_bind_template_child (widget_class, PhotosealConsentGroup, publication_check);
  gtk_widget_class_bind_template_child (widget_class, PhotosealConsentGroup, purposes_group);
  gtk_widget_class_bind_template_child (widget_class, PhotosealConsentGroup, consent_note_row);
  gtk_widget_class_bind_template_callback (widget_class, method_toggled_cb);
}

static void
photoseal_consent_group_init (PhotosealConsentGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The table above must name every library value, in its order. */
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    g_assert (g_strcmp0 (photoseal_consent_methods ()[i], methods[i].value) == 0);
  for (guint i = 0; i < G_N_ELEMENTS (purposes); i++)
    g_assert (g_strcmp0 (photoseal_consent_purposes ()[i], purposes[i].value) == 0);
}

/* The chosen method, as the manifest spells it, or %NULL before a choice. */
const char *
photoseal_consent_group_get_method (PhotosealConsentGroup *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_CONSENT_GROUP (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (gtk_check_button_get_active (CHECK (self, methods[i])))
      return methods[i].value;
  return NULL;
}

/* The purposes ticked, in the library's order; empty unless obtained. */
GStrv
photoseal_consent_group_dup_purposes (PhotosealConsentGroup *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PHOTOSEAL_IS_CONSENT_GROUP (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (purposes); i++)
    if (gtk_check_button_get_active (CHECK (self, purposes[i])))
      g_strv_builder_add (builder, purposes[i].value);
  return g_strv_builder_end (builder);
}

/* The note, or %NULL when empty. */
const char *
photoseal_consent_group_get_note (PhotosealConsentGroup *self)
{
  const char *text;

  g_return_val_if_fail (PHOTOSEAL_IS_CONSENT_GROUP (self), NULL);

  text = gtk_editable_get_text (GTK_EDITABLE (self->consent_note_row));
  return *text ? text : NULL;
}

/* Nothing chosen, as for the next file. */
void
photoseal_consent_group_reset (PhotosealConsentGroup *self)
{
  g_return_if_fail (PHOTOSEAL_IS_CONSENT_GROUP (self));

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    gtk_check_button_set_active (CHECK (self, methods[i]), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->consent_note_row), "");
}
