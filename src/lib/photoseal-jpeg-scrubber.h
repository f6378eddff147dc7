/* photoseal-jpeg-scrubber.h: removes metadata from a JPEG as it streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-scrubber.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_JPEG_SCRUBBER (photoseal_jpeg_scrubber_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealJpegScrubber, photoseal_jpeg_scrubber,
                      PHOTOSEAL, JPEG_SCRUBBER, PhotosealScrubber)

PhotosealJpegScrubber *photoseal_jpeg_scrubber_new (void);

G_END_DECLS
