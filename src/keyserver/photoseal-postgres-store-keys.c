/* photoseal-postgres-store-keys.c
 *
 * The PostgreSQL store's keys, access-code tries, release nonces and audit
 * log: what several nodes must agree on for every release. The audit chain
 * is appended under one advisory lock, under which a release also
 * re-checks that its key is not revoked, inside the transaction that
 * records it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-postgres-store"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sodium.h>

#include "photoseal-postgres-store-private.h"

/* The audit chain *******************************************************/

/* A literal for @text, quoted by libpq for this connection's encoding. */
static char *
quote (PgConnection *connection,
       const char   *text,
       GError      **error)
{
  char *quoted = PQescapeLiteral (connection->conn, text, strlen (text));
  char *copy;

  if (quoted == NULL)
    {
      g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                   "Database error while quoting: %s", PQerrorMessage (connection->conn));
      return NULL;
    }
  copy = g_strdup (quoted);
  PQfreemem (quoted);
  return copy;
}

/* Appends inside the caller's transaction. The advisory lock, held until
 * that transaction ends, serialises appends from every node, so the chain
 * never forks; it is always the last lock a transaction takes, so nothing
 * holding it ever waits for another lock, and there is no deadlock.
 *
 * While the lock is held, every node's appends wait: so the lock and the
 * read of the chain's head go in one round trip, and the INSERT is left
 * pending to go with the COMMIT (pg_commit_or_rollback), in another. Both
 * are several statements in one simple query, hence literals rather than
 * parameters; each statement still takes its own snapshot, so the read
 * sees what was committed while the lock was awaited.
 *
 * With @unrevoked, the key must still hold its key once the lock is held,
 * or the error is %PHOTOSEAL_STORE_ERROR_REVOKED. A revocation appends
 * under the same lock in the transaction that revokes, so a release and
 * a revocation from any two nodes are serialised: the release either
 * commits (and comes first in the log) before the revocation, or sees it.
 * No row lock is needed, and many releases of one key do not queue on
 * its row. */
static gboolean
append_event (PgConnection         *connection,
              const char           *key_id,
              const PhotosealEvent *event,
              gboolean              unrevoked,
              GError              **error)
{
  g_autoptr(PGresult) last = NULL;
  g_autoptr(GBytes) previous_bytes = NULL;
  g_autofree char *key = NULL, *action = NULL, *actor = NULL, *address = NULL;
  g_autofree char *read_head = NULL;
  guint8 previous[32] = { 0 };
  guint8 hash[32];
  char hex[2 * sizeof hash + 1];
  gint64 id = 1;

  if (!(key = quote (connection, key_id, error))
      || !(action = quote (connection, event->action, error))
      || !(actor = quote (connection, event->actor, error))
      || !(address = quote (connection, event->address, error)))
    return FALSE;
  /* The SELECT always answers one row: the head, if any, and whether the
   * key still holds its key. */
  read_head = g_strdup_printf ("SELECT pg_advisory_xact_lock (" LOCK_CLASS ", "
                               LOCK_AUDIT_CHAIN ");"
                               "SELECT e.id, e.hash, (SELECT count(*) FROM keys k "
                               "  WHERE k.key_id = %s AND k.revoked = 0 "
                               "  AND k.sealed_key IS NOT NULL) "
                               "FROM (SELECT 1) one LEFT JOIN LATERAL "
                               "  (SELECT id, hash FROM events ORDER BY id DESC LIMIT 1) e "
                               "ON TRUE", key);
  if (!(last = pg_run (connection, read_head, NULL, "reading the audit log", error)))
    return FALSE;
  if (PQntuples (last) != 1)
    {
      g_set_error_literal (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                           "Database error while reading the audit log: no answer");
      return FALSE;
    }
  if (unrevoked && pg_get_int (last, 0, 2) != 1)
    {
      g_set_error_literal (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_REVOKED,
                           "The key was revoked");
      return FALSE;
    }
  if (!PQgetisnull (last, 0, 0))
    {
      previous_bytes = pg_get_bytes (last, 0, 1);
      if (previous_bytes == NULL || g_bytes_get_size (previous_bytes) != sizeof previous)
        {
          g_set_error_literal (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                               "Database error while reading the audit log: bad hash");
          return FALSE;
        }
      id = pg_get_int (last, 0, 0) + 1;
      memcpy (previous, g_bytes_get_data (previous_bytes, NULL), sizeof previous);
    }

  photoseal_event_chain_hash (previous, id, key_id, event, hash);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  g_assert (connection->pending == NULL);
  connection->pending = g_strdup_printf ("INSERT INTO events (id, key_id, at, action, actor, "
                                         "address, hash) VALUES (%" G_GINT64_FORMAT ", %s, "
                                         "%" G_GINT64_FORMAT ", %s, %s, %s, decode ('%s', 'hex'))",
                                         id, key, event->at, action, actor, address, hex);
  return TRUE;
}

/* Keys ******************************************************************/

static gboolean
set_recipients (PgConnection       *connection,
                const char         *key_id,
                const char * const *recipients,
                GError            **error)
{
  g_auto(PgParams) clear = { 0 };

  pg_add_text (&clear, key_id);
  if (!pg_run_ok (connection, "DELETE FROM key_recipients WHERE key_id = $1", &clear,
                  "changing recipients", error))
    return FALSE;
  for (guint i = 0; recipients && recipients[i]; i++)
    {
      g_autofree char *email_key = photoseal_store_email_key (recipients[i]);
      g_auto(PgParams) add = { 0 };

      pg_add_text (&add, key_id);
      pg_add_text (&add, email_key);
      pg_add_text (&add, recipients[i]);
      if (!pg_run_ok (connection, "INSERT INTO key_recipients (key_id, email_key, email) "
                                  "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                      &add, "adding a recipient", error))
        return FALSE;
    }
  return TRUE;
}

/* Stores the MAC of @key_id's policy as it stands now, in the transaction
 * that changed it (and holds its row), before any event is appended. */
static gboolean
seal_policy (PgConnection *connection,
             const char   *key_id,
             GError      **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recipients = NULL;
  g_autofree char *access_code_hash = NULL;
  g_auto(PgParams) params = { 0 };
  g_auto(PgParams) store = { 0 };
  guint8 mac[PHOTOSEAL_POLICY_MAC_SIZE];

  pg_add_text (&params, key_id);
  if (!(result = pg_run (connection, "SELECT k.owner_id, k.expires, k.access_code_hash, r.email "
                                     "FROM keys k LEFT JOIN key_recipients r "
                                     "ON r.key_id = k.key_id WHERE k.key_id = $1",
                         &params, "reading a key's policy", error)))
    return FALSE;
  if (PQntuples (result) == 0)
    return TRUE;
  for (int i = 0; i < PQntuples (result); i++)
    if (!PQgetisnull (result, i, 3))
      g_strv_builder_add (builder, PQgetvalue (result, i, 3));
  recipients = g_strv_builder_end (builder);
  access_code_hash = pg_get_text (result, 0, 2);
  if (!photoseal_key_policy_mac (key_id, pg_get_int (result, 0, 0), pg_get_int (result, 0, 1),
                                 access_code_hash, (const char * const *) recipients, mac))
    return TRUE;
  pg_add_bytes (&store, mac, sizeof mac);
  pg_add_text (&store, key_id);
  return pg_run_ok (connection, "UPDATE keys SET policy_mac = $1 WHERE key_id = $2", &store,
                    "storing a key's policy", error);
}

static gboolean
photoseal_postgres_store_add_key (PhotosealStore           *store,
                                  const PhotosealKeyRecord *record,
                                  const PhotosealEvent     *event,
                                  GError                  **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_auto(PgParams) params = { 0 };
  gsize len;
  const guint8 *sealed = g_bytes_get_data (record->sealed_key, &len);
  gboolean ok;

  if (connection == NULL || !pg_begin (connection, error))
    return FALSE;
  pg_add_text (&params, record->key_id);
  pg_add_int (&params, record->owner_id);
  pg_add_bytes (&params, sealed, len);
  pg_add_int (&params, record->created);
  pg_add_int (&params, record->expires);
  pg_add_text (&params, record->access_code_hash);
  pg_add_int (&params, record->access_code_hash ? PHOTOSEAL_ACCESS_CODE_TRIES : 0);
  ok = pg_run_ok (connection, "INSERT INTO keys (key_id, owner_id, sealed_key, created, expires, "
                              "access_code_hash, access_code_tries) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                  &params, "adding a key", error)
       && set_recipients (connection, record->key_id, (const char * const *) record->recipients,
                          error)
       && seal_policy (connection, record->key_id, error)
       && append_event (connection, record->key_id, event, FALSE, error);
  return pg_commit_or_rollback (connection, ok, error);
}

#define KEY_COLUMNS \
  "k.key_id, k.owner_id, a.email, k.sealed_key, k.created, k.expires, k.revoked, " \
  "k.access_code_hash, k.access_code_tries, " \
  "(SELECT count(*) FROM events e WHERE e.key_id = k.key_id AND e.action = 'release' " \
  "   AND e.actor <> a.email), " \
  "(SELECT json_agg (r.email ORDER BY r.email_key) FROM key_recipients r " \
  " WHERE r.key_id = k.key_id), k.policy_mac "

static PhotosealKeyRecord *
key_from_row (PGresult *result,
              int       row)
{
  PhotosealKeyRecord *record = g_new0 (PhotosealKeyRecord, 1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(JsonNode) recipients = NULL;

  record->key_id = pg_get_text (result, row, 0);
  record->owner_id = pg_get_int (result, row, 1);
  record->owner_email = pg_get_text (result, row, 2);
  record->sealed_key = pg_get_bytes (result, row, 3);
  record->created = pg_get_int (result, row, 4);
  record->expires = pg_get_int (result, row, 5);
  record->revoked = pg_get_int (result, row, 6);
  record->access_code_hash = pg_get_text (result, row, 7);
  record->access_code_tries = pg_get_int (result, row, 8);
  record->releases = pg_get_int (result, row, 9);

  /* The recipients come in the same query, as a JSON array (NULL for
   * none), rather than one more round trip per key. */
  if (!PQgetisnull (result, row, 10))
    recipients = json_from_string (PQgetvalue (result, row, 10), NULL);
  if (recipients != NULL && JSON_NODE_HOLDS_ARRAY (recipients))
    {
      JsonArray *array = json_node_get_array (recipients);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_strv_builder_add (builder, json_array_get_string_element (array, i));
    }
  record->recipients = g_strv_builder_end (builder);
  record->policy_mac = pg_get_bytes (result, row, 11);
  return record;
}

/* @key_id's record as @connection sees it, or NULL (no error) if there
 * is none. */
static PhotosealKeyRecord *
key_in (PgConnection *connection,
        const char   *key_id,
        GError      **error)
{
  g_autoptr(PGresult) result = NULL;
  g_auto(PgParams) params = { 0 };

  pg_add_text (&params, key_id);
  if (!(result = pg_run (connection, "SELECT " KEY_COLUMNS "FROM keys k JOIN accounts a "
                                     "ON a.id = k.owner_id WHERE k.key_id = $1",
                         &params, "looking up a key", error)))
    return NULL;
  return PQntuples (result) > 0 ? key_from_row (result, 0) : NULL;
}

/* Always read from the database, never from a cache: a key another node
 * revoked a moment ago is revoked here too. */
static PhotosealKeyRecord *
photoseal_postgres_store_find_key (PhotosealStore *store,
                                   const char     *key_id,
                                   GError        **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);

  return connection != NULL ? key_in (connection, key_id, error) : NULL;
}

static GPtrArray *
photoseal_postgres_store_list_keys (PhotosealStore *store,
                                    gint64          owner_id,
                                    GError        **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_autoptr(PGresult) result = NULL;
  g_auto(PgParams) params = { 0 };
  GPtrArray *keys;

  pg_add_int (&params, owner_id);
  if (connection == NULL
      || !(result = pg_run (connection, "SELECT " KEY_COLUMNS "FROM keys k JOIN accounts a "
                                        "ON a.id = k.owner_id WHERE k.owner_id = $1 "
                                        "ORDER BY k.created DESC, k.key_id",
                            &params, "listing keys", error)))
    return NULL;
  keys = g_ptr_array_new_with_free_func ((GDestroyNotify) photoseal_key_record_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (keys, key_from_row (result, i));
  return keys;
}

/* Before an update: a policy changed behind the server's back is never
 * MACed as if the owner had set it. */
static gboolean
check_policy (PgConnection *connection,
              const char   *key_id,
              GError      **error)
{
  GError *lookup_error = NULL;
  g_autoptr(PhotosealKeyRecord) record = key_in (connection, key_id, &lookup_error);

  return photoseal_key_record_check_policy (record, lookup_error, error);
}

static gboolean
photoseal_postgres_store_update_key (PhotosealStore           *store,
                                     const char               *key_id,
                                     const PhotosealKeyUpdate *update,
                                     const PhotosealEvent     *event,
                                     GError                  **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_auto(PgParams) lock = { 0 };
  g_auto(PgParams) expires = { 0 };
  g_auto(PgParams) code = { 0 };
  gboolean ok;

  if (connection == NULL || !pg_begin (connection, error))
    return FALSE;
  pg_add_text (&lock, key_id);
  pg_add_int (&expires, update->expires);
  pg_add_text (&expires, key_id);
  pg_add_text (&code, update->access_code_hash);
  pg_add_int (&code, PHOTOSEAL_ACCESS_CODE_TRIES);
  pg_add_text (&code, key_id);
  /* The key's row first: two updates from two nodes take turns, rather
   * than merging their recipient lists. */
  ok = pg_run_ok (connection, "SELECT 1 FROM keys WHERE key_id = $1 FOR UPDATE", &lock,
                  "locking a key", error);
  ok = ok && check_policy (connection, key_id, error);
  if (ok && update->set_expires)
    ok = pg_run_ok (connection, "UPDATE keys SET expires = $1 WHERE key_id = $2", &expires,
                    "changing expiry", error);
  if (ok && (update->access_code_hash != NULL || update->clear_access_code))
    ok = pg_run_ok (connection, "UPDATE keys SET access_code_hash = $1, access_code_tries = $2 "
                                "WHERE key_id = $3", &code, "issuing an access code", error);
  if (ok && update->recipients != NULL)
    ok = set_recipients (connection, key_id, update->recipients, error);
  ok = ok && seal_policy (connection, key_id, error);
  ok = ok && append_event (connection, key_id, event, FALSE, error);
  return pg_commit_or_rollback (connection, ok, error);
}

/* PostgreSQL keeps the old row version until VACUUM reclaims it (and its
 * WAL until it is recycled): there is no in-place overwrite to do here,
 * unlike SQLite's secure_delete. docs/DEPLOYMENT.md says what that means. */
static gboolean
photoseal_postgres_store_revoke_key (PhotosealStore       *store,
                                     const char           *key_id,
                                     const PhotosealEvent *event,
                                     GError              **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_auto(PgParams) params = { 0 };
  gint64 changed;
  gboolean ok;

  if (connection == NULL || !pg_begin (connection, error))
    return FALSE;
  pg_add_int (&params, event->at);
  pg_add_text (&params, key_id);
  /* Revoked by another node meanwhile: done already, and audited once. */
  changed = pg_run_changes (connection, "UPDATE keys SET sealed_key = NULL, "
                                        "access_code_hash = NULL, revoked = $1 "
                                        "WHERE key_id = $2 AND revoked = 0",
                            &params, "revoking a key", error);
  ok = changed >= 0 && (changed == 0 || append_event (connection, key_id, event, FALSE, error));
  return pg_commit_or_rollback (connection, ok, error);
}

static gboolean
photoseal_postgres_store_take_access_code_try (PhotosealStore *store,
                                               const char     *key_id,
                                               GError        **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_auto(PgParams) params = { 0 };

  pg_add_text (&params, key_id);
  return connection != NULL
         && pg_run_changes (connection, "UPDATE keys SET access_code_tries = access_code_tries - 1 "
                                        "WHERE key_id = $1 AND access_code_tries > 0",
                            &params, "counting an access-code try", error) == 1;
}

static void
photoseal_postgres_store_return_access_code_try (PhotosealStore *store,
                                                 const char     *key_id)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), NULL);
  g_auto(PgParams) params = { 0 };

  pg_add_int (&params, PHOTOSEAL_ACCESS_CODE_TRIES);
  pg_add_text (&params, key_id);
  if (connection != NULL)
    pg_run_ok (connection, "UPDATE keys SET access_code_tries = least (access_code_tries + 1, $1) "
                           "WHERE key_id = $2", &params, "giving back an access-code try", NULL);
}

/* Every node's nonces are in one table: a release replayed to another
 * node collides with the same primary key. */
static gboolean
remember_nonce (PgConnection *connection,
                const guint8 *nonce,
                gint64        now,
                gint64        lifetime,
                GError      **error)
{
  g_auto(PgParams) prune = { 0 };
  g_auto(PgParams) add = { 0 };
  gint64 added;

  pg_add_int (&prune, now - lifetime);
  pg_add_bytes (&add, nonce, PHOTOSEAL_NONCE_SIZE);
  pg_add_int (&add, now);
  /* Old nonces another release is deleting right now are skipped, not
   * waited for: that release may be waiting for the audit lock. */
  if (!pg_run_ok (connection, "DELETE FROM nonces WHERE nonce IN (SELECT nonce FROM nonces "
                              "WHERE seen < $1 FOR UPDATE SKIP LOCKED)",
                  &prune, "forgetting old nonces", error))
    return FALSE;
  added = pg_run_changes (connection, "INSERT INTO nonces (nonce, seen) VALUES ($1, $2) "
                                      "ON CONFLICT DO NOTHING", &add, "remembering a nonce", error);
  if (added == 0)
    g_set_error_literal (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_REPLAYED,
                         "This nonce was seen before");
  return added == 1;
}

static gboolean
photoseal_postgres_store_add_event (PhotosealStore       *store,
                                    const char           *key_id,
                                    const PhotosealEvent *event,
                                    const guint8         *nonce,
                                    gint64                nonce_lifetime,
                                    GError              **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  gboolean ok;

  if (connection == NULL || !pg_begin (connection, error))
    return FALSE;
  /* The nonce before the audit lock, which is always taken last. */
  ok = (nonce == NULL || remember_nonce (connection, nonce, event->at, nonce_lifetime, error))
       && append_event (connection, key_id, event, photoseal_event_is_release (event), error);
  return pg_commit_or_rollback (connection, ok, error);
}

static gboolean
photoseal_postgres_store_remember_nonce (PhotosealStore *store,
                                         const guint8   *nonce,
                                         gint64          now,
                                         gint64          lifetime,
                                         GError        **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);

  if (connection == NULL || !pg_begin (connection, error))
    return FALSE;
  return pg_commit_or_rollback (connection,
                                remember_nonce (connection, nonce, now, lifetime, error), error);
}

#define LINK_COLUMNS "id, key_id, at, action, actor, address, hash"

static GPtrArray *
photoseal_postgres_store_list_chain (PhotosealStore *store,
                                     const char     *key_id,
                                     gint64          after,
                                     guint           limit,
                                     GError        **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_autoptr(PGresult) result = NULL;
  g_auto(PgParams) params = { 0 };
  GPtrArray *links;

  pg_add_int (&params, after);
  pg_add_int (&params, limit);
  if (key_id != NULL)
    pg_add_text (&params, key_id);
  if (connection == NULL
      || !(result = pg_run (connection,
                            key_id ? "SELECT " LINK_COLUMNS " FROM events WHERE key_id = $3 "
                                     "AND id > $1 ORDER BY id LIMIT $2"
                                   : "SELECT " LINK_COLUMNS " FROM events WHERE id > $1 "
                                     "ORDER BY id LIMIT $2",
                            &params, "reading the audit log", error)))
    return NULL;
  links = g_ptr_array_new_with_free_func ((GDestroyNotify) photoseal_chain_link_free);
  for (int i = 0; i < PQntuples (result); i++)
    {
      PhotosealChainLink *link = g_new0 (PhotosealChainLink, 1);

      link->id = pg_get_int (result, i, 0);
      link->key_id = pg_get_text (result, i, 1);
      link->event.at = pg_get_int (result, i, 2);
      link->event.action = pg_get_text (result, i, 3);
      link->event.actor = pg_get_text (result, i, 4);
      link->event.address = pg_get_text (result, i, 5);
      link->hash = pg_get_bytes (result, i, 6);
      g_ptr_array_add (links, link);
    }
  return links;
}

/* Policy MACs for the keys made before them; see
 * photoseal_store_seal_key_policies(). Nodes starting together take
 * turns, and all but the first find the marker. */
static gint64
photoseal_postgres_store_seal_key_policies (PhotosealStore *store,
                                            GError        **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_autoptr(PGresult) state = NULL;
  g_autoptr(PGresult) keys = NULL;
  g_auto(PgParams) marker = { 0 };
  gint64 sealed = 0;
  gboolean ok;

  if (connection == NULL || !pg_begin (connection, error))
    return -1;
  pg_add_text (&marker, PHOTOSEAL_POLICY_SEALED_SETTING);
  ok = pg_run_ok (connection, "SELECT pg_advisory_xact_lock (" LOCK_CLASS ", "
                              LOCK_KEY_POLICIES ")", NULL, "locking key policies", error)
       && (state = pg_run (connection, "SELECT (SELECT count(*) FROM settings WHERE name = $1), "
                                       "(SELECT count(*) FROM keys WHERE policy_mac IS NOT NULL)",
                           &marker, "reading the key-policy marker", error));
  if (ok && pg_get_int (state, 0, 0) == 0 && pg_get_int (state, 0, 1) > 0)
    {
      g_set_error_literal (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                           "Keys carry policy MACs but the database's record of them is gone: "
                           "someone changed the database");
      ok = FALSE;
    }
  else if (ok && pg_get_int (state, 0, 0) == 0)
    {
      ok = (keys = pg_run (connection, "SELECT key_id FROM keys WHERE policy_mac IS NULL "
                                       "FOR UPDATE", NULL, "listing keys", error)) != NULL;
      for (; ok && sealed < PQntuples (keys); sealed++)
        ok = seal_policy (connection, PQgetvalue (keys, sealed, 0), error);
      ok = ok && pg_run_ok (connection, "INSERT INTO settings (name, value) "
                                        "VALUES ($1, '\\x01') ON CONFLICT DO NOTHING",
                            &marker, "marking key policies", error);
    }
  return pg_commit_or_rollback (connection, ok, error) ? sealed : -1;
}

void
photoseal_postgres_store_keys_iface_init (PhotosealStoreInterface *iface)
{
  iface->add_key = photoseal_postgres_store_add_key;
  iface->find_key = photoseal_postgres_store_find_key;
  iface->list_keys = photoseal_postgres_store_list_keys;
  iface->update_key = photoseal_postgres_store_update_key;
  iface->revoke_key = photoseal_postgres_store_revoke_key;
  iface->take_access_code_try = photoseal_postgres_store_take_access_code_try;
  iface->return_access_code_try = photoseal_postgres_store_return_access_code_try;
  iface->add_event = photoseal_postgres_store_add_event;
  iface->remember_nonce = photoseal_postgres_store_remember_nonce;
  iface->list_chain = photoseal_postgres_store_list_chain;
  iface->seal_key_policies = photoseal_postgres_store_seal_key_policies;
}
