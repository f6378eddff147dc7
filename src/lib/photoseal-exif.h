/* photoseal-exif.h: the little of EXIF that metadata removal keeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

guint   photoseal_exif_get_orientation      (const guint8 *tiff,
                                             gsize         len,
                                             gboolean     *has_gps);
GBytes *photoseal_exif_new_orientation_only (guint         orientation);

G_END_DECLS
