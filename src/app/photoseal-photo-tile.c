/* photoseal-photo-tile.c: one photo to seal, as a thumbnail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-photo-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-image-loader.h"
#include "photoseal-photo-tile.h"

#define THUMBNAIL_SIZE 160

struct _PhotosealPhotoTile
{
  GtkWidget parent_instance;

  GFile *file;
  GCancellable *cancellable;
  GtkWidget *overlay;
  GtkWidget *picture;
  gboolean loaded;
};

G_DEFINE_FINAL_TYPE (PhotosealPhotoTile, photoseal_photo_tile, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
thumbnail_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PhotosealPhotoTile) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_PHOTO_TILE (self));

  texture = photoseal_image_load_finish (result, &error);
  if (self->overlay == NULL)
    return;
  if (texture == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (
                                                              GTK_WIDGET (self)));
      g_autoptr(GtkIconPaintable) icon = NULL;

      g_debug ("No thumbnail: %s", error->message);
      icon = gtk_icon_theme_lookup_icon (theme, "image-missing", NULL, 64, 1,
                                         GTK_TEXT_DIR_NONE, 0);
      gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (icon));
    }
  else
    gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
photoseal_photo_tile_dispose (GObject *object)
{
  PhotosealPhotoTile *self = (PhotosealPhotoTile *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->overlay, gtk_widget_unparent);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (photoseal_photo_tile_parent_class)->dispose (object);
}

static void
photoseal_photo_tile_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PhotosealPhotoTile *self = PHOTOSEAL_PHOTO_TILE (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_photo_tile_class_init (PhotosealPhotoTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = photoseal_photo_tile_dispose;
  object_class->get_property = photoseal_photo_tile_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "photo-tile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
photoseal_photo_tile_init (PhotosealPhotoTile *self)
{
  self->cancellable = g_cancellable_new ();
  self->overlay = gtk_overlay_new ();
  gtk_widget_set_parent (self->overlay, GTK_WIDGET (self));

  self->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
  gtk_widget_set_size_request (self->picture, THUMBNAIL_SIZE * 3 / 4, THUMBNAIL_SIZE * 3 / 4);
  gtk_widget_add_css_class (self->picture, "card");
  gtk_overlay_set_child (GTK_OVERLAY (self->overlay), self->picture);
}

GtkWidget *
photoseal_photo_tile_new (GFile *file)
{
  PhotosealPhotoTile *self;
  g_autofree char *name = NULL;
  g_autofree char *remove_label = NULL;
  GtkWidget *remove;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (PHOTOSEAL_TYPE_PHOTO_TILE, NULL);
  self->file = g_object_ref (file);
  name = g_file_get_basename (file);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  /* The remove button carries the file's URI, so one page action serves
   * every tile and works from the keyboard. */
  remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  remove_label = g_strdup_printf (_("Remove %s"), name);
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  gtk_widget_set_halign (remove, GTK_ALIGN_END);
  gtk_widget_set_valign (remove, GTK_ALIGN_START);
  gtk_widget_set_margin_top (remove, 6);
  gtk_widget_set_margin_end (remove, 6);
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_add_css_class (remove, "osd");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "compose.remove-photo");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (remove),
                                          g_variant_new_take_string (g_file_get_uri (file)));
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), remove);

  photoseal_image_load_async (file, NULL, THUMBNAIL_SIZE, self->cancellable, thumbnail_cb,
                              g_object_ref (self));
  return GTK_WIDGET (self);
}

GFile *
photoseal_photo_tile_get_file (PhotosealPhotoTile *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_PHOTO_TILE (self), NULL);

  return self->file;
}

/* Whether the thumbnail has been decoded (or found undecodable). */
gboolean
photoseal_photo_tile_get_loaded (PhotosealPhotoTile *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_PHOTO_TILE (self), FALSE);

  return self->loaded;
}
