/* photoseal-heif-meta.h: EXIF and XMP items out of a HEIF meta box
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-metadata.h"

G_BEGIN_DECLS

/* Bytes of the file whose item was removed, to be blanked. */
typedef struct
{
  guint64 start;
  guint64 length;
  /* What the item held. */
  PhotosealMetadata kind;
} PhotosealHeifRange;

GBytes *photoseal_heif_meta_scrub (GBytes            *meta,
                                   GArray            *ranges,
                                   PhotosealMetadata *removed,
                                   GError           **error);

G_END_DECLS
