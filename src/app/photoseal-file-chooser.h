/* photoseal-file-chooser.h: the native file chooser, in one place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  PHOTOSEAL_FILE_CHOOSER_OPEN_PHOTOS,
  PHOTOSEAL_FILE_CHOOSER_OPEN_SEALED,
  PHOTOSEAL_FILE_CHOOSER_SAVE,
  PHOTOSEAL_FILE_CHOOSER_SELECT_FOLDER,
} PhotosealFileChooserMode;

void        photoseal_file_chooser_run_async  (GtkWindow                *parent,
                                               PhotosealFileChooserMode  mode,
                                               const char               *title,
                                               const char               *suggested_name,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data);
GListModel *photoseal_file_chooser_run_finish (GAsyncResult             *result,
                                               GError                  **error);

G_END_DECLS
