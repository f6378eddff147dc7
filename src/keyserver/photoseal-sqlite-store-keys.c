/* photoseal-sqlite-store-keys.c
 *
 * The SQLite store's keys, access-code tries, release nonces and audit
 * log. Every write here goes through the one writer connection, so the
 * audit chain is appended in the same transaction as the change it records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sqlite-store"

#include "config.h"

#include <string.h>

#include "photoseal-sqlite-store-private.h"

/* Keys ******************************************************************/

static gboolean
append_event (Connection           *db,
              const char           *key_id,
              const PhotosealEvent *event,
              GError              **error)
{
  g_autoptr(Statement) last = prepare (db, "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1",
                                       error);
  g_autoptr(Statement) add = NULL;
  guint8 previous[32] = { 0 };
  guint8 hash[32];
  gint64 id = 1;
  int rc;

  if (last == NULL)
    return FALSE;
  rc = sqlite3_step (last);
  if (rc == SQLITE_ROW && sqlite3_column_bytes (last, 1) == sizeof previous)
    {
      id = sqlite3_column_int64 (last, 0) + 1;
      memcpy (previous, sqlite3_column_blob (last, 1), sizeof previous);
    }
  else if (rc != SQLITE_DONE)
    return sql_error (db, error, "reading the audit log");

  photoseal_event_chain_hash (previous, id, key_id, event, hash);
  if (!(add = prepare (db, "INSERT INTO events (id, key_id, at, action, actor, address, hash) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (add, 1, id);
  sqlite3_bind_text (add, 2, key_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (add, 3, event->at);
  sqlite3_bind_text (add, 4, event->action, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 5, event->actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 6, event->address, -1, SQLITE_STATIC);
  sqlite3_bind_blob (add, 7, hash, sizeof hash, SQLITE_STATIC);
  if (sqlite3_step (add) != SQLITE_DONE)
    return sql_error (db, error, "appending to the audit log");
  return TRUE;
}

static gboolean
set_recipients (Connection         *db,
                const char         *key_id,
                const char * const *recipients,
                GError            **error)
{
  g_autoptr(Statement) clear = prepare (db, "DELETE FROM key_recipients WHERE key_id = ?", error);
  g_autoptr(Statement) add = NULL;

  if (clear == NULL)
    return FALSE;
  sqlite3_bind_text (clear, 1, key_id, -1, SQLITE_STATIC);
  if (sqlite3_step (clear) != SQLITE_DONE)
    return sql_error (db, error, "changing recipients");

  if (!(add = prepare (db, "INSERT OR IGNORE INTO key_recipients (key_id, email_key, email) "
                           "VALUES (?, ?, ?)", error)))
    return FALSE;
  for (guint i = 0; recipients && recipients[i]; i++)
    {
      g_autofree char *email_key = photoseal_store_email_key (recipients[i]);

      sqlite3_reset (add);
      sqlite3_bind_text (add, 1, key_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (add, 2, email_key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (add, 3, recipients[i], -1, SQLITE_STATIC);
      if (sqlite3_step (add) != SQLITE_DONE)
        return sql_error (db, error, "adding a recipient");
    }
  return TRUE;
}

/* A key's recipients' emails, in the caller's transaction. A failure to
 * read them is an error, never an empty list: that would refuse, and
 * audit as refused, a release to a real recipient. */
static GStrv
read_recipients (Connection  *db,
                 const char  *key_id,
                 GError     **error)
{
  g_autoptr(Statement) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  stmt = prepare (db, "SELECT email FROM key_recipients WHERE key_id = ? ORDER BY email_key",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    return sql_error (db, error, "reading a key's recipients"), NULL;
  return g_strv_builder_end (builder);
}

/* Stores the MAC of @key_id's policy as it stands now, in the transaction
 * that changed it, so that concurrent updates cannot leave a stale one. */
static gboolean
seal_policy (Connection *db,
             const char *key_id,
             GError    **error)
{
  g_autoptr(Statement) key = prepare (db, "SELECT owner_id, expires, access_code_hash FROM keys "
                                          "WHERE key_id = ?", error);
  g_autoptr(Statement) store = NULL;
  g_auto(GStrv) recipients = NULL;
  guint8 mac[PHOTOSEAL_POLICY_MAC_SIZE];

  if (key == NULL)
    return FALSE;
  sqlite3_bind_text (key, 1, key_id, -1, SQLITE_STATIC);
  switch (sqlite3_step (key))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      return TRUE;
    default:
      return sql_error (db, error, "reading a key's policy");
    }
  if (!(recipients = read_recipients (db, key_id, error)))
    return FALSE;
  if (!photoseal_key_policy_mac (key_id, sqlite3_column_int64 (key, 0),
                                 sqlite3_column_int64 (key, 1),
                                 (const char *) sqlite3_column_text (key, 2),
                                 (const char * const *) recipients, mac))
    return TRUE;
  if (!(store = prepare (db, "UPDATE keys SET policy_mac = ? WHERE key_id = ?", error)))
    return FALSE;
  sqlite3_bind_blob (store, 1, mac, sizeof mac, SQLITE_STATIC);
  sqlite3_bind_text (store, 2, key_id, -1, SQLITE_STATIC);
  return sqlite3_step (store) == SQLITE_DONE || sql_error (db, error, "storing a key's policy");
}

typedef struct
{
  const PhotosealKeyRecord *record;
  const PhotosealEvent *event;
} AddKey;

static gboolean
add_key (Connection *db,
         gpointer    data,
         GError    **error)
{
  AddKey *args = data;
  const PhotosealKeyRecord *record = args->record;
  g_autoptr(Statement) stmt = prepare (db, "INSERT INTO keys (key_id, owner_id, sealed_key, "
                                           "created, expires, access_code_hash, "
                                           "access_code_tries) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                       error);
  gsize len;
  const guint8 *sealed = g_bytes_get_data (record->sealed_key, &len);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->key_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, record->owner_id);
  sqlite3_bind_blob (stmt, 3, sealed, len, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, record->created);
  sqlite3_bind_int64 (stmt, 5, record->expires);
  sqlite3_bind_text (stmt, 6, record->access_code_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, record->access_code_hash ? PHOTOSEAL_ACCESS_CODE_TRIES : 0);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (db, error, "adding a key");
  return set_recipients (db, record->key_id, (const char * const *) record->recipients, error)
         && seal_policy (db, record->key_id, error)
         && append_event (db, record->key_id, args->event, error);
}

static gboolean
photoseal_sqlite_store_add_key (PhotosealStore           *store,
                                const PhotosealKeyRecord *record,
                                const PhotosealEvent     *event,
                                GError                  **error)
{
  AddKey args = { record, event };

  return write_committed (PHOTOSEAL_SQLITE_STORE (store), add_key, &args, error);
}

#define KEY_COLUMNS \
  "k.key_id, k.owner_id, a.email, k.sealed_key, k.created, k.expires, k.revoked, " \
  "k.access_code_hash, k.access_code_tries, " \
  "coalesce ((SELECT r.releases FROM key_releases r WHERE r.key_id = k.key_id), 0), " \
  "k.policy_mac "

/* Called on the row of a key query that is still running, so that the
 * recipients are read in the same read transaction as the key. */
static PhotosealKeyRecord *
key_from_row (Connection    *db,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  g_autoptr(PhotosealKeyRecord) record = g_new0 (PhotosealKeyRecord, 1);

  record->key_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  record->owner_id = sqlite3_column_int64 (stmt, 1);
  record->owner_email = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (sqlite3_column_type (stmt, 3) == SQLITE_BLOB)
    record->sealed_key = g_bytes_new (sqlite3_column_blob (stmt, 3),
                                      sqlite3_column_bytes (stmt, 3));
  record->created = sqlite3_column_int64 (stmt, 4);
  record->expires = sqlite3_column_int64 (stmt, 5);
  record->revoked = sqlite3_column_int64 (stmt, 6);
  record->access_code_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  record->access_code_tries = sqlite3_column_int (stmt, 8);
  record->releases = sqlite3_column_int (stmt, 9);
  if (sqlite3_column_type (stmt, 10) == SQLITE_BLOB)
    record->policy_mac = g_bytes_new (sqlite3_column_blob (stmt, 10),
                                      sqlite3_column_bytes (stmt, 10));
  if (!(record->recipients = read_recipients (db, record->key_id, error)))
    return NULL;
  return g_steal_pointer (&record);
}

/* @key_id's record as @db sees it, or NULL (no error) if there is none. */
static PhotosealKeyRecord *
key_in (Connection  *db,
        const char  *key_id,
        GError     **error)
{
  g_autoptr(Statement) stmt = prepare (db, "SELECT " KEY_COLUMNS "FROM keys k JOIN accounts a "
                                           "ON a.id = k.owner_id WHERE k.key_id = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key_id, -1, SQLITE_STATIC);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return key_from_row (db, stmt, error);
    case SQLITE_DONE:
      return NULL;
    default:
      sql_error (db, error, "looking up a key");
      return NULL;
    }
}

static PhotosealKeyRecord *
photoseal_sqlite_store_find_key (PhotosealStore *store,
                                 const char     *key_id,
                                 GError        **error)
{
  g_autoptr(Reader) db = reader_take (PHOTOSEAL_SQLITE_STORE (store), error);

  return db != NULL ? key_in (db, key_id, error) : NULL;
}

static GPtrArray *
photoseal_sqlite_store_list_keys (PhotosealStore *store,
                                  gint64          owner_id,
                                  GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (
    (GDestroyNotify) photoseal_key_record_free);
  g_autoptr(Reader) db = reader_take (self, error);
  g_autoptr(Statement) stmt = NULL;
  int rc;

  if (!db || !(stmt = prepare (db, "SELECT " KEY_COLUMNS "FROM keys k JOIN accounts a "
                                   "ON a.id = k.owner_id WHERE k.owner_id = ? "
                                   "ORDER BY k.created DESC, k.key_id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, owner_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PhotosealKeyRecord *record = key_from_row (db, stmt, error);

      if (record == NULL)
        return NULL;
      g_ptr_array_add (keys, record);
    }
  if (rc != SQLITE_DONE)
    return sql_error (db, error, "listing keys"), NULL;
  return g_steal_pointer (&keys);
}

typedef struct
{
  const char *key_id;
  const PhotosealKeyUpdate *update;
  const PhotosealEvent *event;
} UpdateKey;

static gboolean
set_expiry (Connection *db,
            const char *key_id,
            gint64      expires,
            GError    **error)
{
  g_autoptr(Statement) stmt = prepare (db, "UPDATE keys SET expires = ? WHERE key_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, expires);
  sqlite3_bind_text (stmt, 2, key_id, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE || sql_error (db, error, "changing expiry");
}

static gboolean
set_access_code (Connection *db,
                 const char *key_id,
                 const char *access_code_hash,
                 GError    **error)
{
  g_autoptr(Statement) stmt = prepare (db, "UPDATE keys SET access_code_hash = ?, "
                                           "access_code_tries = ? WHERE key_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, access_code_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, PHOTOSEAL_ACCESS_CODE_TRIES);
  sqlite3_bind_text (stmt, 3, key_id, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE || sql_error (db, error, "issuing an access code");
}

/* Before an update: a policy changed behind the server's back is never
 * MACed as if the owner had set it. */
static gboolean
check_policy (Connection *db,
              const char *key_id,
              GError    **error)
{
  GError *lookup_error = NULL;
  g_autoptr(PhotosealKeyRecord) record = key_in (db, key_id, &lookup_error);

  return photoseal_key_record_check_policy (record, lookup_error, error);
}

static gboolean
update_key (Connection *db,
            gpointer    data,
            GError    **error)
{
  UpdateKey *args = data;
  const PhotosealKeyUpdate *update = args->update;

  return check_policy (db, args->key_id, error)
         && (update->recipients == NULL
             || set_recipients (db, args->key_id, update->recipients, error))
         && (!update->set_expires || set_expiry (db, args->key_id, update->expires, error))
         && ((update->access_code_hash == NULL && !update->clear_access_code)
             || set_access_code (db, args->key_id, update->access_code_hash, error))
         && seal_policy (db, args->key_id, error)
         && append_event (db, args->key_id, args->event, error);
}

static gboolean
photoseal_sqlite_store_update_key (PhotosealStore           *store,
                                   const char               *key_id,
                                   const PhotosealKeyUpdate *update,
                                   const PhotosealEvent     *event,
                                   GError                  **error)
{
  UpdateKey args = { key_id, update, event };

  return write_committed (PHOTOSEAL_SQLITE_STORE (store), update_key, &args, error);
}

typedef struct
{
  const char *key_id;
  const PhotosealEvent *event;
  const guint8 *nonce;
  gint64 nonce_lifetime;
} KeyEvent;

static gboolean
revoke_key (Connection *db,
            gpointer    data,
            GError    **error)
{
  KeyEvent *args = data;
  g_autoptr(Statement) overwrite = NULL;
  g_autoptr(Statement) drop = NULL;

  /* Overwrite in place first, then drop: with secure_delete the old
   * bytes do not survive in a free page either. The WAL frames written
   * when the key was made still hold them: the revocation asks for a
   * truncating checkpoint once it has committed. */
  if (!(overwrite = prepare (db, "UPDATE keys SET sealed_key = zeroblob (length (sealed_key)) "
                                 "WHERE key_id = ? AND sealed_key IS NOT NULL", error))
      || !(drop = prepare (db, "UPDATE keys SET sealed_key = NULL, access_code_hash = NULL, "
                               "revoked = ? WHERE key_id = ? AND revoked = 0", error)))
    return FALSE;
  sqlite3_bind_text (overwrite, 1, args->key_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (drop, 1, args->event->at);
  sqlite3_bind_text (drop, 2, args->key_id, -1, SQLITE_STATIC);
  if (sqlite3_step (overwrite) != SQLITE_DONE || sqlite3_step (drop) != SQLITE_DONE)
    return sql_error (db, error, "revoking a key");
  /* Revoked already by a request just before: done, and audited once. */
  if (sqlite3_changes (db->db) == 0)
    return TRUE;
  return append_event (db, args->key_id, args->event, error);
}

static gboolean
photoseal_sqlite_store_revoke_key (PhotosealStore       *store,
                                   const char           *key_id,
                                   const PhotosealEvent *event,
                                   GError              **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  KeyEvent args = { key_id, event };

  if (!write_committed (self, revoke_key, &args, error))
    return FALSE;
  photoseal_sqlite_writer_shred_wal (self->writer);
  return TRUE;
}

typedef struct
{
  const char *key_id;
  gboolean taken;
} AccessCodeTry;

static gboolean
take_access_code_try (Connection *db,
                      gpointer    data,
                      GError    **error)
{
  AccessCodeTry *args = data;
  g_autoptr(Statement) stmt = prepare (db, "UPDATE keys SET access_code_tries = "
                                           "access_code_tries - 1 "
                                           "WHERE key_id = ? AND access_code_tries > 0", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, args->key_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (db, error, "counting an access-code try");
  args->taken = sqlite3_changes (db->db) == 1;
  return TRUE;
}

static gboolean
photoseal_sqlite_store_take_access_code_try (PhotosealStore *store,
                                             const char     *key_id,
                                             GError        **error)
{
  AccessCodeTry args = { key_id, FALSE };

  return write_committed (PHOTOSEAL_SQLITE_STORE (store), take_access_code_try, &args, error)
         && args.taken;
}

static gboolean
return_access_code_try (Connection *db,
                        gpointer    data,
                        GError    **error)
{
  g_autoptr(Statement) stmt = prepare (db, "UPDATE keys SET access_code_tries = "
                                           "min (access_code_tries + 1, ?) WHERE key_id = ?",
                                       error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, PHOTOSEAL_ACCESS_CODE_TRIES);
  sqlite3_bind_text (stmt, 2, data, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (db, error, "giving back an access-code try");
  return TRUE;
}

static void
photoseal_sqlite_store_return_access_code_try (PhotosealStore *store,
                                               const char     *key_id)
{
  write_committed (PHOTOSEAL_SQLITE_STORE (store), return_access_code_try, (gpointer) key_id, NULL);
}

static gboolean
remember_nonce (Connection   *db,
                const guint8 *nonce,
                gint64        now,
                gint64        lifetime,
                GError      **error)
{
  g_autoptr(Statement) prune = NULL;
  g_autoptr(Statement) add = NULL;
  int rc;

  if (!(prune = prepare (db, "DELETE FROM nonces WHERE seen < ?", error))
      || !(add = prepare (db, "INSERT INTO nonces (nonce, seen) VALUES (?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (prune, 1, now - lifetime);
  if (sqlite3_step (prune) != SQLITE_DONE)
    return sql_error (db, error, "forgetting old nonces");
  sqlite3_bind_blob (add, 1, nonce, PHOTOSEAL_NONCE_SIZE, SQLITE_STATIC);
  sqlite3_bind_int64 (add, 2, now);
  rc = sqlite3_step (add);
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error_literal (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_REPLAYED,
                           "This nonce was seen before");
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return sql_error (db, error, "remembering a nonce");
  return TRUE;
}

/* In the release's own write, so that no release is recorded after the
 * revocation of its key. */
static gboolean
check_unrevoked (Connection *db,
                 const char *key_id,
                 GError    **error)
{
  g_autoptr(Statement) stmt = prepare (db, "SELECT count(*) FROM keys WHERE key_id = ? "
                                           "AND revoked = 0 AND sealed_key IS NOT NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return sql_error (db, error, "looking up a key");
  if (sqlite3_column_int (stmt, 0) == 1)
    return TRUE;
  g_set_error_literal (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_REVOKED,
                       "The key was revoked");
  return FALSE;
}

static gboolean
add_event (Connection *db,
           gpointer    data,
           GError    **error)
{
  KeyEvent *args = data;

  return (args->nonce == NULL
          || remember_nonce (db, args->nonce, args->event->at, args->nonce_lifetime, error))
         && (!photoseal_event_is_release (args->event) || check_unrevoked (db, args->key_id, error))
         && append_event (db, args->key_id, args->event, error);
}

static gboolean
photoseal_sqlite_store_add_event (PhotosealStore       *store,
                                  const char           *key_id,
                                  const PhotosealEvent *event,
                                  const guint8         *nonce,
                                  gint64                nonce_lifetime,
                                  GError              **error)
{
  KeyEvent args = { key_id, event, nonce, nonce_lifetime };

  return write_committed (PHOTOSEAL_SQLITE_STORE (store), add_event, &args, error);
}

typedef struct
{
  const guint8 *nonce;
  gint64 now;
  gint64 lifetime;
} NonceArgs;

static gboolean
remember_nonce_alone (Connection *db,
                      gpointer    data,
                      GError    **error)
{
  NonceArgs *args = data;

  return remember_nonce (db, args->nonce, args->now, args->lifetime, error);
}

static gboolean
photoseal_sqlite_store_remember_nonce (PhotosealStore *store,
                                       const guint8   *nonce,
                                       gint64          now,
                                       gint64          lifetime,
                                       GError        **error)
{
  NonceArgs args = { nonce, now, lifetime };

  return write_committed (PHOTOSEAL_SQLITE_STORE (store), remember_nonce_alone, &args, error);
}

#define LINK_COLUMNS "id, key_id, at, action, actor, address, hash"

static GPtrArray *
photoseal_sqlite_store_list_chain (PhotosealStore *store,
                                   const char     *key_id,
                                   gint64          after,
                                   guint           limit,
                                   GError        **error)
{
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (
    (GDestroyNotify) photoseal_chain_link_free);
  g_autoptr(Reader) db = reader_take (PHOTOSEAL_SQLITE_STORE (store), error);
  g_autoptr(Statement) stmt = NULL;
  int rc;

  if (!db || !(stmt = prepare (db, key_id ? "SELECT " LINK_COLUMNS " FROM events WHERE key_id = ?3 "
                                            "AND id > ?1 ORDER BY id LIMIT ?2"
                                          : "SELECT " LINK_COLUMNS " FROM events WHERE id > ?1 "
                                            "ORDER BY id LIMIT ?2", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, limit);
  if (key_id != NULL)
    sqlite3_bind_text (stmt, 3, key_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PhotosealChainLink *link = g_new0 (PhotosealChainLink, 1);

      link->id = sqlite3_column_int64 (stmt, 0);
      link->key_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      link->event.at = sqlite3_column_int64 (stmt, 2);
      link->event.action = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      link->event.actor = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      link->event.address = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      link->hash = g_bytes_new (sqlite3_column_blob (stmt, 6), sqlite3_column_bytes (stmt, 6));
      g_ptr_array_add (links, link);
    }
  if (rc != SQLITE_DONE)
    return sql_error (db, error, "reading the audit log"), NULL;
  return g_steal_pointer (&links);
}

/* Policy MACs for the keys made before them; see
 * photoseal_store_seal_key_policies(). */
static gboolean
seal_key_policies (Connection *db,
                   gpointer    data,
                   GError    **error)
{
  gint64 *sealed = data;
  g_autoptr(Statement) state = NULL;
  g_autoptr(Statement) keys = NULL;
  g_autoptr(Statement) mark = NULL;
  g_autoptr(GPtrArray) key_ids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (!(state = prepare (db, "SELECT (SELECT count(*) FROM settings WHERE name = ?), "
                             "(SELECT count(*) FROM keys WHERE policy_mac IS NOT NULL)", error)))
    return FALSE;
  sqlite3_bind_text (state, 1, PHOTOSEAL_POLICY_SEALED_SETTING, -1, SQLITE_STATIC);
  if (sqlite3_step (state) != SQLITE_ROW)
    return sql_error (db, error, "reading the key-policy marker");
  if (sqlite3_column_int64 (state, 0) > 0)
    return TRUE;
  if (sqlite3_column_int64 (state, 1) > 0)
    {
      g_set_error_literal (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                           "Keys carry policy MACs but the database's record of them is gone: "
                           "someone changed the database");
      return FALSE;
    }

  if (!(keys = prepare (db, "SELECT key_id FROM keys WHERE policy_mac IS NULL", error)))
    return FALSE;
  /* Read first, then written: no row changes under the running query. */
  while ((rc = sqlite3_step (keys)) == SQLITE_ROW)
    g_ptr_array_add (key_ids, g_strdup ((const char *) sqlite3_column_text (keys, 0)));
  if (rc != SQLITE_DONE)
    return sql_error (db, error, "listing keys");
  for (guint i = 0; i < key_ids->len; i++)
    if (!seal_policy (db, g_ptr_array_index (key_ids, i), error))
      return FALSE;
  *sealed = key_ids->len;
  if (!(mark = prepare (db, "INSERT INTO settings (name, value) VALUES (?, x'01')", error)))
    return FALSE;
  sqlite3_bind_text (mark, 1, PHOTOSEAL_POLICY_SEALED_SETTING, -1, SQLITE_STATIC);
  return sqlite3_step (mark) == SQLITE_DONE || sql_error (db, error, "marking key policies");
}

static gint64
photoseal_sqlite_store_seal_key_policies (PhotosealStore *store,
                                          GError        **error)
{
  gint64 sealed = 0;

  if (!write_committed (PHOTOSEAL_SQLITE_STORE (store), seal_key_policies, &sealed, error))
    return -1;
  return sealed;
}

void
photoseal_sqlite_store_keys_iface_init (PhotosealStoreInterface *iface)
{
  iface->add_key = photoseal_sqlite_store_add_key;
  iface->find_key = photoseal_sqlite_store_find_key;
  iface->list_keys = photoseal_sqlite_store_list_keys;
  iface->update_key = photoseal_sqlite_store_update_key;
  iface->revoke_key = photoseal_sqlite_store_revoke_key;
  iface->take_access_code_try = photoseal_sqlite_store_take_access_code_try;
  iface->return_access_code_try = photoseal_sqlite_store_return_access_code_try;
  iface->add_event = photoseal_sqlite_store_add_event;
  iface->remember_nonce = photoseal_sqlite_store_remember_nonce;
  iface->list_chain = photoseal_sqlite_store_list_chain;
  iface->seal_key_policies = photoseal_sqlite_store_seal_key_policies;
}
