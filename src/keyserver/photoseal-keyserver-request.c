/* photoseal-keyserver-request.c
 *
 * Strict JSON input: every field is checked for its type and length, and a
 * field the route does not know is refused, naming it, so that a typo in a
 * client never passes silently. Every answer, error or not, is JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-keyserver.h"
#include "photoseal-address.h"
#include "photoseal-protocol.h"
#include "photoseal-validate.h"

PhotosealRequest *
photoseal_request_new (PhotosealKeyserver *server,
                       SoupServerMessage  *msg)
{
  PhotosealRequest *self = g_new0 (PhotosealRequest, 1);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *request_id = soup_message_headers_get_one (
    soup_server_message_get_response_headers (msg), "X-Request-Id");
  GUri *uri = soup_server_message_get_uri (msg);

  self->server = server;
  self->msg = g_object_ref (msg);
  self->request_id = g_strdup (request_id ? request_id : "-");
  self->address = photoseal_keyserver_client_address (server, msg);
  self->method = g_strdup (soup_server_message_get_method (msg));
  self->path = g_strdup (g_uri_get_path (uri));
  self->target = g_uri_get_query (uri) ? g_strconcat (self->path, "?", g_uri_get_query (uri), NULL)
                                        : g_strdup (self->path);
  self->raw_body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  self->query = g_uri_get_query (uri) ? g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                                                            G_URI_PARAMS_NONE, NULL)
                                      : NULL;
  if (self->query == NULL)
    self->query = g_hash_table_new (g_str_hash, g_str_equal);
  self->signed_timestamp = g_strdup (soup_message_headers_get_one (
    headers, PHOTOSEAL_PROTOCOL_TIMESTAMP_HEADER));
  self->signed_nonce = g_strdup (soup_message_headers_get_one (
    headers, PHOTOSEAL_PROTOCOL_NONCE_HEADER));
  self->signature = g_strdup (soup_message_headers_get_one (
    headers, PHOTOSEAL_PROTOCOL_SIGNATURE_HEADER));
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    self->token = g_strdup (authorization + 7);
  return self;
}

void
photoseal_request_free (PhotosealRequest *self)
{
  if (self == NULL)
    return;

  if (self->token != NULL)
    sodium_memzero (self->token, strlen (self->token));
  g_free (self->token);
  g_clear_object (&self->msg);
  g_free (self->request_id);
  g_free (self->address);
  g_free (self->method);
  g_free (self->path);
  g_free (self->path_argument);
  g_free (self->target);
  g_clear_pointer (&self->raw_body, g_bytes_unref);
  g_clear_pointer (&self->query, g_hash_table_unref);
  g_free (self->signed_timestamp);
  g_free (self->signed_nonce);
  g_free (self->signature);
  g_clear_pointer (&self->body, json_object_unref);
  g_clear_pointer (&self->reply, json_node_unref);
  g_free (self);
}

char *
photoseal_keyserver_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (time, "%C%y-%m-%dT%H:%M:%SZ");
}

/**
 * photoseal_request_fail:
 *
 * Sets an error reply: {"error": {"code": …, "message": …}}.
 */
void
photoseal_request_fail (PhotosealRequest *self,
                        guint             status,
                        const char       *code,
                        const char       *format,
                        ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  photoseal_request_reply (self, status, json_builder_get_root (builder));
}

/**
 * photoseal_request_fail_internal:
 * @cause: (nullable): what went wrong, for the administrator's log
 *
 * A 500 whose cause goes to the log with the request id; the client gets
 * only @message. Causes are database and file errors, never secrets.
 */
void
photoseal_request_fail_internal (PhotosealRequest *self,
                                 const GError     *cause,
                                 const char       *message)
{
  photoseal_keyserver_log ("req=%s error: %s: %s", self->request_id, message,
                           cause ? cause->message : "unknown cause");
  photoseal_request_fail (self, 500, "internal", "%s", message);
}

/**
 * photoseal_request_fail_tampered:
 * @what: what was refused ("release", "change")
 *
 * A key's owner, recipients, expiry or access code no longer match their
 * MAC: someone without the master key changed the database. A 500, since
 * the client did nothing wrong, and an alert line in the log for the
 * operator (the key id is no secret: it is in every copy of the file).
 */
void
photoseal_request_fail_tampered (PhotosealRequest *self,
                                 const char       *key_id,
                                 const char       *what)
{
  photoseal_keyserver_log ("req=%s ALERT: refused a %s of key %s: its owner, recipients, "
                           "expiry or access code do not match their MAC; the database was "
                           "changed without the master key", self->request_id, what, key_id);
  photoseal_request_fail (self, 500, "policy_tampered", "This file's key was changed outside "
                          "the key server; its operator must look into it");
}

/**
 * photoseal_request_reply:
 * @reply: (transfer full) (nullable): the JSON body, %NULL for none
 */
void
photoseal_request_reply (PhotosealRequest *self,
                         guint             status,
                         JsonNode         *reply)
{
  g_clear_pointer (&self->reply, json_node_unref);
  self->status = status;
  self->reply = reply;
}

/* Called on the main thread: hands the reply to libsoup. */
void
photoseal_request_send (PhotosealRequest *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (self->msg);

  if (self->status == 0)
    photoseal_request_fail (self, 500, "internal", "The server could not answer");

  if (self->retry_after > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", self->retry_after);
      soup_message_headers_replace (headers, "Retry-After", seconds);
    }

  soup_server_message_set_status (self->msg, self->status, NULL);
  if (self->reply != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      gsize len = 0;
      char *text;

      json_generator_set_root (generator, self->reply);
      text = json_generator_to_data (generator, &len);
      soup_server_message_set_response (self->msg, "application/json", SOUP_MEMORY_TAKE, text, len);
    }
}

gboolean
photoseal_request_parse_body (PhotosealRequest *self)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len = g_bytes_get_size (self->raw_body);
  const char *data = g_bytes_get_data (self->raw_body, NULL);
  JsonNode *root;

  if (len > PHOTOSEAL_KEYSERVER_MAX_BODY)
    {
      photoseal_request_fail (self, 413, "too_large", "The request body is larger than 64 KiB");
      return FALSE;
    }
  if (len == 0 || !g_utf8_validate (data, len, NULL)
      || !json_parser_load_from_data (parser, data, len, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      photoseal_request_fail (self, 400, "invalid", "The request body must be a JSON object");
      return FALSE;
    }

  self->body = json_object_ref (json_node_get_object (root));
  return TRUE;
}

/* Refuses any member of @object not in @allowed. */
gboolean
photoseal_request_check_fields (PhotosealRequest   *self,
                                JsonObject         *object,
                                const char * const *allowed)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *name = g_utf8_make_valid (l->data, MIN (strlen (l->data), 64));

        photoseal_request_fail (self, 400, "invalid", "Unknown field “%s”", name);
        return FALSE;
      }
  return TRUE;
}

/**
 * photoseal_request_get_string:
 * @out: (out) (transfer none): valid as long as @object
 *
 * Reads a required string field of @min_len to @max_len bytes.
 */
gboolean
photoseal_request_get_string (PhotosealRequest *self,
                              JsonObject       *object,
                              const char       *field,
                              gsize             min_len,
                              gsize             max_len,
                              const char      **out)
{
  JsonNode *node = json_object_get_member (object, field);
  gsize len;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      photoseal_request_fail (self, 400, "invalid", "“%s” must be a string", field);
      return FALSE;
    }

  *out = json_node_get_string (node);
  len = strlen (*out);
  if (len < min_len || len > max_len)
    {
      photoseal_request_fail (self, 400, "invalid", "“%s” must be %" G_GSIZE_FORMAT " to %"
                              G_GSIZE_FORMAT " bytes long", field, min_len, max_len);
      return FALSE;
    }
  return TRUE;
}

JsonObject *
photoseal_request_get_object (PhotosealRequest *self,
                              JsonObject       *object,
                              const char       *field)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      photoseal_request_fail (self, 400, "invalid", "“%s” must be an object", field);
      return NULL;
    }
  return json_node_get_object (node);
}

/* Reads standard padded base64 (DESIGN §3) of exactly @len bytes. */
gboolean
photoseal_request_get_base64 (PhotosealRequest *self,
                              JsonObject       *object,
                              const char       *field,
                              guint8           *out,
                              gsize             len)
{
  const char *text = NULL;
  const char *end = NULL;
  size_t decoded = 0;

  if (!photoseal_request_get_string (self, object, field, 1, 4 * len, &text))
    return FALSE;
  if (sodium_base642bin (out, len, text, strlen (text), NULL, &decoded, &end,
                         sodium_base64_VARIANT_ORIGINAL) != 0
      || end != text + strlen (text) || decoded != len)
    {
      photoseal_request_fail (self, 400, "invalid", "“%s” must be %" G_GSIZE_FORMAT
                              " bytes in base64", field, len);
      return FALSE;
    }
  return TRUE;
}

/* An email in the one spelling it is stored and matched in, by
 * libphotoseal's rule (photoseal_address_normalize); look-alikes and
 * invisible characters are refused, naming the field. The body is changed
 * to that spelling, so that a worker reading the field later reads it. */
gboolean
photoseal_request_get_email (PhotosealRequest *self,
                             JsonObject       *object,
                             const char       *field,
                             const char      **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  if (!photoseal_request_get_string (self, object, field, 3, PHOTOSEAL_EMAIL_MAX_LENGTH, out))
    return FALSE;
  if (!(normalized = photoseal_address_normalize (*out, &error)))
    {
      photoseal_request_fail (self, 400, "invalid", "“%s”: %s", field, error->message);
      return FALSE;
    }
  json_object_set_string_member (object, field, normalized);
  *out = json_object_get_string_member (object, field);
  return TRUE;
}

gboolean
photoseal_request_get_boolean (PhotosealRequest *self,
                               JsonObject       *object,
                               const char       *field,
                               gboolean         *out)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      photoseal_request_fail (self, 400, "invalid", "“%s” must be true or false", field);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A list of at most @max emails, each checked like a single one. */
gboolean
photoseal_request_get_emails (PhotosealRequest *self,
                              JsonObject       *object,
                              const char       *field,
                              guint             max,
                              GStrv            *out)
{
  JsonNode *node = json_object_get_member (object, field);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      photoseal_request_fail (self, 400, "invalid", "“%s” must be a list of emails", field);
      return FALSE;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > max)
    {
      photoseal_request_fail (self, 400, "invalid", "“%s” may name at most %u people", field,
                              max);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(JsonObject) holder = json_object_new ();
      const char *email = NULL;

      json_object_set_member (holder, field, json_node_copy (json_array_get_element (array, i)));
      if (!photoseal_request_get_email (self, holder, field, &email))
        return FALSE;
      g_strv_builder_add (builder, email);
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* An ISO 8601 time with a time zone, or null (0). */
gboolean
photoseal_request_get_time_or_null (PhotosealRequest *self,
                                    JsonObject       *object,
                                    const char       *field,
                                    gint64           *out)
{
  JsonNode *node = json_object_get_member (object, field);
  g_autoptr(GDateTime) time = NULL;

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    {
      *out = 0;
      return TRUE;
    }
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING
      && strlen (json_node_get_string (node)) <= 64
      && (time = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL)) != NULL
      && g_date_time_to_unix (time) > 0)
    {
      *out = g_date_time_to_unix (time);
      return TRUE;
    }
  photoseal_request_fail (self, 400, "invalid",
                          "“%s” must be an ISO 8601 time with a time zone, or null", field);
  return FALSE;
}

/* Within @window seconds of @now, either way. Compared without
 * subtracting @timestamp, which comes from the client: now - INT64_MIN
 * overflows. */
gboolean
photoseal_request_timestamp_is_fresh (gint64 timestamp,
                                      gint64 now,
                                      gint64 window)
{
  return timestamp >= now - window && timestamp <= now + window;
}
