/* photoseal-image-loader.h: photos decoded off the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Larger images are refused before any pixel buffer is allocated. */
#define PHOTOSEAL_IMAGE_MAX_PIXELS (200 * 1000 * 1000)

void        photoseal_image_load_async  (GFile               *file,
                                         GInputStream        *stream,
                                         int                  max_size,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GdkTexture *photoseal_image_load_finish (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
