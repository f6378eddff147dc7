/* photoseal-age-output-stream.h: writes an age v1 file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_AGE_OUTPUT_STREAM (photoseal_age_output_stream_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealAgeOutputStream, photoseal_age_output_stream,
                      PHOTOSEAL, AGE_OUTPUT_STREAM, GFilterOutputStream)

GOutputStream *photoseal_age_output_stream_new (GOutputStream *base_stream,
                                                GPtrArray     *recipients,
                                                GCancellable  *cancellable,
                                                GError       **error);
gboolean       photoseal_age_output_stream_finish (PhotosealAgeOutputStream *self,
                                                   GCancellable             *cancellable,
                                                   GError                  **error);

G_END_DECLS
