/* photoseal-viewer-layout.h: the details beside the photos, or above them when narrow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_VIEWER_LAYOUT (photoseal_viewer_layout_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealViewerLayout, photoseal_viewer_layout, PHOTOSEAL, VIEWER_LAYOUT,
                      GtkWidget)

gboolean photoseal_viewer_layout_get_stacked (PhotosealViewerLayout *self);

G_END_DECLS
