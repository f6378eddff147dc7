/* photoseal-extraction.h: a folder of opened photos that appears only when complete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_EXTRACTION (photoseal_extraction_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealExtraction, photoseal_extraction, PHOTOSEAL, EXTRACTION, GObject)

PhotosealExtraction *photoseal_extraction_new         (GFile               *parent,
                                                       const char          *name,
                                                       GError             **error);
GOutputStream       *photoseal_extraction_create_item (PhotosealExtraction *self,
                                                       const char          *path,
                                                       GError             **error);
gboolean             photoseal_extraction_finish_item (PhotosealExtraction *self,
                                                       GOutputStream       *stream,
                                                       GError             **error);
GFile               *photoseal_extraction_commit      (PhotosealExtraction *self,
                                                       GError             **error);

G_END_DECLS
