/* photoseal-png-scrubber.h: removes metadata from a PNG as it streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-scrubber.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_PNG_SCRUBBER (photoseal_png_scrubber_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealPngScrubber, photoseal_png_scrubber,
                      PHOTOSEAL, PNG_SCRUBBER, PhotosealScrubber)

PhotosealPngScrubber *photoseal_png_scrubber_new (void);

G_END_DECLS
