/* photoseal-keyserver-routes-keys.c: /v1/keys and /v1/keys/{key_id}
 *
 * The server makes each file's server_key, keeps it encrypted under the
 * master key, and only ever sends it sealed to an ephemeral public key the
 * client made for that one request. Only the owner sees, changes, revokes
 * or audits a key; anyone else is told it does not exist. Creating,
 * changing and revoking need the device key's signature besides the
 * token; a re-issued access code too is only ever sent sealed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-keyserver-routes.h"
#include "photoseal-revocation-journal.h"

#define MAX_RECIPIENTS 100
/* Events per page of GET /v1/keys/{key_id}/events, and the default. */
#define MAX_EVENTS_PAGE 1000
#define ACCESS_CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#define ACCESS_CODE_LENGTH 10

/**
 * photoseal_access_code_new:
 * @hash: (out): its Argon2id hash, the form stored
 *
 * Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L):
 * 31^10, about 50 bits, shown as two groups of five.
 */
char *
photoseal_access_code_new (char **hash)
{
  char code[ACCESS_CODE_LENGTH + 2];
  char plain[ACCESS_CODE_LENGTH + 1];
  char stored[crypto_pwhash_STRBYTES];

  for (guint i = 0; i < ACCESS_CODE_LENGTH; i++)
    plain[i] = ACCESS_CODE_ALPHABET[randombytes_uniform (sizeof ACCESS_CODE_ALPHABET - 1)];
  plain[ACCESS_CODE_LENGTH] = '\0';

  if (crypto_pwhash_str (stored, plain, ACCESS_CODE_LENGTH, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      sodium_memzero (plain, sizeof plain);
      return NULL;
    }

  memcpy (code, plain, 5);
  code[5] = '-';
  memcpy (code + 6, plain + 5, 5);
  code[11] = '\0';
  sodium_memzero (plain, sizeof plain);
  *hash = g_strdup (stored);
  sodium_memzero (stored, sizeof stored);
  return g_strdup (code);
}

/* {"key_id", "sealed_server_key", "access_code"?}: the key sealed with
 * crypto_box_seal to the client's ephemeral key, never in clear. */
JsonNode *
photoseal_sealed_key_reply (const guint8 *server_key,
                            const guint8 *ephemeral_public_key,
                            const char   *key_id,
                            const char   *access_code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint8 sealed[crypto_box_SEALBYTES + PHOTOSEAL_SERVER_KEY_BYTES];
  char text[sodium_base64_ENCODED_LEN (sizeof sealed, sodium_base64_VARIANT_ORIGINAL)];

  crypto_box_seal (sealed, server_key, PHOTOSEAL_SERVER_KEY_BYTES, ephemeral_public_key);
  sodium_bin2base64 (text, sizeof text, sealed, sizeof sealed, sodium_base64_VARIANT_ORIGINAL);

  json_builder_begin_object (builder);
  if (key_id != NULL)
    {
      json_builder_set_member_name (builder, "key_id");
      json_builder_add_string_value (builder, key_id);
    }
  json_builder_set_member_name (builder, "sealed_server_key");
  json_builder_add_string_value (builder, text);
  if (access_code != NULL)
    {
      json_builder_set_member_name (builder, "access_code");
      json_builder_add_string_value (builder, access_code);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static PhotosealEvent
event_now (PhotosealRequest *request,
           const char       *action,
           const char       *actor)
{
  PhotosealEvent event = {
    g_get_real_time () / G_USEC_PER_SEC, (char *) action, (char *) actor, request->address,
  };
  return event;
}

/* The wire names of PhotosealKeyStatus. */
static const char * const status_names[] = { "active", "expired", "revoked" };

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       time)
{
  json_builder_set_member_name (builder, name);
  if (time == 0)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *text = photoseal_keyserver_format_time (time);
      json_builder_add_string_value (builder, text);
    }
}

static void
add_key (JsonBuilder              *builder,
         const PhotosealKeyRecord *record)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key_id");
  json_builder_add_string_value (builder, record->key_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status_names[photoseal_key_record_status (record, now)]);
  add_time (builder, "created", record->created);
  add_time (builder, "expires", record->expires);
  add_time (builder, "revoked", record->revoked);
  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  for (guint i = 0; record->recipients && record->recipients[i]; i++)
    json_builder_add_string_value (builder, record->recipients[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "access_code");
  json_builder_add_boolean_value (builder, record->access_code_hash != NULL);
  json_builder_set_member_name (builder, "releases");
  json_builder_add_int_value (builder, record->releases);
  json_builder_end_object (builder);
}

/* With @access_code, sealed to @ephemeral_public_key with crypto_box_seal
 * as "sealed_access_code": a re-issued code is never sent in clear. */
static JsonNode *
key_reply (const PhotosealKeyRecord *record,
           const char               *access_code,
           const guint8             *ephemeral_public_key)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonNode *root;

  add_key (builder, record);
  root = json_builder_get_root (builder);
  if (access_code != NULL)
    {
      gsize len = strlen (access_code);
      g_autofree guint8 *sealed = g_malloc (crypto_box_SEALBYTES + len);
      gsize text_len = sodium_base64_ENCODED_LEN (crypto_box_SEALBYTES + len,
                                                  sodium_base64_VARIANT_ORIGINAL);
      g_autofree char *text = g_malloc (text_len);

      crypto_box_seal (sealed, (const guint8 *) access_code, len, ephemeral_public_key);
      sodium_bin2base64 (text, text_len, sealed, crypto_box_SEALBYTES + len,
                         sodium_base64_VARIANT_ORIGINAL);
      json_object_set_string_member (json_node_get_object (root), "sealed_access_code", text);
    }
  return root;
}

/* On a worker: the key of the request's path, if the caller owns it;
 * otherwise a 401, 404 or 409 reply is set. A change must be signed. */
static PhotosealKeyRecord *
find_owned_key (PhotosealRequest  *request,
                PhotosealAccount **owner)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  g_autoptr(PhotosealSession) session =
    strcmp (request->method, "GET") == 0
      ? photoseal_keyserver_authenticate (request->server, request)
      : photoseal_keyserver_authenticate_signed (request->server, request);
  g_autoptr(PhotosealKeyRecord) record = NULL;

  if (session == NULL)
    return NULL;
  record = photoseal_store_find_key (store, request->path_argument, NULL);
  if (record == NULL || record->owner_id != session->account_id)
    {
      photoseal_request_fail (request, 404, "not_found", "You have no key with this id");
      return NULL;
    }
  if (owner != NULL
      && !(*owner = photoseal_store_find_account_by_id (store, session->account_id, NULL)))
    {
      photoseal_request_fail (request, 401, "unauthorized", "The account no longer exists");
      return NULL;
    }
  return g_steal_pointer (&record);
}

/* POST /v1/keys *********************************************************/

static void
create_key (PhotosealRequest *request)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  PhotosealMasterKey *master_key = photoseal_keyserver_get_master_key (request->server);
  g_autoptr(PhotosealSession) session = photoseal_keyserver_authenticate_signed (request->server,
                                                                                  request);
  g_autoptr(PhotosealAccount) owner = NULL;
  g_autoptr(PhotosealKeyRecord) record = g_new0 (PhotosealKeyRecord, 1);
  g_autofree char *access_code = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *wants_code = json_object_get_member (request->body, "access_code");
  guint8 ephemeral[32];
  guint8 server_key[PHOTOSEAL_SERVER_KEY_BYTES];
  guint8 raw_id[PHOTOSEAL_KEY_ID_SIZE];
  char key_id[PHOTOSEAL_KEY_ID_TEXT_SIZE];
  PhotosealEvent event;
  JsonNode *reply;

  if (session == NULL)
    return;
  if (!(owner = photoseal_store_find_account_by_id (store, session->account_id, NULL)))
    {
      photoseal_request_fail (request, 401, "unauthorized", "The account no longer exists");
      return;
    }

  photoseal_request_get_base64 (request, request->body, "ephemeral_public_key", ephemeral,
                                sizeof ephemeral);
  photoseal_request_get_emails (request, request->body, "recipients", MAX_RECIPIENTS,
                                &record->recipients);
  if (json_object_has_member (request->body, "expires"))
    photoseal_request_get_time_or_null (request, request->body, "expires", &record->expires);
  if (wants_code != NULL && json_node_get_boolean (wants_code)
      && !(access_code = photoseal_access_code_new (&record->access_code_hash)))
    {
      photoseal_request_fail (request, 503, "busy", "The server is out of memory; try again");
      return;
    }

  randombytes_buf (raw_id, sizeof raw_id);
  photoseal_key_id_encode (raw_id, key_id);
  randombytes_buf (server_key, sizeof server_key);

  record->key_id = g_strdup (key_id);
  record->owner_id = owner->id;
  record->created = g_get_real_time () / G_USEC_PER_SEC;
  record->sealed_key = photoseal_master_key_seal (master_key, server_key, key_id);
  event = event_now (request, "create", owner->email);

  /* 201 only once the key is committed to disk (synchronous=FULL); the
   * invitations go after, so a relay problem never costs the key. */
  if (!photoseal_store_add_key (store, record, &event, &error))
    photoseal_request_fail_internal (request, error, "The key could not be saved");
  else
    {
      reply = photoseal_sealed_key_reply (server_key, ephemeral, key_id, access_code);
      json_object_set_member (json_node_get_object (reply), "recipients",
                              photoseal_keyserver_invite (request->server, owner,
                                                          (const char * const *) record->recipients,
                                                          NULL, record->expires));
      photoseal_request_reply (request, 201, reply);
    }
  sodium_memzero (server_key, sizeof server_key);
  if (access_code != NULL)
    sodium_memzero (access_code, strlen (access_code));
}

static gboolean
wants_access_code (PhotosealRequest *request)
{
  JsonNode *node = json_object_get_member (request->body, "access_code");

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* Checks the fields of a create (all but expires and access_code
 * required) or of an update (all optional, but a new access code needs
 * the key to seal it to). */
static gboolean
check_key_fields (PhotosealRequest *request,
                  gboolean          creating)
{
  static const char * const create_fields[] = { "ephemeral_public_key", "recipients", "expires",
                                                "access_code", NULL };
  static const char * const update_fields[] = { "recipients", "expires", "access_code",
                                                "ephemeral_public_key", NULL };
  g_auto(GStrv) recipients = NULL;
  guint8 ephemeral[32];
  gboolean flag;
  gint64 expires;

  return photoseal_request_parse_body (request)
         && photoseal_request_check_fields (request, request->body,
                                            creating ? create_fields : update_fields)
         && (!(creating || wants_access_code (request))
             || photoseal_request_get_base64 (request, request->body, "ephemeral_public_key",
                                              ephemeral, sizeof ephemeral))
         && (!json_object_has_member (request->body, "recipients") && !creating
             ? TRUE
             : photoseal_request_get_emails (request, request->body, "recipients",
                                             MAX_RECIPIENTS, &recipients))
         && (!json_object_has_member (request->body, "expires")
             || photoseal_request_get_time_or_null (request, request->body, "expires", &expires))
         && (!json_object_has_member (request->body, "access_code")
             || photoseal_request_get_boolean (request, request->body, "access_code", &flag));
}

/* An access code means an Argon2id hash: that belongs on its own pool. */
static PhotosealWork
key_work (PhotosealRequest *request)
{
  return wants_access_code (request) ? PHOTOSEAL_WORK_PASSWORD : PHOTOSEAL_WORK_STORE;
}

void
photoseal_route_create_key (PhotosealRequest *request)
{
  g_autoptr(PhotosealRequest) owned = request;

  if (!check_key_fields (request, TRUE))
    {
      photoseal_request_send (request);
      return;
    }
  photoseal_keyserver_run (request->server, g_steal_pointer (&owned), key_work (request),
                           create_key);
}

/* GET /v1/keys **********************************************************/

static void
list_keys (PhotosealRequest *request)
{
  g_autoptr(PhotosealSession) session = photoseal_keyserver_authenticate (request->server, request);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (session == NULL)
    return;
  keys = photoseal_store_list_keys (photoseal_keyserver_get_store (request->server),
                                    session->account_id, NULL);
  if (keys == NULL)
    {
      photoseal_request_fail (request, 500, "internal", "The keys could not be listed");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "keys");
  json_builder_begin_array (builder);
  for (guint i = 0; i < keys->len; i++)
    add_key (builder, g_ptr_array_index (keys, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  photoseal_request_reply (request, 200, json_builder_get_root (builder));
}

void
photoseal_route_list_keys (PhotosealRequest *request)
{
  photoseal_keyserver_run (request->server, request, PHOTOSEAL_WORK_STORE, list_keys);
}

/* GET, PATCH, DELETE /v1/keys/{key_id} and its events ****************/

/* Ids that cannot exist are answered at once, before any database work. */
static gboolean
reject_bad_key_id (PhotosealRequest *request)
{
  if (photoseal_key_id_decode (request->path_argument, NULL))
    return FALSE;
  photoseal_request_fail (request, 404, "not_found", "There is no key with this id");
  photoseal_request_send (request);
  photoseal_request_free (request);
  return TRUE;
}

static void
show_key (PhotosealRequest *request)
{
  g_autoptr(PhotosealKeyRecord) record = find_owned_key (request, NULL);

  if (record != NULL)
    photoseal_request_reply (request, 200, key_reply (record, NULL, NULL));
}

void
photoseal_route_show_key (PhotosealRequest *request)
{
  if (!reject_bad_key_id (request))
    photoseal_keyserver_run (request->server, request, PHOTOSEAL_WORK_STORE, show_key);
}

static void
update_key (PhotosealRequest *request)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  g_autoptr(PhotosealAccount) owner = NULL;
  g_autoptr(PhotosealKeyRecord) record = find_owned_key (request, &owner);
  g_autoptr(PhotosealKeyRecord) updated = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autofree char *access_code = NULL;
  g_autofree char *access_code_hash = NULL;
  PhotosealKeyUpdate update = { 0 };
  g_autoptr(GError) error = NULL;
  guint8 ephemeral[32];
  PhotosealEvent event;
  JsonNode *reply;
  GStrv before;

  if (record == NULL)
    return;
  if (record->revoked)
    {
      photoseal_request_fail (request, 410, "revoked", "This key was revoked and cannot change");
      return;
    }

  if (json_object_has_member (request->body, "recipients"))
    {
      photoseal_request_get_emails (request, request->body, "recipients", MAX_RECIPIENTS,
                                    &recipients);
      update.recipients = (const char * const *) recipients;
    }
  if (json_object_has_member (request->body, "expires"))
    update.set_expires = photoseal_request_get_time_or_null (request, request->body, "expires",
                                                             &update.expires);
  if (wants_access_code (request))
    {
      /* Checked by the route. */
      photoseal_request_get_base64 (request, request->body, "ephemeral_public_key", ephemeral,
                                    sizeof ephemeral);
      if (!(access_code = photoseal_access_code_new (&access_code_hash)))
        {
          photoseal_request_fail (request, 503, "busy", "The server is out of memory; try again");
          return;
        }
      update.access_code_hash = access_code_hash;
    }
  else if (json_object_has_member (request->body, "access_code"))
    update.clear_access_code = TRUE;  /* "access_code": false, type checked by the route */

  event = event_now (request, "update", owner->email);
  if (!photoseal_store_update_key (store, record->key_id, &update, &event, &error)
      && g_error_matches (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_TAMPERED))
    photoseal_request_fail_tampered (request, record->key_id, "change");
  else if (error != NULL || !(updated = photoseal_store_find_key (store, record->key_id, &error)))
    photoseal_request_fail_internal (request, error, "The key could not be changed");
  else
    {
      /* Only addresses this change adds are invited. "recipients" is the
       * key's list here: the states go beside it. */
      before = update.recipients ? record->recipients : updated->recipients;
      reply = key_reply (updated, access_code, ephemeral);
      json_object_set_member (json_node_get_object (reply), "recipient_states",
                              photoseal_keyserver_invite (
                                request->server, owner, (const char * const *) updated->recipients,
                                (const char * const *) before, updated->expires));
      photoseal_request_reply (request, 200, reply);
    }
  if (access_code != NULL)
    sodium_memzero (access_code, strlen (access_code));
}

void
photoseal_route_update_key (PhotosealRequest *request)
{
  if (reject_bad_key_id (request))
    return;
  if (!check_key_fields (request, FALSE))
    {
      photoseal_request_send (request);
      photoseal_request_free (request);
      return;
    }
  photoseal_keyserver_run (request->server, request, key_work (request), update_key);
}

static void
revoke_key (PhotosealRequest *request)
{
  g_autoptr(PhotosealAccount) owner = NULL;
  g_autoptr(PhotosealKeyRecord) record = find_owned_key (request, &owner);
  g_autoptr(GError) error = NULL;
  const char *journal;
  PhotosealEvent event;

  if (record == NULL)
    return;
  if (record->revoked)
    {
      photoseal_request_reply (request, 204, NULL);
      return;
    }

  /* The journal first: a revocation must survive restoring an older
   * backup, so it is on disk before the database changes at all. There is
   * none on PostgreSQL, whose WAL archive plays that part for every node. */
  event = event_now (request, "revoke", owner->email);
  journal = photoseal_keyserver_get_journal_path (request->server);
  if ((journal != NULL
       && !photoseal_revocation_journal_append (journal, record->key_id, event.at, &error))
      || !photoseal_store_revoke_key (photoseal_keyserver_get_store (request->server),
                                      record->key_id, &event, &error))
    photoseal_request_fail_internal (request, error, "The key could not be revoked");
  else
    photoseal_request_reply (request, 204, NULL);
}

void
photoseal_route_revoke_key (PhotosealRequest *request)
{
  if (reject_bad_key_id (request))
    return;
  request->release_lock = PHOTOSEAL_LOCK_EXCLUSIVE;
  photoseal_keyserver_run (request->server, request, PHOTOSEAL_WORK_STORE, revoke_key);
}

static void
add_event (JsonBuilder              *builder,
           const PhotosealChainLink *link)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, link->id);
  add_time (builder, "at", link->event.at);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, link->event.action);
  json_builder_set_member_name (builder, "actor");
  json_builder_add_string_value (builder, link->event.actor);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, link->event.address);
  json_builder_end_object (builder);
}

/* A page of the events, checked by the route: ?after=ID&limit=N. */
static void
key_events (PhotosealRequest *request)
{
  g_autoptr(PhotosealKeyRecord) record = find_owned_key (request, NULL);
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *after = g_hash_table_lookup (request->query, "after");
  const char *limit = g_hash_table_lookup (request->query, "limit");

  if (record == NULL)
    return;
  links = photoseal_store_list_events_page (photoseal_keyserver_get_store (request->server),
                                            record->key_id,
                                            after ? g_ascii_strtoll (after, NULL, 10) : 0,
                                            limit ? g_ascii_strtoull (limit, NULL, 10)
                                                  : MAX_EVENTS_PAGE, NULL);
  if (links == NULL)
    {
      photoseal_request_fail (request, 500, "internal", "The audit log could not be read");
      return;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < links->len; i++)
    add_event (builder, g_ptr_array_index (links, i));
  json_builder_end_array (builder);
  photoseal_request_reply (request, 200, json_builder_get_root (builder));
}

static gboolean
check_page (PhotosealRequest *request)
{
  const char *after = g_hash_table_lookup (request->query, "after");
  const char *limit = g_hash_table_lookup (request->query, "limit");
  GHashTableIter iter;
  const char *name;

  g_hash_table_iter_init (&iter, request->query);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    if (strcmp (name, "after") != 0 && strcmp (name, "limit") != 0)
      {
        photoseal_request_fail (request, 400, "invalid",
                                "Only “after” and “limit” may be given");
        return FALSE;
      }
  if ((after && !g_ascii_string_to_signed (after, 10, 0, G_MAXINT64, NULL, NULL))
      || (limit && !g_ascii_string_to_unsigned (limit, 10, 1, MAX_EVENTS_PAGE, NULL, NULL)))
    {
      photoseal_request_fail (request, 400, "invalid",
                              "“after” must be an event id and “limit” 1 to %d",
                              MAX_EVENTS_PAGE);
      return FALSE;
    }
  return TRUE;
}

void
photoseal_route_key_events (PhotosealRequest *request)
{
  if (reject_bad_key_id (request))
    return;
  if (!check_page (request))
    {
      photoseal_request_send (request);
      photoseal_request_free (request);
      return;
    }
  photoseal_keyserver_run (request->server, request, PHOTOSEAL_WORK_STORE, key_events);
}
