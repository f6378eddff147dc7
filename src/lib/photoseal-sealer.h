/* photoseal-sealer.h: photos in, one sealed .psf out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-keyserver-client.h"
#include "photoseal-manifest.h"
#include "photoseal-metadata.h"
#include "photoseal-progress.h"
#include "photoseal-recipient.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_SEALER (photoseal_sealer_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealSealer, photoseal_sealer, PHOTOSEAL, SEALER, GObject)

PhotosealSealer   *photoseal_sealer_new                 (void);
PhotosealManifest *photoseal_sealer_get_manifest        (PhotosealSealer       *self);
void               photoseal_sealer_add_file            (PhotosealSealer       *self,
                                                         GFile                 *file);
void               photoseal_sealer_add_recipient       (PhotosealSealer       *self,
                                                         PhotosealRecipient    *recipient);
void               photoseal_sealer_set_remove_metadata (PhotosealSealer       *self,
                                                         gboolean               remove_metadata);
void               photoseal_sealer_set_progress_func   (PhotosealSealer       *self,
                                                         PhotosealProgressFunc  func,
                                                         gpointer               user_data);
gboolean           photoseal_sealer_seal                (PhotosealSealer       *self,
                                                         GOutputStream         *stream,
                                                         GCancellable          *cancellable,
                                                         GError               **error);
gboolean           photoseal_sealer_seal_to_file        (PhotosealSealer       *self,
                                                         GFile                 *destination,
                                                         GCancellable          *cancellable,
                                                         GError               **error);
/* Server-key recipient: photoseal-sealer-server-key.c */
void     photoseal_sealer_add_server_key_async  (PhotosealSealer          *self,
                                                 PhotosealKeyserverClient *client,
                                                 const char * const       *recipients,
                                                 GDateTime                *expires,
                                                 gboolean                  access_code,
                                                 GCancellable             *cancellable,
                                                 GAsyncReadyCallback       callback,
                                                 gpointer                  user_data);
gboolean photoseal_sealer_add_server_key_finish (PhotosealSealer          *self,
                                                 GAsyncResult             *result,
                                                 char                    **key_id,
                                                 char                    **access_code,
                                                 GListModel              **recipient_states,
                                                 GError                  **error);
gboolean photoseal_sealer_add_server_key        (PhotosealSealer          *self,
                                                 PhotosealKeyserverClient *client,
                                                 const char * const       *recipients,
                                                 GDateTime                *expires,
                                                 gboolean                  access_code,
                                                 char                    **key_id,
                                                 char                    **access_code_out,
                                                 GListModel              **recipient_states,
                                                 GCancellable             *cancellable,
                                                 GError                  **error);
PhotosealMetadata  photoseal_sealer_get_removed         (PhotosealSealer       *self,
                                                         guint                  position);

G_END_DECLS
