/* keyserver-test-client.c: a key-server client for tests, one per thread
 *
 * Users with an enrolled device key, keys made for them, and releases
 * signed as the desktop client signs them. Nothing here asserts on what
 * the server answers, so worker threads can use it and count instead;
 * the *_ok variants are for the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "keyserver-test-client.h"

/* Every request on its own connection, closed by the server once it has
 * answered. libsoup 3.2 clients open a new connection for each POST
 * anyway, and the server (on libsoup 3.2) never closes one the client
 * closed (see /keyserver/robustness/closed-connections): without this,
 * a few thousand requests would run it out of file descriptors. */
static void
on_request_queued (SoupSession *session,
                   SoupMessage *msg,
                   gpointer     user_data)
{
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Connection", "close");
}

Client *
client_new (const char *base_url)
{
  Client *client = g_new0 (Client, 1);

  client->session = soup_session_new_with_options ("timeout", 30, NULL);
  g_signal_connect (client->session, "request-queued", G_CALLBACK (on_request_queued), NULL);
  client->base_url = g_strdup (base_url);
  return client;
}

void
client_free (Client *client)
{
  g_clear_object (&client->session);
  g_free (client->base_url);
  g_free (client);
}

void
user_free (User *user)
{
  g_free (user->email);
  g_free (user->token);
  g_free (user);
}

void
key_free (Key *key)
{
  g_free (key->key_id);
  g_free (key);
}

Reply *
client_request (Client      *client,
                const char  *method,
                const char  *path,
                const char  *token,
                const char  *body,
                GError     **error)
{
  return keyserver_session_request (client->session, client->base_url, method, path, token, body,
                                    error);
}

/* For the main thread, where no answer at all is a failure. */
Reply *
client_request_ok (Client     *client,
                   const char *method,
                   const char *path,
                   const char *token,
                   const char *body)
{
  g_autoptr(GError) error = NULL;
  Reply *reply = client_request (client, method, path, token, body, &error);

  g_assert_no_error (error);
  return reply;
}

/* The error code of a reply, without asserting: worker threads use it. */
const char *
error_code (Reply *reply)
{
  JsonNode *error;

  if (reply->json == NULL || !JSON_NODE_HOLDS_OBJECT (reply->json))
    return NULL;
  error = json_object_get_member (json_node_get_object (reply->json), "error");
  if (error == NULL || !JSON_NODE_HOLDS_OBJECT (error))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (error), "code", NULL);
}

static char *
b64 (const guint8 *data,
     gsize         len)
{
  gsize size = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_ORIGINAL);
  char *text = g_malloc (size);

  sodium_bin2base64 (text, size, data, len, sodium_base64_VARIANT_ORIGINAL);
  return text;
}

char *
device_body (const char   *email,
             const char   *password,
             const guint8 *device_public)
{
  g_autofree char *public = b64 (device_public, crypto_sign_PUBLICKEYBYTES);

  return g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\","
                          "\"device\":{\"name\":\"test\",\"public_key\":\"%s\"}}",
                          email, password, public);
}

User *
make_user (Client     *client,
           const char *email)
{
  g_autoptr(User) user = g_new0 (User, 1);
  g_autofree char *account = g_strdup_printf (
    "{\"email\":\"%s\",\"password\":\"correct horse\",\"name\":\"%s\"}", email, email);
  g_autofree char *login = NULL;
  g_autoptr(Reply) created = client_request_ok (client, "POST", "/v1/accounts", NULL, account);
  g_autoptr(Reply) session = NULL;

  g_assert_cmpuint (created->status, ==, 201);
  crypto_sign_keypair (user->device_public, user->device_secret);
  login = device_body (email, "correct horse", user->device_public);
  session = client_request_ok (client, "POST", "/v1/sessions", NULL, login);
  g_assert_cmpuint (session->status, ==, 201);
  user->email = g_strdup (email);
  user->token = g_strdup (reply_string (session, "token"));
  keyserver_remember_device_key (user->token, user->device_secret);
  return g_steal_pointer (&user);
}

/* Opens a sealed_server_key; %FALSE if it is missing or does not open. */
static gboolean
unseal (Reply        *reply,
        const guint8 *ephemeral_public,
        const guint8 *ephemeral_secret,
        guint8       *server_key)
{
  const char *text = NULL;
  guint8 sealed[crypto_box_SEALBYTES + 32];
  size_t len = 0;

  if (reply->json != NULL && JSON_NODE_HOLDS_OBJECT (reply->json))
    text = json_object_get_string_member_with_default (json_node_get_object (reply->json),
                                                       "sealed_server_key", NULL);
  return text != NULL
         && sodium_base642bin (sealed, sizeof sealed, text, strlen (text), NULL, &len, NULL,
                               sodium_base64_VARIANT_ORIGINAL) == 0
         && len == sizeof sealed
         && crypto_box_seal_open (server_key, sealed, sizeof sealed, ephemeral_public,
                                  ephemeral_secret) == 0;
}

/* Asks for a new key. On a 201 whose key opens, fills in @key; the reply
 * is %NULL when none came back. Safe on any thread. */
Reply *
create_key (Client      *client,
            User        *owner,
            const char  *recipients_json,
            Key         *key,
            GError     **error)
{
  guint8 pk[32], sk[32];
  g_autofree char *pk_text = NULL;
  g_autofree char *body = NULL;
  Reply *reply;

  crypto_box_keypair (pk, sk);
  pk_text = b64 (pk, sizeof pk);
  body = g_strdup_printf ("{\"ephemeral_public_key\":\"%s\",\"recipients\":%s}", pk_text,
                          recipients_json);
  reply = client_request (client, "POST", "/v1/keys", owner->token, body, error);
  if (reply != NULL && reply->status == 201 && unseal (reply, pk, sk, key->server_key))
    key->key_id = g_strdup (reply_string (reply, "key_id"));
  return reply;
}

Key *
create_key_ok (Client     *client,
               User       *owner,
               const char *recipients_json)
{
  g_autoptr(Key) key = g_new0 (Key, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) reply = create_key (client, owner, recipients_json, key, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (reply->status, ==, 201);
  g_assert_nonnull (key->key_id);
  return g_steal_pointer (&key);
}

/* The body of a release signed with @user's device key, as the client
 * makes it, for a fresh ephemeral pair @pk, @sk. */
char *
release_body (User         *user,
              const char   *key_id,
              guint8       *pk,
              guint8       *sk)
{
  guint8 nonce[16], signature[64], raw_id[16];
  guint8 message[20 + 16 + 32 + 8 + 16];
  gint64 timestamp = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *pk_text = NULL, *nonce_text = NULL, *signature_text = NULL;
  size_t len = 0;

  crypto_box_keypair (pk, sk);
  randombytes_buf (nonce, sizeof nonce);
  g_assert_cmpint (sodium_base642bin (raw_id, sizeof raw_id, key_id, strlen (key_id), NULL, &len,
                                      NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING), ==, 0);
  memcpy (message, "photoseal/v1/release", 20);
  memcpy (message + 20, raw_id, 16);
  memcpy (message + 36, pk, 32);
  for (guint i = 0; i < 8; i++)
    message[68 + i] = (guint64) timestamp >> (56 - 8 * i);
  memcpy (message + 76, nonce, 16);
  crypto_sign_detached (signature, NULL, message, sizeof message, user->device_secret);

  pk_text = b64 (pk, 32);
  nonce_text = b64 (nonce, sizeof nonce);
  signature_text = b64 (signature, sizeof signature);
  return g_strdup_printf ("{\"ephemeral_public_key\":\"%s\",\"timestamp\":%" G_GINT64_FORMAT ","
                          "\"nonce\":\"%s\",\"signature\":\"%s\"}", pk_text, timestamp,
                          nonce_text, signature_text);
}

/* Opens the sealed key of a 200 into @server_key (zeros if it does not
 * open); @server_key may be %NULL. */
void
release_open (Reply        *reply,
              const guint8 *pk,
              const guint8 *sk,
              guint8       *server_key)
{
  if (reply != NULL && reply->status == 200 && server_key != NULL
      && !unseal (reply, pk, sk, server_key))
    memset (server_key, 0, 32);
}

/* A release signed with @user's device key, as the client makes it. On a
 * 200, @server_key gets the unsealed key, or zeros if it does not open.
 * Safe on any thread. */
Reply *
release_signed (Client      *client,
                User        *user,
                const char  *key_id,
                guint8      *server_key,
                GError     **error)
{
  guint8 pk[32], sk[32];
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s/release", key_id);
  g_autofree char *body = release_body (user, key_id, pk, sk);
  Reply *reply;

  reply = client_request (client, "POST", path, user->token, body, error);
  release_open (reply, pk, sk, server_key);
  return reply;
}

/* A release with an access code instead of a token. */
Reply *
release_with_access_code (Client      *client,
                          const char  *key_id,
                          const char  *code,
                          guint8      *server_key,
                          GError     **error)
{
  guint8 pk[32], sk[32];
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s/release", key_id);
  g_autofree char *pk_text = NULL;
  g_autofree char *body = NULL;
  Reply *reply;

  crypto_box_keypair (pk, sk);
  pk_text = b64 (pk, sizeof pk);
  body = g_strdup_printf ("{\"ephemeral_public_key\":\"%s\",\"access_code\":\"%s\"}", pk_text,
                          code);
  reply = client_request (client, "POST", path, NULL, body, error);
  release_open (reply, pk, sk, server_key);
  return reply;
}

guint
count_events (Client     *client,
              User       *owner,
              const char *key_id,
              const char *action)
{
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s/events", key_id);
  g_autoptr(Reply) reply = client_request_ok (client, "GET", path, owner->token, NULL);
  JsonArray *events;
  guint n = 0;

  g_assert_cmpuint (reply->status, ==, 200);
  events = json_node_get_array (reply->json);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_str_equal (json_object_get_string_member (event, "action"), action))
        n++;
    }
  return n;
}

/* A GThreadFunc: creates keys as @key_writer's owner until told to stop or
 * the server fails to answer with a key. A server killed mid-answer may
 * leave a 201 without its body: that key was never acknowledged either. */
gpointer
key_writer_run (gpointer key_writer)
{
  KeyWriter *writer = key_writer;
  g_autoptr(Client) client = client_new (writer->base_url);

  while (!g_atomic_int_get (writer->stop))
    {
      g_autoptr(Key) key = g_new0 (Key, 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(Reply) reply = create_key (client, writer->owner, "[]", key, &error);

      if (key->key_id == NULL)
        {
          writer->failed_at = g_get_monotonic_time ();
          writer->failure = reply ? g_strdup_printf ("%u %s", reply->status, reply->text)
                                  : g_strdup (error->message);
          break;
        }
      writer->last_ok = g_get_monotonic_time ();
      g_ptr_array_add (writer->keys, g_steal_pointer (&key));
    }
  return NULL;
}

void
key_writer_clear (KeyWriter *writer)
{
  g_clear_pointer (&writer->base_url, g_free);
  g_clear_pointer (&writer->owner, user_free);
  g_clear_pointer (&writer->keys, g_ptr_array_unref);
  g_clear_pointer (&writer->failure, g_free);
}
