/* photoseal-age-input-stream.h: reads an age v1 file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-age-header.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_AGE_INPUT_STREAM (photoseal_age_input_stream_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealAgeInputStream, photoseal_age_input_stream,
                      PHOTOSEAL, AGE_INPUT_STREAM, GFilterInputStream)

GInputStream       *photoseal_age_input_stream_new        (GInputStream            *base_stream,
                                                           GPtrArray               *identities,
                                                           GCancellable            *cancellable,
                                                           GError                 **error);
GInputStream       *photoseal_age_input_stream_new_after_header (GBufferedInputStream *stream,
                                                                 PhotosealAgeHeader   *header,
                                                                 GPtrArray            *identities,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
PhotosealAgeHeader *photoseal_age_input_stream_get_header (PhotosealAgeInputStream *self);
gboolean            photoseal_age_input_stream_read_block (PhotosealAgeInputStream *self,
                                                           const guint8           **data,
                                                           gsize                   *len,
                                                           GCancellable            *cancellable,
                                                           GError                 **error);

G_END_DECLS
