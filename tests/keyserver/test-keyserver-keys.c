/* test-keyserver-keys.c: keys, releases and the authorisation matrix, against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "keyserver-fixture.h"

/* 32 zero bytes in base64: a well-formed ephemeral public key. */
#define ZERO_KEY "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

typedef struct
{
  char *email;
  char *token;
  guint8 device_public[crypto_sign_PUBLICKEYBYTES];
  guint8 device_secret[crypto_sign_SECRETKEYBYTES];
} User;

typedef struct
{
  char *key_id;
  guint8 server_key[32];
  char *access_code;
} Key;

static char *
b64 (const guint8 *data,
     gsize         len)
{
  gsize size = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_ORIGINAL);
  char *text = g_malloc (size);

  sodium_bin2base64 (text, size, data, len, sodium_base64_VARIANT_ORIGINAL);
  return text;
}

static void
user_free (User *user)
{
  g_free (user->email);
  g_free (user->token);
  g_free (user);
}

static void
key_free (Key *key)
{
  g_free (key->key_id);
  g_free (key->access_code);
  g_free (key);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (User, user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Key, key_free)

static User *
make_user (KeyserverFixture *fixture,
           const char       *email)
{
  User *user = g_new0 (User, 1);
  g_autofree char *account = g_strdup_printf (
    "{\"email\":\"%s\",\"password\":\"correct horse\",\"name\":\"%s\"}", email, email);
  g_autofree char *public = NULL;
  g_autofree char *login = NULL;
  g_autoptr(Reply) created = keyserver_request (fixture, "POST", "/v1/accounts", NULL, account);
  g_autoptr(Reply) session = NULL;

  g_assert_cmpuint (created->status, ==, 201);
  crypto_sign_keypair (user->device_public, user->device_secret);
  public = b64 (user->device_public, sizeof user->device_public);
  login = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"correct horse\","
                           "\"device\":{\"name\":\"test\",\"public_key\":\"%s\"}}", email, public);
  session = keyserver_request (fixture, "POST", "/v1/sessions", NULL, login);
  g_assert_cmpuint (session->status, ==, 201);
  user->email = g_strdup (email);
  user->token = g_strdup (reply_string (session, "token"));
  keyserver_remember_device_key (user->token, user->device_secret);
  return user;
}

/* Opens a sealed_server_key with the ephemeral secret key. */
static void
unseal (Reply        *reply,
        const guint8 *ephemeral_public,
        const guint8 *ephemeral_secret,
        guint8       *server_key)
{
  const char *text = reply_string (reply, "sealed_server_key");
  guint8 sealed[crypto_box_SEALBYTES + 32];
  size_t len = 0;

  g_assert_nonnull (text);
  g_assert_cmpint (sodium_base642bin (sealed, sizeof sealed, text, strlen (text), NULL, &len, NULL,
                                      sodium_base64_VARIANT_ORIGINAL), ==, 0);
  g_assert_cmpuint (len, ==, sizeof sealed);
  g_assert_cmpint (crypto_box_seal_open (server_key, sealed, sizeof sealed, ephemeral_public,
                                         ephemeral_secret), ==, 0);
}

static Key *
create_key (KeyserverFixture *fixture,
            User             *owner,
            const char       *recipients_json,
            const char       *extra)
{
  Key *key = g_new0 (Key, 1);
  guint8 pk[32], sk[32];
  g_autofree char *pk_text = NULL;
  g_autofree char *body = NULL;
  g_autoptr(Reply) reply = NULL;

  crypto_box_keypair (pk, sk);
  pk_text = b64 (pk, sizeof pk);
  body = g_strdup_printf ("{\"ephemeral_public_key\":\"%s\",\"recipients\":%s%s}", pk_text,
                          recipients_json, extra ? extra : "");
  reply = keyserver_request (fixture, "POST", "/v1/keys", owner->token, body);
  if (reply->status != 201)
    g_error ("creating a key: %u %s", reply->status, reply->text);
  key->key_id = g_strdup (reply_string (reply, "key_id"));
  g_assert_cmpuint (strlen (key->key_id), ==, 22);
  unseal (reply, pk, sk, key->server_key);
  if (json_object_has_member (json_node_get_object (reply->json), "access_code"))
    key->access_code = g_strdup (reply_string (reply, "access_code"));
  return key;
}

/* A signed release as the client will make it; @signer may differ from
 * @user to forge, @timestamp_shift to go stale, @body_out to replay. */
static Reply *
release_signed (KeyserverFixture *fixture,
                User             *user,
                const guint8     *signer_secret,
                const char       *key_id,
                gint64            timestamp_shift,
                guint8           *server_key,
                char            **body_out)
{
  guint8 pk[32], sk[32], nonce[16], signature[64], raw_id[16];
  guint8 message[20 + 16 + 32 + 8 + 16];
  gint64 timestamp = g_get_real_time () / G_USEC_PER_SEC + timestamp_shift;
  g_autofree char *pk_text = NULL, *nonce_text = NULL, *signature_text = NULL;
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s/release", key_id);
  g_autofree char *body = NULL;
  size_t len = 0;
  Reply *reply;

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
  crypto_sign_detached (signature, NULL, message, sizeof message,
                        signer_secret ? signer_secret : user->device_secret);

  pk_text = b64 (pk, sizeof pk);
  nonce_text = b64 (nonce, sizeof nonce);
  signature_text = b64 (signature, sizeof signature);
  body = g_strdup_printf ("{\"ephemeral_public_key\":\"%s\",\"timestamp\":%" G_GINT64_FORMAT ","
                          "\"nonce\":\"%s\",\"signature\":\"%s\"}", pk_text, timestamp,
                          nonce_text, signature_text);
  reply = keyserver_request (fixture, "POST", path, user->token, body);
  if (reply->status == 200 && server_key != NULL)
    unseal (reply, pk, sk, server_key);
  if (body_out != NULL)
    *body_out = g_steal_pointer (&body);
  return reply;
}

static Reply *
release_with_code (KeyserverFixture *fixture,
                   const char       *key_id,
                   const char       *code,
                   guint8           *server_key)
{
  guint8 pk[32], sk[32];
  g_autofree char *pk_text = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s/release", key_id);
  Reply *reply;

  crypto_box_keypair (pk, sk);
  pk_text = b64 (pk, sizeof pk);
  body = g_strdup_printf ("{\"ephemeral_public_key\":\"%s\",\"access_code\":\"%s\"}", pk_text,
                          code);
  reply = keyserver_request (fixture, "POST", path, NULL, body);
  if (reply->status == 200 && server_key != NULL)
    unseal (reply, pk, sk, server_key);
  return reply;
}

static guint
count_events (KeyserverFixture *fixture,
              User             *owner,
              const char       *key_id,
              const char       *action)
{
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s/events", key_id);
  g_autoptr(Reply) reply = keyserver_request (fixture, "GET", path, owner->token, NULL);
  JsonArray *events;
  guint n = 0;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (reply->json));
  events = json_node_get_array (reply->json);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      g_assert_nonnull (json_object_get_string_member (event, "at"));
      g_assert_nonnull (json_object_get_string_member (event, "actor"));
      g_assert_cmpstr (json_object_get_string_member (event, "address"), ==, "127.0.0.1");
      if (g_str_equal (json_object_get_string_member (event, "action"), action))
        n++;
    }
  return n;
}

static void
test_release_matrix (KeyserverFixture *fixture,
                     gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(User) bob = make_user (fixture, "bob@example.org");
  g_autoptr(User) carol = make_user (fixture, "carol@example.org");
  g_autoptr(Key) key = create_key (fixture, alice, "[\"BOB@example.org\"]", NULL);
  g_autofree char *server_key_b64 = b64 (key->server_key, 32);
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s/release", key->key_id);
  g_autofree char *replayed_body = NULL;
  guint8 got[32];

  /* The owner and a named recipient get the same key, sealed, never in clear. */
  {
    g_autoptr(Reply) owner = release_signed (fixture, alice, NULL, key->key_id, 0, got, NULL);
    g_assert_cmpuint (owner->status, ==, 200);
    g_assert_cmpmem (got, 32, key->server_key, 32);
    g_assert_null (strstr (owner->text, server_key_b64));
  }
  {
    g_autoptr(Reply) recipient = release_signed (fixture, bob, NULL, key->key_id, 0, got,
                                                 &replayed_body);
    JsonObject *answer = json_node_get_object (recipient->json);
    JsonObject *owner;

    g_assert_cmpuint (recipient->status, ==, 200);
    g_assert_cmpmem (got, 32, key->server_key, 32);
    g_assert_null (strstr (recipient->text, server_key_b64));
    /* The sender as the server knows it, for the viewer to show. */
    owner = json_object_get_object_member (answer, "owner");
    g_assert_cmpstr (json_object_get_string_member (owner, "email"), ==, "alice@example.org");
    g_assert_cmpstr (json_object_get_string_member (owner, "name"), ==, "alice@example.org");
    g_assert_true (g_str_has_suffix (json_object_get_string_member (answer, "created"), "Z"));
  }
  {
    g_autoptr(Reply) other = release_signed (fixture, carol, NULL, key->key_id, 0, NULL, NULL);
    g_assert_cmpuint (other->status, ==, 403);
    g_assert_cmpstr (reply_error_code (other), ==, "not_a_recipient");
  }
  {
    g_autoptr(Reply) replay = keyserver_request (fixture, "POST", path, bob->token, replayed_body);
    g_assert_cmpuint (replay->status, ==, 401);
    g_assert_cmpstr (reply_error_code (replay), ==, "replayed");
  }
  {
    /* A stolen token without the device key opens nothing. */
    g_autoptr(Reply) forged = release_signed (fixture, bob, carol->device_secret, key->key_id, 0,
                                              NULL, NULL);
    g_assert_cmpuint (forged->status, ==, 401);
    g_assert_cmpstr (reply_error_code (forged), ==, "bad_signature");
  }
  {
    g_autoptr(Reply) stale = release_signed (fixture, bob, NULL, key->key_id, -600, NULL, NULL);
    g_assert_cmpuint (stale->status, ==, 401);
    g_assert_cmpstr (reply_error_code (stale), ==, "stale_timestamp");
  }
  {
    g_autoptr(Reply) anonymous = keyserver_request (fixture, "POST", path, NULL,
      "{\"ephemeral_public_key\":\"" ZERO_KEY "\"}");
    g_assert_cmpuint (anonymous->status, ==, 401);
    g_assert_cmpstr (reply_error_code (anonymous), ==, "unauthorized");
  }
  {
    g_autoptr(Reply) junk = release_signed (fixture, bob, NULL, "AAAAAAAAAAAAAAAAAAAAAA", 0, NULL,
                                            NULL);
    g_assert_cmpuint (junk->status, ==, 404);
  }

  g_assert_cmpuint (count_events (fixture, alice, key->key_id, "create"), ==, 1);
  g_assert_cmpuint (count_events (fixture, alice, key->key_id, "release"), ==, 2);
  g_assert_cmpuint (count_events (fixture, alice, key->key_id, "deny"), ==, 1);

  /* Revocation: 204, then nobody, not even the owner, gets the key. */
  {
    g_autofree char *key_path = g_strdup_printf ("/v1/keys/%s", key->key_id);
    g_autoptr(Reply) not_owner = keyserver_request (fixture, "DELETE", key_path, bob->token, NULL);
    g_autoptr(Reply) revoke = NULL;
    g_autoptr(Reply) after_bob = NULL;
    g_autoptr(Reply) after_alice = NULL;
    g_autoptr(Reply) shown = NULL;

    g_assert_cmpuint (not_owner->status, ==, 404);
    revoke = keyserver_request (fixture, "DELETE", key_path, alice->token, NULL);
    g_assert_cmpuint (revoke->status, ==, 204);
    after_bob = release_signed (fixture, bob, NULL, key->key_id, 0, NULL, NULL);
    g_assert_cmpuint (after_bob->status, ==, 410);
    g_assert_cmpstr (reply_error_code (after_bob), ==, "revoked");
    after_alice = release_signed (fixture, alice, NULL, key->key_id, 0, NULL, NULL);
    g_assert_cmpuint (after_alice->status, ==, 410);
    shown = keyserver_request (fixture, "GET", key_path, alice->token, NULL);
    g_assert_cmpstr (reply_string (shown, "status"), ==, "revoked");
    g_assert_cmpuint (count_events (fixture, alice, key->key_id, "revoke"), ==, 1);
  }
}

static void
test_expiry_and_updates (KeyserverFixture *fixture,
                         gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(User) bob = make_user (fixture, "bob@example.org");
  g_autoptr(User) carol = make_user (fixture, "carol@example.org");
  g_autoptr(Key) expired = create_key (fixture, alice, "[\"bob@example.org\"]",
                                       ",\"expires\":\"2020-01-01T00:00:00Z\"");
  g_autoptr(Key) key = create_key (fixture, alice, "[\"bob@example.org\"]", ",\"expires\":null");
  g_autofree char *key_path = g_strdup_printf ("/v1/keys/%s", key->key_id);

  {
    g_autoptr(Reply) recipient = release_signed (fixture, bob, NULL, expired->key_id, 0, NULL,
                                                 NULL);
    g_autoptr(Reply) owner = release_signed (fixture, alice, NULL, expired->key_id, 0, NULL, NULL);

    g_assert_cmpuint (recipient->status, ==, 410);
    g_assert_cmpstr (reply_error_code (recipient), ==, "expired");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                       json_node_get_object (recipient->json), "error"), "expired_at"), ==,
                     "2020-01-01T00:00:00Z");
    g_assert_cmpuint (owner->status, ==, 200);
  }

  /* Recipients are replaced whole; other fields stay as they were. */
  {
    g_autoptr(Reply) patched = keyserver_request (fixture, "PATCH", key_path, alice->token,
                                                  "{\"recipients\":[\"carol@example.org\"]}");
    g_autoptr(Reply) by_bob = release_signed (fixture, bob, NULL, key->key_id, 0, NULL, NULL);
    g_autoptr(Reply) by_carol = release_signed (fixture, carol, NULL, key->key_id, 0, NULL, NULL);
    g_autoptr(Reply) not_owner = keyserver_request (fixture, "PATCH", key_path, carol->token,
                                                    "{\"recipients\":[]}");
    g_autoptr(Reply) listed = keyserver_request (fixture, "GET", "/v1/keys", alice->token, NULL);
    g_autoptr(Reply) carols = keyserver_request (fixture, "GET", "/v1/keys", carol->token, NULL);

    g_assert_cmpuint (patched->status, ==, 200);
    g_assert_cmpuint (by_bob->status, ==, 403);
    g_assert_cmpuint (by_carol->status, ==, 200);
    g_assert_cmpuint (not_owner->status, ==, 404);
    g_assert_cmpuint (count_events (fixture, alice, key->key_id, "update"), ==, 1);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (listed->json), "keys")), ==, 2);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (carols->json), "keys")), ==, 0);
  }

  /* A disabled recipient is shut out at once. */
  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "user", "disable", "carol@example.org",
                                            NULL), ==, 0);
  {
    g_autoptr(Reply) disabled = release_signed (fixture, carol, NULL, key->key_id, 0, NULL, NULL);
    g_assert_cmpuint (disabled->status, ==, 401);
  }
}

static void
test_access_codes (KeyserverFixture *fixture,
                   gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(Key) key = create_key (fixture, alice, "[]", ",\"access_code\":true");
  g_autoptr(Key) plain = create_key (fixture, alice, "[]", NULL);
  g_autofree char *sloppy = NULL;
  g_autofree char *key_path = g_strdup_printf ("/v1/keys/%s", key->key_id);
  guint8 got[32];

  g_assert_nonnull (key->access_code);
  g_assert_cmpuint (strlen (key->access_code), ==, 11);
  g_assert_null (plain->access_code);

  {
    g_autoptr(Reply) right = release_with_code (fixture, key->key_id, key->access_code, got);
    g_assert_cmpuint (right->status, ==, 200);
    g_assert_cmpmem (got, 32, key->server_key, 32);
  }
  /* Typed by a person: lower case, no dash. */
  sloppy = g_ascii_strdown (key->access_code, -1);
  memmove (sloppy + 5, sloppy + 6, 6);
  {
    g_autoptr(Reply) again = release_with_code (fixture, key->key_id, sloppy, NULL);
    g_assert_cmpuint (again->status, ==, 200);
  }
  {
    g_autoptr(Reply) none = release_with_code (fixture, plain->key_id, "AAAAA-AAAAA", NULL);
    g_assert_cmpuint (none->status, ==, 403);
  }

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Reply) wrong = release_with_code (fixture, key->key_id, "22222-22222", NULL);
      g_assert_cmpuint (wrong->status, ==, 403);
      g_assert_cmpstr (reply_error_code (wrong), ==, "bad_access_code");
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                         json_node_get_object (wrong->json), "error"), "tries_left"), ==, 4 - i);
    }
  {
    /* Locked: even the right code is refused now. */
    g_autoptr(Reply) locked = release_with_code (fixture, key->key_id, key->access_code, NULL);
    g_assert_cmpuint (locked->status, ==, 429);
    g_assert_cmpstr (reply_error_code (locked), ==, "locked");
  }
  {
    /* The owner issues a new code, sealed to a key made for the request;
     * the old one is gone. */
    guint8 pk[32], sk[32];
    g_autofree char *pk_text = NULL;
    g_autofree char *body = NULL;
    g_autoptr(Reply) reissued = NULL;
    g_autoptr(Reply) unsealable = NULL;
    g_autoptr(Reply) old = NULL;
    g_autoptr(Reply) fresh = NULL;
    guint8 sealed[crypto_box_SEALBYTES + 11];
    char code[12] = { 0 };
    size_t len = 0;

    crypto_box_keypair (pk, sk);
    pk_text = b64 (pk, sizeof pk);
    body = g_strdup_printf ("{\"access_code\":true,\"ephemeral_public_key\":\"%s\"}", pk_text);
    reissued = keyserver_request (fixture, "PATCH", key_path, alice->token, body);
    g_assert_cmpuint (reissued->status, ==, 200);
    /* "access_code" only says that there is one. */
    g_assert_true (json_object_get_boolean_member (json_node_get_object (reissued->json),
                                                   "access_code"));
    g_assert_cmpint (sodium_base642bin (sealed, sizeof sealed, reply_string (reissued,
                                        "sealed_access_code"), strlen (reply_string (reissued,
                                        "sealed_access_code")), NULL, &len, NULL,
                                        sodium_base64_VARIANT_ORIGINAL), ==, 0);
    g_assert_cmpuint (len, ==, sizeof sealed);
    g_assert_cmpint (crypto_box_seal_open ((guint8 *) code, sealed, len, pk, sk), ==, 0);

    /* Without a key to seal it to, no code is made at all. */
    unsealable = keyserver_request (fixture, "PATCH", key_path, alice->token,
                                    "{\"access_code\":true}");
    g_assert_cmpuint (unsealable->status, ==, 400);
    old = release_with_code (fixture, key->key_id, key->access_code, NULL);
    g_assert_cmpuint (old->status, ==, 403);
    fresh = release_with_code (fixture, key->key_id, code, NULL);
    g_assert_cmpuint (fresh->status, ==, 200);
  }
  g_assert_cmpuint (count_events (fixture, alice, key->key_id, "release"), ==, 3);
}

static void
test_bad_key_input (KeyserverFixture *fixture,
                    gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(GString) many = g_string_new ("{\"ephemeral_public_key\":"
                                          "\"" ZERO_KEY "\",\"recipients\":[");
  g_autoptr(Key) key = create_key (fixture, alice, "[]", NULL);
  g_autofree char *release_path = g_strdup_printf ("/v1/keys/%s/release", key->key_id);
  const char *bodies[] = {
    "{\"recipients\":[]}",
    "{\"ephemeral_public_key\":\"AAAA\",\"recipients\":[]}",
    "{\"ephemeral_public_key\":\"" ZERO_KEY "\",\"recipients\":\"bob\"}",
    "{\"ephemeral_public_key\":\"" ZERO_KEY "\",\"recipients\":[1]}",
    "{\"ephemeral_public_key\":\"" ZERO_KEY "\",\"recipients\":[],"
      "\"expires\":\"next week\"}",
    "{\"ephemeral_public_key\":\"" ZERO_KEY "\",\"recipients\":[],"
      "\"access_code\":\"yes\"}",
    "{\"ephemeral_public_key\":\"" ZERO_KEY "\",\"recipients\":[],"
      "\"owner\":\"mallory@example.org\"}",
  };

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (many, "%s\"r%u@example.org\"", i ? "," : "", i);
  g_string_append (many, "]}");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(Reply) reply = keyserver_request (fixture, "POST", "/v1/keys", alice->token,
                                                  bodies[i]);

      if (reply->status != 400)
        g_error ("body %u: expected 400, got %u: %s", i, reply->status, reply->text);
      g_assert_cmpstr (reply_error_code (reply), ==, "invalid");
    }
  {
    /* 10 000 recipients are over the body limit before they are over 100. */
    g_autoptr(Reply) reply = keyserver_request (fixture, "POST", "/v1/keys", alice->token,
                                                many->str);
    g_assert_cmpuint (reply->status, >=, 400);
    g_assert_cmpuint (reply->status, <, 500);
    reply_error_code (reply);
  }
  {
    g_autoptr(Reply) no_token = keyserver_request (fixture, "POST", "/v1/keys", NULL,
      "{\"ephemeral_public_key\":\"" ZERO_KEY "\",\"recipients\":[]}");
    g_assert_cmpuint (no_token->status, ==, 401);
  }
  {
    /* The timestamp is a number, never a string. */
    g_autoptr(Reply) reply = keyserver_request (fixture, "POST", release_path, alice->token,
      "{\"ephemeral_public_key\":\"" ZERO_KEY "\",\"timestamp\":\"1\","
      "\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"signature\":\""
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
      "==\"}");
    g_assert_cmpuint (reply->status, ==, 400);
  }

  {
    const char *paths[] = {
      "/v1/keys/..%2F..%2Fetc", "/v1/keys/'%3B%20DROP%20TABLE%20keys%3B--",
      "/v1/keys/AAAAAAAAAAAAAAAAAAAAAA%00", "/v1/keys/short/events",
    };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autoptr(Reply) reply = keyserver_request (fixture, "GET", paths[i], alice->token, NULL);

        g_assert_cmpuint (reply->status, >=, 400);
        g_assert_cmpuint (reply->status, <, 500);
        reply_error_code (reply);
      }
  }
}

static void
test_audit_chain (KeyserverFixture *fixture,
                  gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(Key) first = create_key (fixture, alice, "[]", NULL);
  g_autoptr(Key) second = create_key (fixture, alice, "[]", NULL);
  g_autoptr(Reply) released = release_signed (fixture, alice, NULL, first->key_id, 0, NULL, NULL);
  g_autofree char *master = g_build_filename (fixture->data_dir, "master.key", NULL);
  GStatBuf st;

  g_assert_cmpuint (released->status, ==, 200);
  g_assert_cmpint (g_stat (master, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, 32);

  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "verify-audit", NULL), ==, 0);

  /* Rewriting history breaks the chain, even past the append-only
   * triggers of someone with direct access to the file. */
  keyserver_fixture_sql (fixture,
                         "DROP TRIGGER events_no_update; "
                         "UPDATE events SET actor = 'mallory' WHERE id = 2;",
                         "ALTER TABLE events DISABLE TRIGGER events_no_update; "
                         "UPDATE events SET actor = 'mallory' WHERE id = 2;");
  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "verify-audit", NULL), !=, 0);
}

/* A timestamp at either end of int64: "now - timestamp" overflowed for
 * INT64_MIN (UBSan caught it); both are simply stale. */
static void
test_release_timestamp_extremes (KeyserverFixture *fixture,
                                 gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(Key) key = create_key (fixture, alice, "[]", NULL);
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s/release", key->key_id);
  const char *extremes[] = { "-9223372036854775808", "9223372036854775807" };

  for (guint i = 0; i < G_N_ELEMENTS (extremes); i++)
    {
      g_autofree char *body = g_strdup_printf (
        "{\"ephemeral_public_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\","
        "\"timestamp\":%s,\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"signature\":\"%s\"}",
        extremes[i], "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                     "AAAAAAAAAAAAAAAA==");
      g_autoptr(Reply) stale = keyserver_request (fixture, "POST", path, alice->token, body);

      g_assert_cmpuint (stale->status, ==, 401);
      g_assert_cmpstr (reply_error_code (stale), ==, "stale_timestamp");
    }
  {
    g_autoptr(Reply) health = keyserver_request (fixture, "GET", "/v1/health", NULL, NULL);
    g_assert_cmpuint (health->status, ==, 200);
  }
}

/* Issue 11, item 1: with Alice's token alone (no device key) a thief
 * re-issued her access code, added himself as a recipient, and deleted
 * her keys. Every change now needs the device key's signature too. */
static void
test_stolen_token_cannot_change_keys (KeyserverFixture *fixture,
                                      gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(User) mallory = make_user (fixture, "mallory@example.org");
  g_autoptr(Key) key = create_key (fixture, alice, "[\"bob@example.org\"]", NULL);
  g_autofree char *key_path = g_strdup_printf ("/v1/keys/%s", key->key_id);
  const char *patches[] = {
    "{\"access_code\":true,"
    "\"ephemeral_public_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}",
    "{\"recipients\":[\"mallory@example.org\"]}",
  };
  const char *create = "{\"ephemeral_public_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\","
                       "\"recipients\":[]}";

  /* Unsigned, and signed with the thief's own device key. */
  for (guint signer = 0; signer < 2; signer++)
    {
      const guint8 *secret = signer ? mallory->device_secret : NULL;

      for (guint i = 0; i < G_N_ELEMENTS (patches); i++)
        {
          g_autoptr(Reply) patched = keyserver_request_signed_by (fixture, "PATCH", key_path,
                                                                  alice->token, patches[i],
                                                                  secret, 0);
          g_assert_cmpuint (patched->status, ==, 401);
          g_assert_cmpstr (reply_error_code (patched), ==, "bad_signature");
        }
      {
        g_autoptr(Reply) deleted = keyserver_request_signed_by (fixture, "DELETE", key_path,
                                                                alice->token, NULL, secret, 0);
        g_autoptr(Reply) created = keyserver_request_signed_by (fixture, "POST", "/v1/keys",
                                                                alice->token, create, secret, 0);
        g_assert_cmpuint (deleted->status, ==, 401);
        g_assert_cmpstr (reply_error_code (deleted), ==, "bad_signature");
        g_assert_cmpuint (created->status, ==, 401);
        g_assert_cmpstr (reply_error_code (created), ==, "bad_signature");
      }
    }

  /* Nothing changed: the key is active, Bob's alone, and Mallory gets nothing. */
  {
    g_autoptr(Reply) shown = keyserver_request (fixture, "GET", key_path, alice->token, NULL);
    g_autoptr(Reply) denied = release_signed (fixture, mallory, NULL, key->key_id, 0, NULL, NULL);
    JsonArray *recipients = json_object_get_array_member (json_node_get_object (shown->json),
                                                          "recipients");

    g_assert_cmpstr (reply_string (shown, "status"), ==, "active");
    g_assert_cmpuint (json_array_get_length (recipients), ==, 1);
    g_assert_cmpuint (denied->status, ==, 403);
  }
  g_assert_cmpuint (count_events (fixture, alice, key->key_id, "update"), ==, 0);
}

/* A signed change is refused when its signature covers another body,
 * when its time is off, and when it is sent a second time. */
static void
test_signed_change_replayed_or_stale (KeyserverFixture *fixture,
                                      gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(Key) key = create_key (fixture, alice, "[]", NULL);
  g_autofree char *key_path = g_strdup_printf ("/v1/keys/%s", key->key_id);
  g_autofree char *url = g_strconcat (fixture->base_url, key_path, NULL);
  const char *body = "{\"recipients\":[\"bob@example.org\"]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr(GBytes) other = g_bytes_new_static ("{\"recipients\":[]}", 17);
  g_autofree char *authorization = g_strconcat ("Bearer ", alice->token, NULL);
  SoupMessageHeaders *first_headers;

  {
    g_autoptr(Reply) stale = keyserver_request_signed_by (fixture, "PATCH", key_path, alice->token,
                                                          body, alice->device_secret, -600);
    g_assert_cmpuint (stale->status, ==, 401);
    g_assert_cmpstr (reply_error_code (stale), ==, "stale_timestamp");
  }
  {
    /* The same headers twice: 200, then 409. */
    g_autoptr(SoupMessage) first = soup_message_new ("PATCH", url);
    g_autoptr(SoupMessage) again = soup_message_new ("PATCH", url);
    g_autoptr(SoupMessage) swapped = soup_message_new ("PATCH", url);
    g_autoptr(GBytes) answer = NULL;
    SoupMessage *copies[] = { again, swapped };

    soup_message_set_request_body_from_bytes (first, "application/json", bytes);
    soup_message_headers_replace (soup_message_get_request_headers (first), "Authorization",
                                  authorization);
    keyserver_sign_request (first, key_path, bytes, alice->device_secret, 0);
    first_headers = soup_message_get_request_headers (first);
    answer = soup_session_send_and_read (fixture->session, first, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (first), ==, 200);

    soup_message_set_request_body_from_bytes (again, "application/json", bytes);
    soup_message_set_request_body_from_bytes (swapped, "application/json", other);
    for (guint i = 0; i < G_N_ELEMENTS (copies); i++)
      {
        SoupMessageHeaders *headers = soup_message_get_request_headers (copies[i]);
        const char *names[] = { "Authorization", "Photoseal-Timestamp", "Photoseal-Nonce",
                                "Photoseal-Signature" };
        g_autoptr(GBytes) refused = NULL;

        for (guint n = 0; n < G_N_ELEMENTS (names); n++)
          soup_message_headers_replace (headers, names[n],
                                        soup_message_headers_get_one (first_headers, names[n]));
        refused = soup_session_send_and_read (fixture->session, copies[i], NULL, NULL);
        /* The same body: a replay. Another body: not what was signed. */
        g_assert_cmpuint (soup_message_get_status (copies[i]), ==, i == 0 ? 409 : 401);
      }
  }
  {
    g_autoptr(Reply) shown = keyserver_request (fixture, "GET", key_path, alice->token, NULL);
    JsonArray *recipients = json_object_get_array_member (json_node_get_object (shown->json),
                                                          "recipients");
    g_assert_cmpuint (json_array_get_length (recipients), ==, 1);
  }
}

/* Issue 11, item 8: anyone who has seen a file's key id wrote a deny row
 * per refused release, 2,427 rows/s. Repeats from one account and address
 * within a minute are counted, not written. */
static void
test_refused_releases_coalesced (KeyserverFixture *fixture,
                                 gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(User) carol = make_user (fixture, "carol@example.org");
  g_autoptr(Key) key = create_key (fixture, alice, "[\"bob@example.org\"]", NULL);
  gint64 first_minute = g_get_real_time () / G_USEC_PER_SEC / 60;
  gint64 minutes;
  guint written;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(Reply) refused = release_signed (fixture, carol, NULL, key->key_id, 0, NULL, NULL);

      g_assert_cmpuint (refused->status, ==, 403);
      g_assert_cmpstr (reply_error_code (refused), ==, "not_a_recipient");
    }
  /* One row per clock minute: a slow run (sanitizers) may cross into the
   * next one and write a second. */
  minutes = g_get_real_time () / G_USEC_PER_SEC / 60 - first_minute + 1;
  written = count_events (fixture, alice, key->key_id, "deny");
  g_assert_cmpuint (written, >=, 1);
  g_assert_cmpuint (written, <=, minutes);
}

/* And one address gets only so many refusals a minute answered at all. */
static void
test_refused_releases_rate_limited (KeyserverFixture *fixture,
                                    gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(User) carol = make_user (fixture, "carol@example.org");
  g_autoptr(Key) key = create_key (fixture, alice, "[]", NULL);
  guint refused = 0, throttled = 0;

  /* Twice the limit: the count starts again each minute. */
  for (guint i = 0; i < 1300 && throttled == 0; i++)
    {
      g_autoptr(Reply) reply = release_signed (fixture, carol, NULL, key->key_id, 0, NULL, NULL);

      refused += reply->status == 403;
      if (reply->status == 429)
        {
          g_assert_cmpstr (reply_error_code (reply), ==, "throttled");
          g_assert_nonnull (reply->retry_after);
          throttled++;
        }
    }
  g_test_message ("%u refusals answered before the 429", refused);
  g_assert_cmpuint (throttled, ==, 1);
  g_assert_cmpuint (refused, <=, 1200);
}

static void
assert_tampered (Reply *reply)
{
  g_assert_cmpuint (reply->status, ==, 500);
  g_assert_cmpstr (reply_error_code (reply), ==, "policy_tampered");
}

/* Issue 11, item 6: a database writer without the master key (a
 * PostgreSQL DBA) added himself to key_recipients and had the key
 * released. Each key's owner, recipients, expiry and access code are
 * MACed under the master key now: his row, or an expiry he moved, makes
 * the key refuse every release (audited, and an alert in the log), and the
 * owner's next PATCH does not bless it. The owner's own PATCH still works. */
static void
test_database_writer_adds_recipient (KeyserverFixture *fixture,
                                     gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(User) bob = make_user (fixture, "bob@example.org");
  g_autoptr(User) mallory = make_user (fixture, "mallory@example.org");
  g_autoptr(Key) key = create_key (fixture, alice, "[\"bob@example.org\"]", NULL);
  g_autoptr(Key) expired = create_key (fixture, alice, "[\"bob@example.org\"]",
                                       ",\"expires\":\"2020-01-01T00:00:00Z\"");
  g_autoptr(Key) kept = create_key (fixture, alice, "[\"bob@example.org\"]", NULL);
  g_autofree char *key_path = g_strdup_printf ("/v1/keys/%s", key->key_id);
  g_autofree char *kept_path = g_strdup_printf ("/v1/keys/%s", kept->key_id);
  g_autofree char *sql = g_strdup_printf ("INSERT INTO key_recipients VALUES ('%s', "
                                          "'mallory@example.org', 'mallory@example.org'); "
                                          "UPDATE keys SET expires = 0 WHERE key_id = '%s';",
                                          key->key_id, expired->key_id);
  g_autofree char *log = NULL;

  keyserver_fixture_sql (fixture, sql, sql);
  {
    g_autoptr(Reply) by_mallory = release_signed (fixture, mallory, NULL, key->key_id, 0, NULL,
                                                  NULL);
    g_autoptr(Reply) by_bob = release_signed (fixture, bob, NULL, expired->key_id, 0, NULL, NULL);
    g_autoptr(Reply) patched = keyserver_request (fixture, "PATCH", key_path, alice->token,
                                                  "{\"expires\":null}");
    g_autoptr(Reply) again = release_signed (fixture, mallory, NULL, key->key_id, 0, NULL, NULL);

    assert_tampered (by_mallory);
    assert_tampered (by_bob);
    assert_tampered (patched);
    assert_tampered (again);
  }
  g_assert_cmpuint (count_events (fixture, alice, key->key_id, "deny"), ==, 1);
  g_assert_cmpuint (count_events (fixture, alice, key->key_id, "update"), ==, 0);
  g_assert_cmpuint (count_events (fixture, alice, expired->key_id, "deny"), ==, 1);
  log = keyserver_fixture_read_log (fixture);
  g_assert_nonnull (strstr (log, "ALERT: refused a release of key"));
  g_assert_nonnull (strstr (log, "ALERT: refused a change of key"));

  /* The owner's PATCH on a key nobody touched works, and so does its release. */
  {
    g_autoptr(Reply) patched = keyserver_request (fixture, "PATCH", kept_path, alice->token,
                                                  "{\"recipients\":[\"mallory@example.org\"],"
                                                  "\"expires\":\"2099-01-01T00:00:00Z\"}");
    g_autoptr(Reply) by_mallory = release_signed (fixture, mallory, NULL, kept->key_id, 0, NULL,
                                                  NULL);

    g_assert_cmpuint (patched->status, ==, 200);
    g_assert_cmpuint (by_mallory->status, ==, 200);
  }
}

/* Stops the server, runs @sql on its database, and starts it again. */
static void
restart_after_sql (KeyserverFixture *fixture,
                   const char       *sql)
{
  g_subprocess_send_signal (fixture->process, SIGTERM);
  g_subprocess_wait (fixture->process, NULL, NULL);
  keyserver_fixture_sql (fixture, sql, sql);
  keyserver_fixture_restart (fixture);
}

/* Keys made before policy MACs get theirs at the first start with the
 * master key, once: a restart then changes nothing, and a MAC blanked
 * afterwards is not filled in again. */
static void
test_policy_backfill_once (KeyserverFixture *fixture,
                           gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(User) bob = make_user (fixture, "bob@example.org");
  g_autoptr(Key) key = create_key (fixture, alice, "[\"bob@example.org\"]", NULL);
  const char *upgrade = "UPDATE keys SET policy_mac = NULL; "
                        "DELETE FROM settings WHERE name = 'photoseal/key-policy-sealed';";
  const char *blank = "UPDATE keys SET policy_mac = NULL;";

  restart_after_sql (fixture, upgrade);
  {
    g_autoptr(Reply) by_bob = release_signed (fixture, bob, NULL, key->key_id, 0, NULL, NULL);

    g_assert_cmpuint (by_bob->status, ==, 200);
  }

  restart_after_sql (fixture, blank);
  {
    g_autoptr(Reply) by_bob = release_signed (fixture, bob, NULL, key->key_id, 0, NULL, NULL);

    assert_tampered (by_bob);
  }
}

/* GET /v1/keys/{key_id}/events pages with ?after=ID&limit=N. */
static void
test_events_paginated (KeyserverFixture *fixture,
                       gconstpointer     data)
{
  g_autoptr(User) alice = make_user (fixture, "alice@example.org");
  g_autoptr(Key) key = create_key (fixture, alice, "[]", NULL);
  g_autofree char *first_path = g_strdup_printf ("/v1/keys/%s/events?limit=2", key->key_id);
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) second = NULL;
  g_autofree char *second_path = NULL;
  JsonArray *page;
  gint64 last;

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(Reply) released = release_signed (fixture, alice, NULL, key->key_id, 0, NULL,
                                                  NULL);
      g_assert_cmpuint (released->status, ==, 200);
    }
  first = keyserver_request (fixture, "GET", first_path, alice->token, NULL);
  g_assert_cmpuint (first->status, ==, 200);
  page = json_node_get_array (first->json);
  g_assert_cmpuint (json_array_get_length (page), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (page, 0),
                                                  "action"), ==, "create");
  last = json_object_get_int_member (json_array_get_object_element (page, 1), "id");

  second_path = g_strdup_printf ("/v1/keys/%s/events?after=%" G_GINT64_FORMAT "&limit=10",
                                 key->key_id, last);
  second = keyserver_request (fixture, "GET", second_path, alice->token, NULL);
  g_assert_cmpuint (second->status, ==, 200);
  page = json_node_get_array (second->json);
  g_assert_cmpuint (json_array_get_length (page), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (page, 0), "id"), >,
                   last);

  {
    const char *bad[] = { "?limit=0", "?limit=1001", "?after=-1", "?after=x", "?page=2" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *path = g_strdup_printf ("/v1/keys/%s/events%s", key->key_id, bad[i]);
        g_autoptr(Reply) refused = keyserver_request (fixture, "GET", path, alice->token, NULL);

        g_assert_cmpuint (refused->status, ==, 400);
        g_assert_cmpstr (reply_error_code (refused), ==, "invalid");
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (sodium_init () < 0)
    return 1;

  keyserver_test_add ("/keyserver/keys/release-matrix", test_release_matrix);
  keyserver_test_add ("/keyserver/keys/expiry-and-updates", test_expiry_and_updates);
  keyserver_test_add ("/keyserver/keys/access-codes", test_access_codes);
  keyserver_test_add ("/keyserver/keys/bad-input", test_bad_key_input);
  keyserver_test_add ("/keyserver/keys/audit-chain", test_audit_chain);
  keyserver_test_add ("/keyserver/keys/release-timestamp-extremes",
                      test_release_timestamp_extremes);
  keyserver_test_add ("/keyserver/keys/stolen-token-cannot-change-keys",
                      test_stolen_token_cannot_change_keys);
  keyserver_test_add ("/keyserver/keys/signed-change-replayed-or-stale",
                      test_signed_change_replayed_or_stale);
  keyserver_test_add ("/keyserver/keys/refused-releases-coalesced",
                      test_refused_releases_coalesced);
  keyserver_test_add ("/keyserver/keys/refused-releases-rate-limited",
                      test_refused_releases_rate_limited);
  keyserver_test_add ("/keyserver/keys/events-paginated", test_events_paginated);
  keyserver_test_add ("/keyserver/keys/database-writer-adds-recipient",
                      test_database_writer_adds_recipient);
  keyserver_test_add ("/keyserver/keys/policy-backfill-once", test_policy_backfill_once);

  return g_test_run ();
}
