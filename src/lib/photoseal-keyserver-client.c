/* photoseal-keyserver-client.c
 *
 * The client side of DESIGN §3 on libsoup 3. Certificates are always
 * verified (a private CA can be added, never verification removed), and
 * only https origins or http to loopback are accepted, so a token or a
 * signature never crosses a network in clear. Keys come back sealed to an
 * ephemeral X25519 key made for that one request, and are unsealed here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <libsoup/soup.h>
#include <sodium.h>

#include "photoseal-bounded-reply.h"
#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-keyserver-client-private.h"
#include "photoseal-keyserver-replies.h"
#include "photoseal-json.h"
#include "photoseal-origin.h"
#include "photoseal-protocol.h"
#include "photoseal-server-key-recipient.h"

struct _PhotosealKeyserverClient
{
  GObject parent_instance;

  char *origin;
  SoupSession *session;
  guint deadline;
  char *token;
  /* The Ed25519 device secret key enrolled with the session, in guarded
   * memory: with the token, it is what lets releases through. */
  guint8 *device_key;
};

G_DEFINE_FINAL_TYPE (PhotosealKeyserverClient, photoseal_keyserver_client, G_TYPE_OBJECT)

void
photoseal_sealed_key_free (PhotosealSealedKey *key)
{
  if (key == NULL)
    return;
  sodium_memzero (key->server_key, sizeof key->server_key);
  if (key->access_code != NULL)
    sodium_memzero (key->access_code, strlen (key->access_code));
  g_free (key->access_code);
  g_free (key->key_id);
  g_free (key->owner_email);
  g_free (key->owner_name);
  g_clear_pointer (&key->created, g_date_time_unref);
  g_clear_object (&key->recipients);
  g_free (key);
}

static void
clear_token (PhotosealKeyserverClient *self)
{
  if (self->token != NULL)
    sodium_memzero (self->token, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
}

static void
photoseal_keyserver_client_finalize (GObject *object)
{
  PhotosealKeyserverClient *self = (PhotosealKeyserverClient *) object;

  clear_token (self);
  sodium_free (self->device_key);
  g_clear_object (&self->session);
  g_free (self->origin);

  G_OBJECT_CLASS (photoseal_keyserver_client_parent_class)->finalize (object);
}

static void
photoseal_keyserver_client_class_init (PhotosealKeyserverClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_keyserver_client_finalize;
}

static void
photoseal_keyserver_client_init (PhotosealKeyserverClient *self)
{
  photoseal_crypto_init ();
  self->device_key = sodium_malloc (PHOTOSEAL_DEVICE_KEY_SIZE);
  g_assert (self->device_key != NULL);
  sodium_memzero (self->device_key, PHOTOSEAL_DEVICE_KEY_SIZE);
  self->deadline = PHOTOSEAL_KEYSERVER_DEFAULT_DEADLINE;
  self->session = soup_session_new_with_options ("timeout", 30,
                                                 "user-agent", "photoseal/" PACKAGE_VERSION,
                                                 NULL);
}

/**
 * photoseal_keyserver_client_new:
 * @origin: "https://keys.example.org" (or http:// to a loopback address)
 *
 * A CA file for private deployments is taken from the environment variable
 * PHOTOSEAL_CA_FILE, or set with photoseal_keyserver_client_set_ca_file().
 * PHOTOSEAL_KEYSERVER_DEADLINE (seconds) overrides the default deadline of
 * each request.
 */
PhotosealKeyserverClient *
photoseal_keyserver_client_new (const char *origin,
                                GError    **error)
{
  g_autoptr(PhotosealKeyserverClient) self = NULL;
  g_autofree char *normalized = NULL;
  const char *ca_file = g_getenv ("PHOTOSEAL_CA_FILE");
  const char *deadline = g_getenv ("PHOTOSEAL_KEYSERVER_DEADLINE");
  guint64 seconds = 0;

  g_return_val_if_fail (origin != NULL, NULL);

  if (!(normalized = photoseal_origin_normalize (origin, error)))
    return NULL;
  self = g_object_new (PHOTOSEAL_TYPE_KEYSERVER_CLIENT, NULL);
  self->origin = g_steal_pointer (&normalized);
  if (ca_file != NULL && *ca_file != '\0'
      && !photoseal_keyserver_client_set_ca_file (self, ca_file, error))
    return NULL;
  if (deadline != NULL
      && g_ascii_string_to_unsigned (deadline, 10, 1, 3600, &seconds, NULL))
    photoseal_keyserver_client_set_deadline (self, seconds);
  return g_steal_pointer (&self);
}

/**
 * photoseal_keyserver_client_set_deadline:
 * @seconds: how long one request may take in all, from connecting to the
 *   last byte of the answer
 *
 * A server that answers slowly, or trickles its answer, fails the request
 * with %PHOTOSEAL_KEYSERVER_ERROR_UNREACHABLE once @seconds have passed.
 */
void
photoseal_keyserver_client_set_deadline (PhotosealKeyserverClient *self,
                                         guint                     seconds)
{
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));
  g_return_if_fail (seconds > 0);

  self->deadline = seconds;
}

const char *
photoseal_keyserver_client_get_origin (PhotosealKeyserverClient *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self), NULL);
  return self->origin;
}

/**
 * photoseal_keyserver_client_set_ca_file:
 *
 * Trusts the certificate authorities in @path, in place of the system's.
 */
gboolean
photoseal_keyserver_client_set_ca_file (PhotosealKeyserverClient *self,
                                        const char               *path,
                                        GError                  **error)
{
  g_autoptr(GTlsDatabase) database = NULL;

  g_return_val_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self), FALSE);

  database = g_tls_file_database_new (path, error);
  if (database == NULL)
    return FALSE;
  soup_session_set_tls_database (self->session, database);
  return TRUE;
}

/**
 * photoseal_keyserver_client_set_session:
 * @token: (nullable): a session token, %NULL to forget it
 * @device_secret_key: (nullable): the 64-byte Ed25519 secret key enrolled with it
 *
 * Restores a session kept in the keyring.
 */
void
photoseal_keyserver_client_set_session (PhotosealKeyserverClient *self,
                                        const char               *token,
                                        const guint8             *device_secret_key)
{
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));

  clear_token (self);
  self->token = g_strdup (token);
  if (device_secret_key != NULL)
    memcpy (self->device_key, device_secret_key, PHOTOSEAL_DEVICE_KEY_SIZE);
  else
    sodium_memzero (self->device_key, PHOTOSEAL_DEVICE_KEY_SIZE);
}

const char *
photoseal_keyserver_client_get_token (PhotosealKeyserverClient *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self), NULL);
  return self->token;
}

/**
 * photoseal_keyserver_client_get_device_key:
 *
 * Returns: (transfer none): the 64-byte device secret key, for the keyring
 */
const guint8 *
photoseal_keyserver_client_get_device_key (PhotosealKeyserverClient *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self), NULL);
  return self->device_key;
}

/* Errors ***************************************************************/

static const struct
{
  const char *code;
  PhotosealKeyserverError error;
} server_codes[] = {
  { "unauthorized", PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED },
  { "bad_credentials", PHOTOSEAL_KEYSERVER_ERROR_BAD_CREDENTIALS },
  { "account_disabled", PHOTOSEAL_KEYSERVER_ERROR_ACCOUNT_DISABLED },
  { "throttled", PHOTOSEAL_KEYSERVER_ERROR_THROTTLED },
  { "registration_closed", PHOTOSEAL_KEYSERVER_ERROR_REGISTRATION_CLOSED },
  { "email_taken", PHOTOSEAL_KEYSERVER_ERROR_EMAIL_TAKEN },
  { "invalid", PHOTOSEAL_KEYSERVER_ERROR_INVALID },
  { "too_large", PHOTOSEAL_KEYSERVER_ERROR_INVALID },
  { "not_found", PHOTOSEAL_KEYSERVER_ERROR_NOT_FOUND },
  { "not_a_recipient", PHOTOSEAL_KEYSERVER_ERROR_NOT_A_RECIPIENT },
  { "revoked", PHOTOSEAL_KEYSERVER_ERROR_REVOKED },
  { "expired", PHOTOSEAL_KEYSERVER_ERROR_EXPIRED },
  { "locked", PHOTOSEAL_KEYSERVER_ERROR_LOCKED },
  { "bad_access_code", PHOTOSEAL_KEYSERVER_ERROR_BAD_ACCESS_CODE },
  { "bad_signature", PHOTOSEAL_KEYSERVER_ERROR_DEVICE },
  { "replayed", PHOTOSEAL_KEYSERVER_ERROR_DEVICE },
  { "stale_timestamp", PHOTOSEAL_KEYSERVER_ERROR_CLOCK },
  { "bad_code", PHOTOSEAL_KEYSERVER_ERROR_BAD_CODE },
  { "domain_not_allowed", PHOTOSEAL_KEYSERVER_ERROR_DOMAIN_NOT_ALLOWED },
};

/* @object's member @name if it is a string: a reply may hold anything. */
static const char *
reply_string (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The typed details of a refusal: tries left after a wrong access code,
 * when an expired key expired. */
static void
add_refusal_details (GError     *error,
                     JsonObject *object)
{
  JsonNode *tries = json_object_get_member (object, "tries_left");
  const char *expired_at = reply_string (object, "expired_at");
  g_autoptr(GDateTime) time = NULL;

  if (tries != NULL && JSON_NODE_HOLDS_VALUE (tries)
      && json_node_get_value_type (tries) == G_TYPE_INT64)
    photoseal_keyserver_error_set_tries_left (error,
                                              CLAMP (json_node_get_int (tries), 0, G_MAXINT));
  if (expired_at != NULL && (time = g_date_time_new_from_iso8601 (expired_at, NULL)))
    photoseal_keyserver_error_set_expired_at (error, time);
}

static GError *
error_from_reply (guint     status,
                  JsonNode *reply)
{
  GError *result;
  JsonNode *node = NULL;
  JsonObject *error = NULL;
  const char *code = NULL;
  const char *message = NULL;

  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    node = json_object_get_member (json_node_get_object (reply), "error");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      error = json_node_get_object (node);
      code = reply_string (error, "code");
      message = reply_string (error, "message");
    }

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (server_codes); i++)
    if (strcmp (code, server_codes[i].code) == 0)
      {
        result = g_error_new_literal (PHOTOSEAL_KEYSERVER_ERROR, server_codes[i].error,
                                      message ? message : code);
        if (error != NULL)
          add_refusal_details (result, error);
        return result;
      }

  return g_error_new (PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_FAILED,
                      _("The key server failed (HTTP %u)%s%s"), status, message ? ": " : "",
                      message ? message : "");
}

static GError *
error_from_transport (GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    return g_error_new (PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL,
                        _("The key server's answer is too large: %s"), error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNREACHABLE,
                        _("The key server is too slow: %s"), error->message);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_TLS,
                        _("The key server's certificate is not trusted: %s"), error->message);
  return g_error_new (PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNREACHABLE,
                      _("The key server cannot be reached: %s"), error->message);
}

/* Requests *************************************************************/

static char *
to_base64 (const guint8 *data,
           gsize         len)
{
  gsize size = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_ORIGINAL);
  char *text = g_malloc (size);

  sodium_bin2base64 (text, size, data, len, sodium_base64_VARIANT_ORIGINAL);
  return text;
}


static void
request_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  if (!(bytes = photoseal_bounded_reply_send_finish (result, &error)))
    {
      g_task_return_error (task, error_from_transport (error));
      return;
    }

  status = soup_message_get_status (msg);
  if (g_bytes_get_size (bytes) > 0)
    reply = photoseal_json_parse_bounded (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                          PHOTOSEAL_JSON_MAX_DEPTH, NULL);

  if (status >= 400)
    g_task_return_error (task, error_from_reply (status, reply));
  else if (status >= 300 && status < 400)
    g_task_return_new_error (task, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL,
                             _("The key server sent this request elsewhere (HTTP %u); "
                               "Photoseal does not follow redirects"), status);
  else if (status < 200 || (status != 204 && reply == NULL))
    g_task_return_new_error (task, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL,
                             _("The key server gave an answer this app does not understand "
                               "(HTTP %u)"), status);
  else
    g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify) json_node_unref);
}

/* Signs a state-changing request with the device key (DESIGN "Request
 * signatures"), over the target and body exactly as they are sent. */
static void
sign_request (PhotosealKeyserverClient *self,
              SoupMessage              *msg,
              GBytes                   *body)
{
  GUri *uri = soup_message_get_uri (msg);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autofree char *target = NULL;
  g_autofree char *nonce_text = NULL;
  g_autofree char *signature_text = NULL;
  g_autofree char *timestamp_text = NULL;
  g_autoptr(GBytes) message = NULL;
  guint8 nonce[PHOTOSEAL_PROTOCOL_NONCE_SIZE];
  guint8 signature[crypto_sign_BYTES];
  gint64 timestamp = g_get_real_time () / G_USEC_PER_SEC;

  randombytes_buf (nonce, sizeof nonce);
  target = g_uri_get_query (uri) ? g_strconcat (g_uri_get_path (uri), "?", g_uri_get_query (uri),
                                                NULL)
                                 : g_strdup (g_uri_get_path (uri));
  message = photoseal_protocol_request_message (soup_message_get_method (msg), target, body,
                                                timestamp, nonce);
  crypto_sign_detached (signature, NULL, g_bytes_get_data (message, NULL),
                        g_bytes_get_size (message), self->device_key);

  timestamp_text = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp);
  nonce_text = to_base64 (nonce, sizeof nonce);
  signature_text = to_base64 (signature, sizeof signature);
  soup_message_headers_replace (headers, PHOTOSEAL_PROTOCOL_TIMESTAMP_HEADER, timestamp_text);
  soup_message_headers_replace (headers, PHOTOSEAL_PROTOCOL_NONCE_HEADER, nonce_text);
  soup_message_headers_replace (headers, PHOTOSEAL_PROTOCOL_SIGNATURE_HEADER, signature_text);
}

/* Sends @body, with the token when @with_token; state-changing requests
 * with a token are also signed with the device key. */
void
photoseal_keyserver_client_send (PhotosealKeyserverClient *self,
                                 const char               *method,
                                 const char               *path,
                                 JsonNode                 *body,
                                 gboolean                  with_token,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = NULL;
  SoupMessage *msg;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, photoseal_keyserver_client_request_async);

  url = g_strconcat (self->origin, path, NULL);
  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_INVALID,
                               _("“%s” is not a valid request path"), path);
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);

  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);

      bytes = g_bytes_new_take (text, strlen (text));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  if (with_token && self->token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    authorization);
      sodium_memzero (authorization, strlen (authorization));
      if (strcmp (method, "GET") != 0
          && !sodium_is_zero (self->device_key, PHOTOSEAL_DEVICE_KEY_SIZE))
        sign_request (self, msg, bytes);
    }

  /* A redirect is an answer, not an instruction: the token and the
   * signature were made for this origin and this path only. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  photoseal_bounded_reply_send_async (self->session, msg, PHOTOSEAL_KEYSERVER_MAX_REPLY,
                                      self->deadline, cancellable, request_done,
                                      g_steal_pointer (&task));
}

/**
 * photoseal_keyserver_client_request_async:
 * @path: "/v1/…"
 * @body: (nullable): the JSON body
 *
 * Sends a request with the session token, if there is one.
 */
void
photoseal_keyserver_client_request_async (PhotosealKeyserverClient *self,
                                          const char               *method,
                                          const char               *path,
                                          JsonNode                 *body,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));
  g_return_if_fail (g_str_has_prefix (path, "/"));

  photoseal_keyserver_client_send (self, method, path, body, TRUE, cancellable, callback,
                                   user_data);
}

JsonNode *
photoseal_keyserver_client_send_finish (PhotosealKeyserverClient *self,
                                        GAsyncResult             *result,
                                        GError                  **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * photoseal_keyserver_client_request_finish:
 *
 * Returns: (transfer full) (nullable): the JSON answer, %NULL for none
 *   (HTTP 204) or on error, with a %PHOTOSEAL_KEYSERVER_ERROR
 */
JsonNode *
photoseal_keyserver_client_request_finish (PhotosealKeyserverClient *self,
                                           GAsyncResult             *result,
                                           GError                  **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Keys *****************************************************************/

/* An ephemeral X25519 pair for one request: the answer is sealed to it. */
typedef struct
{
  guint8 public_key[crypto_box_PUBLICKEYBYTES];
  guint8 secret_key[crypto_box_SECRETKEYBYTES];
  char *key_id;
} Ephemeral;

static void
ephemeral_free (Ephemeral *ephemeral)
{
  sodium_memzero (ephemeral->secret_key, sizeof ephemeral->secret_key);
  g_free (ephemeral->key_id);
  g_free (ephemeral);
}

static Ephemeral *
ephemeral_new (const char *key_id)
{
  Ephemeral *ephemeral = g_new0 (Ephemeral, 1);

  crypto_box_keypair (ephemeral->public_key, ephemeral->secret_key);
  ephemeral->key_id = g_strdup (key_id);
  return ephemeral;
}

/* A release names the key's verified owner; an answer without one (a
 * create, or an older server) leaves the fields %NULL. */
static void
read_owner (PhotosealSealedKey *key,
            JsonObject         *object)
{
  JsonNode *node = json_object_get_member (object, "owner");
  JsonObject *owner = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *created = reply_string (object, "created");

  key->owner_email = g_strdup (reply_string (owner, "email"));
  key->owner_name = g_strdup (reply_string (owner, "name"));
  key->created = created ? g_date_time_new_from_iso8601 (created, NULL) : NULL;
}

static PhotosealSealedKey *
unseal_reply (JsonNode        *reply,
              const Ephemeral *ephemeral,
              GError         **error)
{
  g_autoptr(PhotosealSealedKey) key = g_new0 (PhotosealSealedKey, 1);
  guint8 sealed[crypto_box_SEALBYTES + 32];
  JsonObject *object = reply && JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply)
                                                                : NULL;
  const char *text = reply_string (object, "sealed_server_key");
  const char *key_id = reply_string (object, "key_id");
  const char *code = reply_string (object, "access_code");
  size_t len = 0;

  key_id = key_id ? key_id : ephemeral->key_id;
  if (text == NULL || key_id == NULL
      || sodium_base642bin (sealed, sizeof sealed, text, strlen (text), NULL, &len, NULL,
                            sodium_base64_VARIANT_ORIGINAL) != 0
      || len != sizeof sealed
      || crypto_box_seal_open (key->server_key, sealed, sizeof sealed, ephemeral->public_key,
                               ephemeral->secret_key) != 0)
    {
      g_set_error_literal (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL,
                           _("The key server sent a key this app cannot open"));
      return NULL;
    }

  key->key_id = g_strdup (key_id);
  key->access_code = g_strdup (code);
  read_owner (key, object);
  if (!(key->recipients = photoseal_recipient_list_from_reply (reply, FALSE, error)))
    return NULL;
  return g_steal_pointer (&key);
}

static void
key_request_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  PhotosealSealedKey *key;

  reply = photoseal_keyserver_client_request_finish (PHOTOSEAL_KEYSERVER_CLIENT (source), result,
                                                     &error);
  if (reply == NULL && error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!(key = unseal_reply (reply, g_task_get_task_data (task), &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, key, (GDestroyNotify) photoseal_sealed_key_free);
}

/**
 * photoseal_keyserver_client_create_key_async:
 * @recipients: emails of the people who may open the file
 * @expires: (nullable): when the key stops being released, %NULL for never
 * @access_code: whether to make an access code for someone without an account
 *
 * Asks the server for a new server_key, for one file.
 */
void
photoseal_keyserver_client_create_key_async (PhotosealKeyserverClient *self,
                                             const char * const       *recipients,
                                             GDateTime                *expires,
                                             gboolean                  access_code,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *public_key = NULL;
  Ephemeral *ephemeral = ephemeral_new (NULL);

  g_task_set_source_tag (task, photoseal_keyserver_client_create_key_async);
  g_task_set_task_data (task, ephemeral, (GDestroyNotify) ephemeral_free);
  public_key = to_base64 (ephemeral->public_key, sizeof ephemeral->public_key);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ephemeral_public_key");
  json_builder_add_string_value (builder, public_key);
  photoseal_keyserver_client_add_recipients (builder, recipients);
  photoseal_keyserver_client_add_expires (builder, expires);
  json_builder_set_member_name (builder, "access_code");
  json_builder_add_boolean_value (builder, access_code);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  photoseal_keyserver_client_request_async (self, "POST", "/v1/keys", body, cancellable,
                                            key_request_done, g_steal_pointer (&task));
}

/**
 * photoseal_keyserver_client_create_key_finish:
 *
 * Returns: (transfer full): the key id, the unsealed server_key, and the
 *   access code if one was asked for
 */
PhotosealSealedKey *
photoseal_keyserver_client_create_key_finish (PhotosealKeyserverClient *self,
                                              GAsyncResult             *result,
                                              GError                  **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
add_base64 (JsonBuilder  *builder,
            const char   *name,
            const guint8 *data,
            gsize         len)
{
  g_autofree char *text = to_base64 (data, len);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

/* The signed form, with the device key enrolled at sign-in. */
static void
add_signature (PhotosealKeyserverClient *self,
               JsonBuilder              *builder,
               const guint8             *raw_key_id,
               const Ephemeral          *ephemeral)
{
  guint8 message[PHOTOSEAL_PROTOCOL_RELEASE_MESSAGE_SIZE];
  guint8 signature[crypto_sign_BYTES];
  guint8 nonce[PHOTOSEAL_PROTOCOL_NONCE_SIZE];
  gint64 timestamp = g_get_real_time () / G_USEC_PER_SEC;

  randombytes_buf (nonce, sizeof nonce);
  photoseal_protocol_release_message (raw_key_id, ephemeral->public_key, timestamp, nonce,
                                      message);
  crypto_sign_detached (signature, NULL, message, sizeof message, self->device_key);

  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_int_value (builder, timestamp);
  add_base64 (builder, "nonce", nonce, sizeof nonce);
  add_base64 (builder, "signature", signature, sizeof signature);
}

/**
 * photoseal_keyserver_client_release_async:
 * @key_id: the key id from the file's photoseal stanza
 * @access_code: (nullable): release with this code instead of the session
 *
 * Asks for a file's server_key: signed with the device key when signed
 * in, or with an access code.
 */
void
photoseal_keyserver_client_release_async (PhotosealKeyserverClient *self,
                                          const char               *key_id,
                                          const char               *access_code,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  guint8 raw_key_id[PHOTOSEAL_KEY_ID_SIZE];
  Ephemeral *ephemeral;

  g_task_set_source_tag (task, photoseal_keyserver_client_release_async);
  if (!photoseal_key_id_decode (key_id, raw_key_id))
    {
      g_task_return_new_error (task, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_INVALID,
                               _("“%s” is not a key id"), key_id);
      return;
    }
  if (access_code == NULL && self->token == NULL)
    {
      g_task_return_new_error (task, PHOTOSEAL_KEYSERVER_ERROR,
                               PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED,
                               _("Sign in to %s, or use an access code"), self->origin);
      return;
    }

  ephemeral = ephemeral_new (key_id);
  g_task_set_task_data (task, ephemeral, (GDestroyNotify) ephemeral_free);
  json_builder_begin_object (builder);
  add_base64 (builder, "ephemeral_public_key", ephemeral->public_key, sizeof ephemeral->public_key);
  if (access_code != NULL)
    {
      json_builder_set_member_name (builder, "access_code");
      json_builder_add_string_value (builder, access_code);
    }
  else
    add_signature (self, builder, raw_key_id, ephemeral);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  /* An access-code release goes without the token: the server must not
   * tie it to an account. */
  path = g_strdup_printf ("/v1/keys/%s/release", key_id);
  photoseal_keyserver_client_send (self, "POST", path, body, access_code == NULL, cancellable,
                                   key_request_done, g_steal_pointer (&task));
}

PhotosealSealedKey *
photoseal_keyserver_client_release_finish (PhotosealKeyserverClient *self,
                                           GAsyncResult             *result,
                                           GError                  **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Signing in ***********************************************************/

static void
sign_in_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhotosealKeyserverClient *self = PHOTOSEAL_KEYSERVER_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = photoseal_keyserver_client_request_finish (self, result, &error);
  const char *token = NULL;

  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    token = reply_string (json_node_get_object (reply), "token");

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (token == NULL)
    g_task_return_new_error (task, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL,
                             _("The key server did not give a session"));
  else
    {
      photoseal_keyserver_client_set_session (self, token, g_task_get_task_data (task));
      g_task_return_boolean (task, TRUE);
    }
}

static void
free_device_key (gpointer key)
{
  sodium_free (key);
}

/**
 * photoseal_keyserver_client_sign_in_async:
 * @device_name: how this device is listed, such as the host name
 *
 * Makes a new Ed25519 device key and enrols it with a new session. The
 * password is sent once and never kept.
 */
void
photoseal_keyserver_client_sign_in_async (PhotosealKeyserverClient *self,
                                          const char               *email,
                                          const char               *password,
                                          const char               *device_name,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 *secret_key = sodium_malloc (PHOTOSEAL_DEVICE_KEY_SIZE);

  g_assert (secret_key != NULL);
  g_task_set_source_tag (task, photoseal_keyserver_client_sign_in_async);
  crypto_sign_keypair (public_key, secret_key);
  g_task_set_task_data (task, secret_key, free_device_key);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_set_member_name (builder, "device");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, device_name);
  add_base64 (builder, "public_key", public_key, sizeof public_key);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  clear_token (self);
  photoseal_keyserver_client_request_async (self, "POST", "/v1/sessions", body, cancellable,
                                            sign_in_done, g_steal_pointer (&task));
}

gboolean
photoseal_keyserver_client_sign_in_finish (PhotosealKeyserverClient *self,
                                           GAsyncResult             *result,
                                           GError                  **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Blocking wrappers ****************************************************/

void
photoseal_sync_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PhotosealSync *sync = user_data;

  sync->result = g_object_ref (result);
}

void
photoseal_sync_begin (PhotosealSync *sync)
{
  sync->context = g_main_context_ref_thread_default ();
  sync->result = NULL;
}

GAsyncResult *
photoseal_sync_wait (PhotosealSync *sync)
{
  while (sync->result == NULL)
    g_main_context_iteration (sync->context, TRUE);
  g_main_context_unref (sync->context);
  return sync->result;
}

gboolean
photoseal_keyserver_client_sign_in (PhotosealKeyserverClient *self,
                                    const char               *email,
                                    const char               *password,
                                    const char               *device_name,
                                    GCancellable             *cancellable,
                                    GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  PhotosealSync sync;

  photoseal_sync_begin (&sync);
  photoseal_keyserver_client_sign_in_async (self, email, password, device_name, cancellable,
                                            photoseal_sync_done, &sync);
  result = photoseal_sync_wait (&sync);
  return photoseal_keyserver_client_sign_in_finish (self, result, error);
}

PhotosealSealedKey *
photoseal_keyserver_client_create_key (PhotosealKeyserverClient *self,
                                       const char * const       *recipients,
                                       GDateTime                *expires,
                                       gboolean                  access_code,
                                       GCancellable             *cancellable,
                                       GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  PhotosealSync sync;

  photoseal_sync_begin (&sync);
  photoseal_keyserver_client_create_key_async (self, recipients, expires, access_code, cancellable,
                                               photoseal_sync_done, &sync);
  result = photoseal_sync_wait (&sync);
  return photoseal_keyserver_client_create_key_finish (self, result, error);
}

PhotosealSealedKey *
photoseal_keyserver_client_release (PhotosealKeyserverClient *self,
                                    const char               *key_id,
                                    const char               *access_code,
                                    GCancellable             *cancellable,
                                    GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  PhotosealSync sync;

  photoseal_sync_begin (&sync);
  photoseal_keyserver_client_release_async (self, key_id, access_code, cancellable,
                                            photoseal_sync_done, &sync);
  result = photoseal_sync_wait (&sync);
  return photoseal_keyserver_client_release_finish (self, result, error);
}
