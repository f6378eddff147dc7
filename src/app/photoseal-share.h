/* photoseal-share.h: a sealed file leaves the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     photoseal_share_by_email_async   (GtkWindow           *parent,
                                           GFile               *file,
                                           const char * const  *addresses,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean photoseal_share_by_email_finish  (GAsyncResult        *result,
                                           GError             **error);
void     photoseal_share_show_in_folder_async  (GtkWindow           *parent,
                                                GFile               *file,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean photoseal_share_show_in_folder_finish (GAsyncResult        *result,
                                                GError             **error);
void     photoseal_share_copy             (GtkWidget           *widget,
                                           GFile               *file);
void     photoseal_share_save_copy_async  (GFile               *source,
                                           GFile               *destination,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean photoseal_share_save_copy_finish (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
