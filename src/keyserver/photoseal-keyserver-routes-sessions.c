/* photoseal-keyserver-routes-sessions.c: POST /v1/sessions, DELETE /v1/sessions/current
 *
 * Signing in enrols a device key made by the client: releases must later
 * be signed with it, so a stolen bearer token alone opens nothing.
 *
 * Failed sign-ins are counted, in the store so that several nodes share
 * the count, per (account, client address) and per client address. Past
 * a few free tries each further failure doubles the wait, up to a cap;
 * nothing locks an account as such, so that guessing from one address
 * does not lock the owner out from another.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-keyserver-routes.h"

#define MAX_PASSWORD 1024
#define MAX_DEVICE_NAME 200
#define SESSION_LIFETIME (30 * 24 * 3600)
/* Failures are remembered this long (seconds). */
#define THROTTLE_WINDOW (60 * 60)
#define MAX_DELAY (15 * 60)
/* Failed sign-ins of one account from one address before waits begin,
 * and the first wait; then it doubles with each failure. */
#define FREE_PAIR_FAILURES 5
#define FIRST_PAIR_DELAY 30
/* The same for one address, whatever the accounts (password spraying). */
#define FREE_ADDRESS_FAILURES 20
#define FIRST_ADDRESS_DELAY 60

static char *
random_base64url (gsize len)
{
  guint8 bytes[32];
  gsize size = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *text = g_malloc (size);

  g_assert (len <= sizeof bytes);
  randombytes_buf (bytes, len);
  sodium_bin2base64 (text, size, bytes, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return text;
}

/* The wait after @failures failures: 0 for the free ones, then @first
 * seconds, doubling, up to MAX_DELAY. */
static gint64
backoff (guint  failures,
         guint  free_failures,
         gint64 first)
{
  guint doublings = failures - free_failures;

  if (failures < free_failures)
    return 0;
  return doublings >= 16 ? MAX_DELAY : MIN (first << doublings, MAX_DELAY);
}

/* Whether @subject failed within its current wait; sets the 429 if so.
 * The wait is counted from the last failure. */
static gboolean
must_wait (PhotosealRequest *request,
           const char       *subject,
           guint             free_failures,
           gint64            first_delay,
           gint64            now)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  guint failures = photoseal_store_count_failures (store, subject, now, THROTTLE_WINDOW, NULL);
  gint64 delay = backoff (failures, free_failures, first_delay);

  if (delay == 0 || photoseal_store_count_failures (store, subject, now, delay, NULL) == 0)
    return FALSE;
  photoseal_request_fail (request, 429, "throttled",
                          "Too many failed sign-ins; try again in %" G_GINT64_FORMAT " seconds",
                          delay);
  request->retry_after = delay;
  return TRUE;
}

static gboolean
throttled (PhotosealRequest *request,
           const char       *pair_subject,
           const char       *address_subject,
           gint64            now)
{
  return must_wait (request, pair_subject, FREE_PAIR_FAILURES, FIRST_PAIR_DELAY, now)
         || must_wait (request, address_subject, FREE_ADDRESS_FAILURES, FIRST_ADDRESS_DELAY, now);
}

static JsonNode *
session_reply (const char *token,
               gint64      expires,
               const char *device_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *expires_text = photoseal_keyserver_format_time (expires);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires");
  json_builder_add_string_value (builder, expires_text);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, device_id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
create_session (PhotosealRequest *request)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  JsonObject *device = json_object_get_object_member (request->body, "device");
  const char *public_key = json_object_get_string_member (device, "public_key");
  const char *email = json_object_get_string_member (request->body, "email");
  const char *password = json_object_get_string_member (request->body, "password");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *email_key = photoseal_store_email_key (email);
  g_autofree char *pair_subject = g_strconcat ("pair:", request->address, " ", email_key, NULL);
  g_autofree char *address_subject = g_strconcat ("address:", request->address, NULL);
  g_autoptr(PhotosealAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *device_id = NULL;
  guint8 token_hash[PHOTOSEAL_TOKEN_HASH_SIZE];
  guint8 device_key[32];
  const char *end = NULL;
  size_t len = 0;

  if (throttled (request, pair_subject, address_subject, now))
    return;

  account = photoseal_store_find_account (store, email, &error);
  if (error != NULL)
    {
      photoseal_request_fail (request, 500, "internal", "The server could not check the account");
      return;
    }
  if (!photoseal_keyserver_verify_password (request->server,
                                            account ? account->password_hash : NULL, password))
    {
      photoseal_store_add_failure (store, pair_subject, now, THROTTLE_WINDOW, NULL);
      photoseal_store_add_failure (store, address_subject, now, THROTTLE_WINDOW, NULL);
      photoseal_request_fail (request, 401, "bad_credentials", "The email or password is wrong");
      return;
    }
  if (account->disabled)
    {
      photoseal_request_fail (request, 403, "account_disabled",
                              "This account is disabled; ask the server's administrator");
      return;
    }
  photoseal_store_clear_failures (store, pair_subject);

  /* Checked by the route already; decoded again here to keep the worker's
   * input immutable. */
  sodium_base642bin (device_key, sizeof device_key, public_key, strlen (public_key), NULL, &len,
                     &end, sodium_base64_VARIANT_ORIGINAL);

  token = random_base64url (32);
  photoseal_token_hash (token, token_hash);
  device_id = random_base64url (16);

  if (!photoseal_store_add_session (store, token_hash, account->id, device_id,
                                    json_object_get_string_member (device, "name"), device_key,
                                    now + SESSION_LIFETIME, NULL))
    photoseal_request_fail (request, 500, "internal", "The session could not be saved");
  else
    photoseal_request_reply (request, 201,
                             session_reply (token, now + SESSION_LIFETIME, device_id));

  sodium_memzero (token, strlen (token));
}

void
photoseal_route_create_session (PhotosealRequest *request)
{
  static const char * const fields[] = { "email", "password", "device", NULL };
  static const char * const device_fields[] = { "name", "public_key", NULL };
  g_autoptr(PhotosealRequest) owned = request;
  guint8 device_key[32];
  JsonObject *device;
  const char *value;

  if (photoseal_request_parse_body (request)
      && photoseal_request_check_fields (request, request->body, fields)
      && photoseal_request_get_email (request, request->body, "email", &value)
      && photoseal_request_get_string (request, request->body, "password", 1, MAX_PASSWORD, &value)
      && (device = photoseal_request_get_object (request, request->body, "device"))
      && photoseal_request_check_fields (request, device, device_fields)
      && photoseal_request_get_string (request, device, "name", 1, MAX_DEVICE_NAME, &value)
      && photoseal_request_get_base64 (request, device, "public_key", device_key,
                                       sizeof device_key))
    {
      photoseal_keyserver_run (request->server, g_steal_pointer (&owned), PHOTOSEAL_WORK_PASSWORD,
                               create_session);
      return;
    }

  photoseal_request_send (request);
}

static void
end_session (PhotosealRequest *request)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  g_autoptr(PhotosealSession) session = photoseal_keyserver_authenticate (request->server, request);
  guint8 token_hash[PHOTOSEAL_TOKEN_HASH_SIZE];

  if (session == NULL || !photoseal_token_hash (request->token, token_hash))
    return;

  if (!photoseal_store_remove_session (store, token_hash, NULL))
    photoseal_request_fail (request, 500, "internal", "The session could not be ended");
  else
    photoseal_request_reply (request, 204, NULL);
}

void
photoseal_route_logout (PhotosealRequest *request)
{
  photoseal_keyserver_run (request->server, request, PHOTOSEAL_WORK_STORE, end_session);
}
