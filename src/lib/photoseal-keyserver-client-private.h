/* photoseal-keyserver-client-private.h: shared by the files of
 * PhotosealKeyserverClient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-keyserver-client.h"

G_BEGIN_DECLS

void      photoseal_keyserver_client_send       (PhotosealKeyserverClient *self,
                                                 const char               *method,
                                                 const char               *path,
                                                 JsonNode                 *body,
                                                 gboolean                  with_token,
                                                 GCancellable             *cancellable,
                                                 GAsyncReadyCallback       callback,
                                                 gpointer                  user_data);
JsonNode *photoseal_keyserver_client_send_finish (PhotosealKeyserverClient *self,
                                                  GAsyncResult             *result,
                                                  GError                  **error);

/* Runs one asynchronous call to its end on a private main context, for the
 * blocking wrappers the command line uses. */
typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} PhotosealSync;

void          photoseal_sync_begin (PhotosealSync *sync);
void          photoseal_sync_done  (GObject       *source,
                                    GAsyncResult  *result,
                                    gpointer       user_data);
GAsyncResult *photoseal_sync_wait  (PhotosealSync *sync);

G_END_DECLS
