/* photoseal-metadata.h: what metadata removal removed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * PhotosealMetadata:
 * @PHOTOSEAL_METADATA_NONE: nothing was removed; the image passed through unchanged.
 * @PHOTOSEAL_METADATA_EXIF: EXIF camera data (make, model, dates, serial numbers,
 *   maker notes, the EXIF thumbnail). Its orientation, if any, is kept.
 * @PHOTOSEAL_METADATA_GPS: the EXIF data held a GPS location.
 * @PHOTOSEAL_METADATA_XMP: XMP packets, including JPEG's extended XMP and PNG's
 *   "XML:com.adobe.xmp" text chunk.
 * @PHOTOSEAL_METADATA_IPTC: IPTC captions and keywords (JPEG's Photoshop APP13
 *   segment, PNG's "Raw profile type iptc" chunk).
 * @PHOTOSEAL_METADATA_COMMENT: JPEG comment segments and PNG "Comment" text.
 * @PHOTOSEAL_METADATA_THUMBNAIL: a JFIF or JFXX thumbnail of a JPEG.
 * @PHOTOSEAL_METADATA_TEXT: other PNG text chunks (tEXt, zTXt, iTXt).
 * @PHOTOSEAL_METADATA_TRAILER: data after the end of the image, such as the
 *   secondary images of a multi-picture JPEG or a vendor's trailer.
 * @PHOTOSEAL_METADATA_OTHER: any other segment or chunk that does not change how
 *   the image looks (application segments, PNG tIME, private chunks).
 *
 * Flags for the kinds of metadata a scrubber removed from an image.
 */
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

/**
 * PhotosealSupport:
 * @PHOTOSEAL_SUPPORT_NONE: not offered for sealing
 * @PHOTOSEAL_SUPPORT_AS_IS: sealed as it is; nothing is removed
 * @PHOTOSEAL_SUPPORT_SCRUBBED: sealed, and metadata is removed first unless
 *   the sender keeps it
 *
 * How the library seals files of a content type.
 */
typedef enum
{
  PHOTOSEAL_SUPPORT_NONE,
  PHOTOSEAL_SUPPORT_AS_IS,
  PHOTOSEAL_SUPPORT_SCRUBBED,
} PhotosealSupport;

GConverter        *photoseal_scrubber_new_for_content_type (const char         *content_type);
PhotosealMetadata  photoseal_scrubber_get_removed          (GConverter         *scrubber);
PhotosealSupport   photoseal_metadata_get_support          (const char         *content_type);
char              *photoseal_metadata_describe_formats     (void);
gboolean           photoseal_metadata_scrubbed_size        (const char         *content_type,
                                                            GInputStream       *in,
                                                            guint64            *size,
                                                            PhotosealMetadata  *removed,
                                                            GCancellable       *cancellable,
                                                            GError            **error);
char              *photoseal_metadata_describe             (PhotosealMetadata   removed);

G_END_DECLS
