/* photoseal-metadata.h: what metadata removal removed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  PHOTOSEAL_METADATA_NONE = 0,
  PHOTOSEAL_METADATA_EXIF = 1 << 0,
  PHOTOSEAL_METADATA_GPS = 1 << 1,
  PHOTOSEAL_METADATA_XMP = 1 << 2,
  PHOTOSEAL_METADATA_IPTC = 1 << 3,
  PHOTOSEAL_METADATA_COMMENT = 1 << 4,
  PHOTOSEAL_METADATA_THUMBNAIL = 1 << 5,
  PHOTOSEAL_METADATA_TEXT = 1 << 6,
  PHOTOSEAL_METADATA_TRAILER = 1 << 7,
  PHOTOSEAL_METADATA_OTHER = 1 << 8,
} PhotosealMetadata;

GConverter        *photoseal_scrubber_new_for_content_type (const char        *content_type);
PhotosealMetadata  photoseal_scrubber_get_removed          (GConverter        *scrubber);
char              *photoseal_metadata_describe             (PhotosealMetadata  removed);

G_END_DECLS
