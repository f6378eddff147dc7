/* photoseal-keyserver-routes-release.c: POST /v1/keys/{key_id}/release
 *
 * Two ways in. With a token, the request must also be signed by the device
 * key enrolled with that session, over a fresh timestamp and a nonce never
 * seen before: a stolen token alone, or a replayed request, opens nothing.
 * Without a token, an access code, whose tries are counted before they are
 * checked. Every refusal of a known key is written to its audit trail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-keyserver-routes.h"

#define TIMESTAMP_WINDOW PHOTOSEAL_SIGNATURE_WINDOW
#define NONCE_LIFETIME PHOTOSEAL_NONCE_LIFETIME
#define MAX_ACCESS_CODE 64

/* Writes the audit event, and for a signed release remembers its nonce in
 * the same commit. Returns FALSE, with the reply set, for a replay. */
static gboolean
record_event (PhotosealRequest *request,
              const char       *key_id,
              const char       *action,
              const char       *actor,
              const guint8     *nonce)
{
  PhotosealEvent event = {
    g_get_real_time () / G_USEC_PER_SEC, (char *) action, (char *) actor, request->address,
  };
  g_autoptr(GError) error = NULL;

  /* Repeated refusals are counted, not written again. */
  if (strcmp (action, "deny") == 0
      && !photoseal_keyserver_count_refusal (request->server, key_id, actor, request->address))
    return TRUE;
  if (photoseal_store_add_event (photoseal_keyserver_get_store (request->server), key_id, &event,
                                 nonce, NONCE_LIFETIME, &error))
    return TRUE;
  if (g_error_matches (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_REPLAYED))
    photoseal_request_fail (request, 401, "replayed", "This request was already used");
  else if (g_error_matches (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_REVOKED))
    {
      /* Another node revoked the key after this one read it: refused, and
       * audited, like any revoked key. */
      if (record_event (request, key_id, "deny", actor, nonce))
        photoseal_request_fail (request, 410, "revoked", "The sender revoked this file's key");
    }
  else
    photoseal_request_fail_internal (request, error, "The release could not be recorded");
  return FALSE;
}

/* The error object of a refusal just set, to add what the client shows. */
static JsonObject *
refusal_details (PhotosealRequest *request)
{
  return json_object_get_object_member (json_node_get_object (request->reply), "error");
}

/* The key's owner as the server knows it, not as the file claims: the
 * viewer shows this as the sender. */
static void
add_owner (JsonNode                 *reply,
           const PhotosealKeyRecord *record,
           const PhotosealAccount   *owner)
{
  JsonObject *object = json_node_get_object (reply);
  JsonObject *member = json_object_new ();
  g_autofree char *created = photoseal_keyserver_format_time (record->created);

  json_object_set_string_member (member, "email", owner->email);
  json_object_set_string_member (member, "name", owner->name);
  json_object_set_object_member (object, "owner", member);
  json_object_set_string_member (object, "created", created);
}

/* Unwraps the stored key and answers it sealed to the ephemeral key, with
 * its verified owner. */
static void
release (PhotosealRequest         *request,
         const PhotosealKeyRecord *record,
         const char               *actor,
         const guint8             *nonce)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  g_autoptr(PhotosealAccount) owner = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *reply;
  guint8 ephemeral[32];
  guint8 server_key[PHOTOSEAL_SERVER_KEY_BYTES];

  if (!photoseal_key_record_policy_intact (record))
    {
      if (record_event (request, record->key_id, "deny", actor, nonce))
        photoseal_request_fail_tampered (request, record->key_id, "release");
      return;
    }
  photoseal_request_get_base64 (request, request->body, "ephemeral_public_key", ephemeral,
                                sizeof ephemeral);
  if (record->sealed_key == NULL
      || !photoseal_master_key_open (photoseal_keyserver_get_master_key (request->server),
                                     record->sealed_key, record->key_id, server_key))
    {
      photoseal_request_fail (request, 500, "internal", "The key could not be unwrapped");
      return;
    }
  if (!(owner = photoseal_store_find_account_by_id (store, record->owner_id, &error)))
    {
      sodium_memzero (server_key, sizeof server_key);
      photoseal_request_fail_internal (request, error, "The key's owner could not be read");
      return;
    }

  /* Recorded before it is answered: no key leaves without its audit row. */
  if (record_event (request, record->key_id, "release", actor, nonce))
    {
      reply = photoseal_sealed_key_reply (server_key, ephemeral, NULL, NULL);
      add_owner (reply, record, owner);
      photoseal_request_reply (request, 200, reply);
    }
  sodium_memzero (server_key, sizeof server_key);
}

/* Revoked keys are refused to everyone, expired ones to all but the
 * owner: PHOTOSEAL_KEY_ACTIVE when this release may go ahead. */
static PhotosealKeyStatus
release_status (const PhotosealKeyRecord *record,
                gboolean                  is_owner)
{
  PhotosealKeyStatus status = photoseal_key_record_status (record,
                                                           g_get_real_time () / G_USEC_PER_SEC);

  return is_owner && status == PHOTOSEAL_KEY_EXPIRED ? PHOTOSEAL_KEY_ACTIVE : status;
}

/* An expired key's refusal says since when, so the viewer can tell. */
static void
fail_refused (PhotosealRequest         *request,
              const PhotosealKeyRecord *record,
              PhotosealKeyStatus        status)
{
  g_autofree char *expired_at = NULL;

  if (status == PHOTOSEAL_KEY_REVOKED)
    {
      photoseal_request_fail (request, 410, "revoked", "The sender revoked this file's key");
      return;
    }
  expired_at = photoseal_keyserver_format_time (record->expires);
  photoseal_request_fail (request, 410, "expired", "This file's key has expired");
  json_object_set_string_member (refusal_details (request), "expired_at", expired_at);
}

/* Checks the timestamp and the device signature, and hands back the
 * nonce, which is remembered with the audit event. */
static gboolean
check_signature (PhotosealRequest       *request,
                 const PhotosealSession *session,
                 guint8                 *nonce)
{
  guint8 message[PHOTOSEAL_PROTOCOL_RELEASE_MESSAGE_SIZE];
  guint8 raw_key_id[PHOTOSEAL_KEY_ID_SIZE];
  guint8 ephemeral[PHOTOSEAL_PROTOCOL_PUBLIC_KEY_SIZE];
  guint8 signature[crypto_sign_BYTES];
  gint64 timestamp = json_object_get_int_member (request->body, "timestamp");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!photoseal_request_timestamp_is_fresh (timestamp, now, TIMESTAMP_WINDOW))
    {
      photoseal_request_fail (request, 401, "stale_timestamp",
                              "The request's time is more than %d s off; check the clock",
                              TIMESTAMP_WINDOW);
      return FALSE;
    }

  photoseal_key_id_decode (request->path_argument, raw_key_id);
  photoseal_request_get_base64 (request, request->body, "ephemeral_public_key", ephemeral,
                                sizeof ephemeral);
  photoseal_request_get_base64 (request, request->body, "nonce", nonce, PHOTOSEAL_NONCE_SIZE);
  photoseal_request_get_base64 (request, request->body, "signature", signature, sizeof signature);
  photoseal_protocol_release_message (raw_key_id, ephemeral, timestamp, nonce, message);

  if (crypto_sign_verify_detached (signature, message, sizeof message,
                                   session->device_public_key) != 0)
    {
      photoseal_request_fail (request, 401, "bad_signature",
                              "The request is not signed by this session's device key");
      return FALSE;
    }
  return TRUE;
}

static void
release_to_account (PhotosealRequest *request)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  g_autoptr(PhotosealSession) session = photoseal_keyserver_authenticate (request->server, request);
  g_autoptr(PhotosealAccount) account = NULL;
  g_autoptr(PhotosealKeyRecord) record = NULL;
  g_autofree char *email_key = NULL;
  guint8 nonce[PHOTOSEAL_NONCE_SIZE];
  gboolean is_owner, is_recipient = FALSE;
  PhotosealKeyStatus status;

  if (session == NULL || !check_signature (request, session, nonce))
    return;
  if (!(account = photoseal_store_find_account_by_id (store, session->account_id, NULL)))
    {
      photoseal_request_fail (request, 401, "unauthorized", "The account no longer exists");
      return;
    }
  if (!(record = photoseal_store_find_key (store, request->path_argument, NULL)))
    {
      photoseal_request_fail (request, 404, "not_found", "There is no key with this id");
      return;
    }

  is_owner = record->owner_id == account->id;
  email_key = photoseal_store_email_key (account->email);
  for (guint i = 0; record->recipients[i] && !is_recipient; i++)
    {
      g_autofree char *recipient_key = photoseal_store_email_key (record->recipients[i]);
      is_recipient = strcmp (recipient_key, email_key) == 0;
    }

  if (!is_owner && !is_recipient)
    {
      if (record_event (request, record->key_id, "deny", account->email, nonce))
        photoseal_request_fail (request, 403, "not_a_recipient",
                                "The sender did not name %s as a recipient of this file",
                                account->email);
      return;
    }
  if ((status = release_status (record, is_owner)) != PHOTOSEAL_KEY_ACTIVE)
    {
      /* A replay is answered as a replay, not as the refusal. */
      if (record_event (request, record->key_id, "deny", account->email, nonce))
        fail_refused (request, record, status);
      return;
    }

  release (request, record, account->email, nonce);
}

/* Upper case, without the dash or spaces people type. */
char *
photoseal_access_code_normalize (const char *code)
{
  GString *plain = g_string_new (NULL);

  for (const char *p = code; *p; p++)
    if (*p != '-' && *p != ' ')
      g_string_append_c (plain, g_ascii_toupper (*p));
  return g_string_free (plain, FALSE);
}

/* Read again after the try was taken: other wrong tries may have come in
 * meanwhile. */
static void
fail_bad_code (PhotosealRequest *request,
               const char       *key_id)
{
  g_autoptr(PhotosealKeyRecord) now = photoseal_store_find_key (
    photoseal_keyserver_get_store (request->server), key_id, NULL);

  photoseal_request_fail (request, 403, "bad_access_code", "The access code is wrong");
  json_object_set_int_member (refusal_details (request), "tries_left",
                              now ? now->access_code_tries : 0);
}

static void
release_to_access_code (PhotosealRequest *request)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  g_autoptr(PhotosealKeyRecord) record = photoseal_store_find_key (store, request->path_argument,
                                                                   NULL);
  g_autofree char *code = NULL;
  PhotosealKeyStatus status;
  gboolean right;

  if (record == NULL)
    {
      photoseal_request_fail (request, 404, "not_found", "There is no key with this id");
      return;
    }
  if ((status = release_status (record, FALSE)) != PHOTOSEAL_KEY_ACTIVE)
    {
      fail_refused (request, record, status);
      record_event (request, record->key_id, "deny", "access-code", NULL);
      return;
    }
  if (record->access_code_hash == NULL)
    {
      record_event (request, record->key_id, "deny", "access-code", NULL);
      photoseal_request_fail (request, 403, "bad_access_code", "This file has no access code");
      return;
    }
  if (!photoseal_store_take_access_code_try (store, record->key_id, NULL))
    {
      record_event (request, record->key_id, "deny", "access-code", NULL);
      photoseal_request_fail (request, 429, "locked", "Too many wrong access codes; ask the "
                              "sender for a new one");
      return;
    }

  code = photoseal_access_code_normalize (json_object_get_string_member (request->body,
                                                                        "access_code"));
  right = crypto_pwhash_str_verify (record->access_code_hash, code, strlen (code)) == 0;
  sodium_memzero (code, strlen (code));
  if (!right)
    {
      record_event (request, record->key_id, "deny", "access-code", NULL);
      fail_bad_code (request, record->key_id);
      return;
    }

  /* A right code does not use up a try. */
  photoseal_store_return_access_code_try (store, record->key_id);
  release (request, record, "access-code", NULL);
}

void
photoseal_route_release (PhotosealRequest *request)
{
  static const char * const signed_fields[] = { "ephemeral_public_key", "timestamp", "nonce",
                                                "signature", NULL };
  static const char * const code_fields[] = { "ephemeral_public_key", "access_code", NULL };
  g_autoptr(PhotosealRequest) owned = request;
  guint8 ephemeral[32];
  guint8 nonce[PHOTOSEAL_NONCE_SIZE];
  guint8 signature[crypto_sign_BYTES];
  const char *code;
  JsonNode *timestamp;
  guint retry_after = 0;

  if (photoseal_keyserver_refusals_exhausted (request->server, request->address, &retry_after))
    {
      photoseal_request_fail (request, 429, "throttled", "Too many refused releases from this "
                              "address; try again in %u seconds", retry_after);
      request->retry_after = retry_after;
    }
  else if (!photoseal_key_id_decode (request->path_argument, NULL))
    photoseal_request_fail (request, 404, "not_found", "There is no key with this id");
  else if (!photoseal_request_parse_body (request)
           || !photoseal_request_get_base64 (request, request->body, "ephemeral_public_key",
                                             ephemeral, sizeof ephemeral))
    ;
  else if (request->token != NULL)
    {
      timestamp = json_object_get_member (request->body, "timestamp");
      if (!photoseal_request_check_fields (request, request->body, signed_fields))
        ;
      else if (timestamp == NULL || !JSON_NODE_HOLDS_VALUE (timestamp)
               || json_node_get_value_type (timestamp) != G_TYPE_INT64)
        photoseal_request_fail (request, 400, "invalid",
                                "“timestamp” must be a number of seconds");
      else if (photoseal_request_get_base64 (request, request->body, "nonce", nonce, sizeof nonce)
               && photoseal_request_get_base64 (request, request->body, "signature", signature,
                                                sizeof signature))
        {
          request->release_lock = PHOTOSEAL_LOCK_SHARED;
          photoseal_keyserver_run (request->server, g_steal_pointer (&owned), PHOTOSEAL_WORK_STORE,
                                   release_to_account);
          return;
        }
    }
  else if (json_object_has_member (request->body, "access_code"))
    {
      if (photoseal_request_check_fields (request, request->body, code_fields)
          && photoseal_request_get_string (request, request->body, "access_code", 1,
                                           MAX_ACCESS_CODE, &code))
        {
          request->release_lock = PHOTOSEAL_LOCK_SHARED;
          photoseal_keyserver_run (request->server, g_steal_pointer (&owned),
                                   PHOTOSEAL_WORK_PASSWORD, release_to_access_code);
          return;
        }
    }
  else
    photoseal_request_fail (request, 401, "unauthorized",
                            "Sign in, or give the access code the sender sent you");

  photoseal_request_send (request);
}
