/* photoseal-photo-tile.h: one photo to seal, as a thumbnail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_PHOTO_TILE (photoseal_photo_tile_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealPhotoTile, photoseal_photo_tile, PHOTOSEAL, PHOTO_TILE, GtkWidget)

GtkWidget *photoseal_photo_tile_new      (GFile              *file);
GFile     *photoseal_photo_tile_get_file (PhotosealPhotoTile *self);
gboolean   photoseal_photo_tile_get_loaded (PhotosealPhotoTile *self);

G_END_DECLS
