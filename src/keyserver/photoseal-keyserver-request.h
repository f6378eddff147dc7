/* photoseal-keyserver-request.h: one HTTP request, from JSON in to JSON out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Request bodies are small JSON objects; anything larger is refused. */
#define PHOTOSEAL_KEYSERVER_MAX_BODY (64 * 1024)

typedef struct _PhotosealKeyserver PhotosealKeyserver;

/**
 * PhotosealRequest:
 *
 * Everything a route needs, copied out of the #SoupServerMessage on the
 * main thread so that workers never touch libsoup objects; and the reply
 * the worker fills in, sent back on the main thread.
 */
typedef struct
{
  PhotosealKeyserver *server;
  SoupServerMessage *msg;
  char *request_id;
  char *address;
  char *method;
  char *path;
  /* The bearer token, if any; zeroed when the request is freed. */
  char *token;
  JsonObject *body;
  /* What a route matched in the path, such as a key id. */
  char *path_argument;
  /* What a request signature covers (DESIGN "Request signatures"), and
   * its three headers, if any. */
  char *target;
  /* The query's parameters, never %NULL. */
  GHashTable *query;
  GBytes *raw_body;
  char *signed_timestamp;
  char *signed_nonce;
  char *signature;

  /* Releases hold the order lock shared, revocations exclusive, from
   * reading the key until the answer is queued: no release answered
   * after a revocation's 204 can carry the key. */
  enum { PHOTOSEAL_LOCK_NONE, PHOTOSEAL_LOCK_SHARED, PHOTOSEAL_LOCK_EXCLUSIVE } release_lock;

  guint status;
  JsonNode *reply;
  guint retry_after;
} PhotosealRequest;

PhotosealRequest *photoseal_request_new             (PhotosealKeyserver *server,
                                                     SoupServerMessage  *msg);
void              photoseal_request_free            (PhotosealRequest   *self);
gboolean          photoseal_request_parse_body      (PhotosealRequest   *self);
gboolean          photoseal_request_check_fields    (PhotosealRequest   *self,
                                                     JsonObject         *object,
                                                     const char * const *allowed);
gboolean          photoseal_request_get_string      (PhotosealRequest   *self,
                                                     JsonObject         *object,
                                                     const char         *field,
                                                     gsize               min_len,
                                                     gsize               max_len,
                                                     const char        **out);
JsonObject       *photoseal_request_get_object      (PhotosealRequest   *self,
                                                     JsonObject         *object,
                                                     const char         *field);
gboolean          photoseal_request_get_base64      (PhotosealRequest   *self,
                                                     JsonObject         *object,
                                                     const char         *field,
                                                     guint8             *out,
                                                     gsize               len);
gboolean          photoseal_request_get_email       (PhotosealRequest   *self,
                                                     JsonObject         *object,
                                                     const char         *field,
                                                     const char        **out);
gboolean          photoseal_request_get_boolean     (PhotosealRequest   *self,
                                                     JsonObject         *object,
                                                     const char         *field,
                                                     gboolean           *out);
gboolean          photoseal_request_get_emails      (PhotosealRequest   *self,
                                                     JsonObject         *object,
                                                     const char         *field,
                                                     guint               max,
                                                     GStrv              *out);
gboolean          photoseal_request_get_time_or_null (PhotosealRequest  *self,
                                                     JsonObject         *object,
                                                     const char         *field,
                                                     gint64             *out);
void              photoseal_request_fail            (PhotosealRequest   *self,
                                                     guint               status,
                                                     const char         *code,
                                                     const char         *format,
                                                     ...) G_GNUC_PRINTF (4, 5);
void              photoseal_request_fail_internal   (PhotosealRequest   *self,
                                                     const GError       *cause,
                                                     const char         *message);
void              photoseal_request_fail_tampered   (PhotosealRequest   *self,
                                                     const char         *key_id,
                                                     const char         *what);
void              photoseal_request_reply           (PhotosealRequest   *self,
                                                     guint               status,
                                                     JsonNode           *reply);
void              photoseal_request_send            (PhotosealRequest   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealRequest, photoseal_request_free)

char     *photoseal_keyserver_format_time      (gint64 unix_time);
gboolean  photoseal_request_timestamp_is_fresh (gint64 timestamp,
                                                gint64 now,
                                                gint64 window);

G_END_DECLS
