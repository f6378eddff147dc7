/* photoseal-viewer-export.h: opened items onto the disk, atomically
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-open-job.h"

G_BEGIN_DECLS

void     photoseal_viewer_export_to_file_async   (GObject             *source,
                                                  PhotosealOpenedItem *item,
                                                  GFile               *destination,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void     photoseal_viewer_export_to_folder_async (GObject             *source,
                                                  PhotosealOpenJob    *job,
                                                  GFile               *folder,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean photoseal_viewer_export_finish          (GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
