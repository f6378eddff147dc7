/* photoseal-heif-scrubber.h: removes EXIF and XMP from a HEIF or AVIF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-scrubber.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_HEIF_SCRUBBER (photoseal_heif_scrubber_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealHeifScrubber, photoseal_heif_scrubber,
                      PHOTOSEAL, HEIF_SCRUBBER, PhotosealScrubber)

PhotosealHeifScrubber *photoseal_heif_scrubber_new (void);

G_END_DECLS
