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

/* How an answer becomes a result: %NULL parse means "no content". */
typedef struct
{
  gpointer       (*parse) (JsonNode *reply, GError **error);
  GDestroyNotify free;
} ReplyType;

/* One typed call: sends, then parses the answer with @type. */
void     photoseal_keyserver_client_call           (PhotosealKeyserverClient *self,
                                                    gpointer                  source_tag,
                                                    const ReplyType          *type,
                                                    const char               *method,
                                                    const char               *path,
                                                    JsonNode                 *body,
                                                    gboolean                  with_token,
                                                    GCancellable             *cancellable,
                                                    GAsyncReadyCallback       callback,
                                                    gpointer                  user_data);
gpointer photoseal_keyserver_client_finish_pointer (PhotosealKeyserverClient *self,
                                                    GAsyncResult             *result,
                                                    gpointer                  source_tag,
                                                    GError                  **error);
gboolean photoseal_keyserver_client_finish_boolean (PhotosealKeyserverClient *self,
                                                    GAsyncResult             *result,
                                                    gpointer                  source_tag,
                                                    GError                  **error);

void photoseal_keyserver_client_add_recipients (JsonBuilder        *builder,
                                                const char * const *recipients);
void photoseal_keyserver_client_add_expires    (JsonBuilder        *builder,
                                                GDateTime          *expires);

/* Runs one asynchronous call to its end, for the blocking wrappers the
 * command line uses. It iterates the thread-default main context, not a
 * private one: the session's kept-alive connections belong to the context
 * they were made in, and a request on another one would wait forever. */
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

#define RUN_SYNC(start, finish)                         \
  G_STMT_START {                                        \
    g_autoptr(GAsyncResult) result = NULL;              \
    PhotosealSync sync;                                 \
                                                        \
    photoseal_sync_begin (&sync);                       \
    start;                                              \
    result = photoseal_sync_wait (&sync);               \
    return finish (self, result, error);                \
  } G_STMT_END

G_END_DECLS
