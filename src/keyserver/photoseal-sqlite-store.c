/* photoseal-sqlite-store.c
 *
 * One SQLite database in WAL mode with synchronous=FULL, so that a commit
 * is on disk before the server answers, and secure_delete, so that deleted
 * rows are overwritten rather than left in free pages.
 *
 * One connection writes, group-committing whatever writes arrive
 * together (photoseal-sqlite-writer.c): SQLite serialises writers anyway.
 * Reads go to a pool of read-only connections instead, since WAL lets
 * readers run beside the writer: a release's session and key lookups
 * never wait behind another request's commit. A reader starts a fresh
 * read transaction for each query, so it sees every commit that returned
 * before the query began.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sqlite-store"

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "photoseal-sqlite-store-private.h"

static void store_iface_init (PhotosealStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PhotosealSqliteStore, photoseal_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PHOTOSEAL_TYPE_STORE, store_iface_init))

/* Schema migrations, applied in order, each in its own transaction; the
 * version table records how many have run. Never edit one that shipped:
 * add another. */
static const char * const migrations[] = {
  /* 1: accounts, sessions with their device keys, login throttling. */
  "CREATE TABLE accounts ("
  "  id INTEGER PRIMARY KEY,"
  "  email TEXT NOT NULL,"
  "  email_key TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  password_hash TEXT NOT NULL,"
  "  disabled INTEGER NOT NULL DEFAULT 0,"
  "  created INTEGER NOT NULL);"
  "CREATE TABLE sessions ("
  "  token_hash BLOB PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id),"
  "  device_id TEXT NOT NULL,"
  "  device_name TEXT NOT NULL,"
  "  device_public_key BLOB NOT NULL,"
  "  expires INTEGER NOT NULL);"
  "CREATE INDEX sessions_by_expiry ON sessions (expires);"
  "CREATE TABLE failures ("
  "  subject TEXT NOT NULL,"
  "  at INTEGER NOT NULL);"
  "CREATE INDEX failures_by_subject ON failures (subject, at);",

  /* 2: sealed-file keys, their recipients, the audit chain, release nonces. */
  "CREATE TABLE keys ("
  "  key_id TEXT PRIMARY KEY,"
  "  owner_id INTEGER NOT NULL REFERENCES accounts (id),"
  "  sealed_key BLOB,"
  "  created INTEGER NOT NULL,"
  "  expires INTEGER NOT NULL DEFAULT 0,"
  "  revoked INTEGER NOT NULL DEFAULT 0,"
  "  access_code_hash TEXT,"
  "  access_code_tries INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX keys_by_owner ON keys (owner_id, created);"
  "CREATE TABLE key_recipients ("
  "  key_id TEXT NOT NULL REFERENCES keys (key_id),"
  "  email_key TEXT NOT NULL,"
  "  email TEXT NOT NULL,"
  "  PRIMARY KEY (key_id, email_key));"
  "CREATE TABLE events ("
  "  id INTEGER PRIMARY KEY,"
  "  key_id TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  action TEXT NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  address TEXT NOT NULL,"
  "  hash BLOB NOT NULL);"
  "CREATE INDEX events_by_key ON events (key_id, id);"
  /* The audit log is append-only, whatever SQL reaches the database. */
  "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TABLE nonces ("
  "  nonce BLOB PRIMARY KEY,"
  "  seen INTEGER NOT NULL);",

  /* 3: every release prunes old nonces and counts the key's releases;
   * without these indexes both scanned more rows the busier the server. */
  "CREATE INDEX nonces_by_seen ON nonces (seen);"
  "CREATE INDEX events_by_key_action ON events (key_id, action);",

  /* 4: each key's release count, kept up by a trigger as events are
   * appended: counting the events on every lookup cost more the more
   * often a key had been opened, and every release looks its key up. */
  "CREATE TABLE key_releases ("
  "  key_id TEXT PRIMARY KEY,"
  "  releases INTEGER NOT NULL) WITHOUT ROWID;"
  "INSERT INTO key_releases (key_id, releases) "
  "  SELECT key_id, count(*) FROM events WHERE action = 'release' GROUP BY key_id;"
  "CREATE TRIGGER events_count_releases AFTER INSERT ON events WHEN NEW.action = 'release' "
  "  BEGIN INSERT INTO key_releases (key_id, releases) VALUES (NEW.key_id, 1) "
  "  ON CONFLICT (key_id) DO UPDATE SET releases = releases + 1; END;",

  /* 5: values kept with the data, such as the master-key check that
   * PostgreSQL had from the start. */
  "CREATE TABLE settings ("
  "  name TEXT PRIMARY KEY,"
  "  value BLOB NOT NULL);",

  /* 6: mailed codes (verification, reset, invitation), hashed. */
  "CREATE TABLE codes ("
  "  email TEXT NOT NULL,"
  "  purpose TEXT NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  expires INTEGER NOT NULL,"
  "  tries INTEGER NOT NULL,"
  "  PRIMARY KEY (email, purpose));",

  /* 7: "opened" counts the recipients' releases, not the owner's own. */
  "DROP TRIGGER events_count_releases;"
  "CREATE TRIGGER events_count_releases AFTER INSERT ON events WHEN NEW.action = 'release' "
  "  AND NEW.actor IS NOT (SELECT a.email FROM keys k JOIN accounts a ON a.id = k.owner_id "
  "                        WHERE k.key_id = NEW.key_id) "
  "  BEGIN INSERT INTO key_releases (key_id, releases) VALUES (NEW.key_id, 1) "
  "  ON CONFLICT (key_id) DO UPDATE SET releases = releases + 1; END;"
  "DELETE FROM key_releases;"
  "INSERT INTO key_releases (key_id, releases) "
  "  SELECT e.key_id, count(*) FROM events e JOIN keys k ON k.key_id = e.key_id "
  "  JOIN accounts a ON a.id = k.owner_id "
  "  WHERE e.action = 'release' AND e.actor IS NOT a.email GROUP BY e.key_id;",

  /* 8: each key's policy MAC (photoseal_key_policy_mac()), filled in for
   * the keys made before it at the first start with the master key. */
  "ALTER TABLE keys ADD COLUMN policy_mac BLOB;",
};


static gint64
schema_version (Connection *db)
{
  sqlite3_stmt *stmt = NULL;
  gint64 version = 0;

  if (sqlite3_prepare_v2 (db->db, "SELECT version FROM schema_version", -1, &stmt,
                          NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
migrate (Connection *db,
         GError    **error)
{
  gint64 version;

  if (!photoseal_sqlite_connection_exec (db, "CREATE TABLE IF NOT EXISTS schema_version "
                                             "(version INTEGER NOT NULL);"
                                             "INSERT INTO schema_version SELECT 0 WHERE NOT EXISTS "
                                             "(SELECT 1 FROM schema_version);", error))
    return FALSE;

  version = schema_version (db);
  if (version > (gint64) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                   "The database has schema version %" G_GINT64_FORMAT ", newer than this "
                   "server knows (%u): upgrade photoseal-keyserver", version,
                   (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (; version < (gint64) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *bump = g_strdup_printf ("UPDATE schema_version "
                                               "SET version = %" G_GINT64_FORMAT, version + 1);

      if (!photoseal_sqlite_connection_exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!photoseal_sqlite_connection_exec (db, migrations[version], error)
          || !photoseal_sqlite_connection_exec (db, bump, error)
          || !photoseal_sqlite_connection_exec (db, "COMMIT", error))
        {
          photoseal_sqlite_connection_exec (db, "ROLLBACK", NULL);
          return FALSE;
        }
      g_info ("Database migrated to schema version %" G_GINT64_FORMAT, version + 1);
    }

  return TRUE;
}

static void
photoseal_sqlite_store_finalize (GObject *object)
{
  PhotosealSqliteStore *self = (PhotosealSqliteStore *) object;
  Connection *reader;

  /* Readers first, so that the writer closes last and removes the WAL. */
  while ((reader = g_async_queue_try_pop (self->readers)) != NULL)
    photoseal_sqlite_connection_close (reader);
  g_async_queue_unref (self->readers);
  g_clear_pointer (&self->writer, photoseal_sqlite_writer_free);
  g_free (self->path);

  G_OBJECT_CLASS (photoseal_sqlite_store_parent_class)->finalize (object);
}

static void
photoseal_sqlite_store_class_init (PhotosealSqliteStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_sqlite_store_finalize;
}

static void
photoseal_sqlite_store_init (PhotosealSqliteStore *self)
{
  self->readers = g_async_queue_new ();
}

/**
 * photoseal_sqlite_store_open:
 * @path: the database file, created (mode 0600) if missing
 */
PhotosealSqliteStore *
photoseal_sqlite_store_open (const char *path,
                             GError    **error)
{
  g_autoptr(PhotosealSqliteStore) self = g_object_new (PHOTOSEAL_TYPE_SQLITE_STORE, NULL);
  Connection *db = photoseal_sqlite_connection_open (path, FALSE, error);

  self->path = g_strdup (path);
  if (db == NULL || !migrate (db, error))
    {
      photoseal_sqlite_connection_close (db);
      return NULL;
    }
  if (!(self->writer = photoseal_sqlite_writer_new (db, path, error)))
    return NULL;
  return g_steal_pointer (&self);
}

/* Readers ***************************************************************/

Reader *
reader_take (PhotosealSqliteStore *self,
             GError              **error)
{
  Reader *reader = g_async_queue_try_pop (self->readers);

  if (reader == NULL && (reader = photoseal_sqlite_connection_open (self->path, TRUE, error)))
    reader->idle = self->readers;
  return reader;
}

void
reader_give_back (Reader *reader)
{
  g_async_queue_push (reader->idle, reader);
}

/* Runs @func in the next group commit; returns once it is on disk. */
gboolean
write_committed (PhotosealSqliteStore     *self,
                 PhotosealSqliteWriteFunc  func,
                 gpointer                  data,
                 GError                  **error)
{
  return photoseal_sqlite_writer_run (self->writer, func, data, error);
}

/* Accounts **************************************************************/

static PhotosealAccount *
account_from_row (sqlite3_stmt *stmt)
{
  PhotosealAccount *account = g_new0 (PhotosealAccount, 1);

  account->id = sqlite3_column_int64 (stmt, 0);
  account->email = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  account->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  account->password_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  account->disabled = sqlite3_column_int (stmt, 4) != 0;
  account->created = sqlite3_column_int64 (stmt, 5);
  return account;
}

#define ACCOUNT_COLUMNS "id, email, name, password_hash, disabled, created"

/* Steps a bound account query: the account, or NULL when there is none. */
static PhotosealAccount *
step_account (Connection   *db,
              sqlite3_stmt *stmt,
              GError      **error)
{
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return account_from_row (stmt);
    case SQLITE_DONE:
      return NULL;
    default:
      sql_error (db, error, "looking up an account");
      return NULL;
    }
}

static PhotosealAccount *
photoseal_sqlite_store_find_account (PhotosealStore *store,
                                     const char     *email,
                                     GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autofree char *key = photoseal_store_email_key (email);
  g_autoptr(Reader) db = reader_take (self, error);
  g_autoptr(Statement) stmt = NULL;

  if (!db || !(stmt = prepare (db, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE email_key = ?",
                               error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  return step_account (db, stmt, error);
}

static PhotosealAccount *
photoseal_sqlite_store_find_account_by_id (PhotosealStore *store,
                                           gint64          id,
                                           GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(Reader) db = reader_take (self, error);
  g_autoptr(Statement) stmt = NULL;

  if (!db || !(stmt = prepare (db, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return step_account (db, stmt, error);
}

typedef struct
{
  const char *email;
  const char *email_key;
  const char *name;
  const char *password_hash;
  gint64 now;
} AddAccount;

static gboolean
add_account (Connection *db,
             gpointer    data,
             GError    **error)
{
  AddAccount *args = data;
  g_autoptr(Statement) stmt = prepare (db, "INSERT INTO accounts (email, email_key, name, "
                                           "password_hash, created) VALUES (?, ?, ?, ?, ?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, args->email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, args->email_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, args->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, args->password_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, args->now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_EMAIL_TAKEN,
                   "An account with this email already exists");
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return sql_error (db, error, "adding an account");
  return TRUE;
}

static PhotosealAccount *
photoseal_sqlite_store_add_account (PhotosealStore *store,
                                    const char     *email,
                                    const char     *name,
                                    const char     *password_hash,
                                    gint64          now,
                                    GError        **error)
{
  g_autofree char *key = photoseal_store_email_key (email);
  AddAccount args = { email, key, name, password_hash, now };

  if (!write_committed (PHOTOSEAL_SQLITE_STORE (store), add_account, &args, error))
    return NULL;
  return photoseal_sqlite_store_find_account (store, email, error);
}

static GPtrArray *
photoseal_sqlite_store_list_accounts (PhotosealStore *store,
                                      GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (
    (GDestroyNotify) photoseal_account_free);
  g_autoptr(Reader) db = reader_take (self, error);
  g_autoptr(Statement) stmt = NULL;
  int rc;

  if (!db || !(stmt = prepare (db, "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY email_key",
                               error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));
  if (rc != SQLITE_DONE)
    return sql_error (db, error, "listing accounts"), NULL;
  return g_steal_pointer (&accounts);
}

/* Settings **************************************************************/

static GBytes *
photoseal_sqlite_store_get_setting (PhotosealStore *store,
                                    const char     *name,
                                    GError        **error)
{
  g_autoptr(Reader) db = reader_take (PHOTOSEAL_SQLITE_STORE (store), error);
  g_autoptr(Statement) stmt = NULL;
  int rc;

  if (!db || !(stmt = prepare (db, "SELECT value FROM settings WHERE name = ?", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  if (rc != SQLITE_DONE)
    sql_error (db, error, "reading a setting");
  return NULL;
}

typedef struct
{
  const char *name;
  GBytes *value;
} Setting;

static gboolean
add_setting (Connection *db,
             gpointer    data,
             GError    **error)
{
  Setting *setting = data;
  g_autoptr(Statement) stmt = prepare (db, "INSERT INTO settings (name, value) VALUES (?, ?) "
                                           "ON CONFLICT (name) DO NOTHING", error);
  gsize len;
  const void *value;

  if (stmt == NULL)
    return FALSE;
  value = g_bytes_get_data (setting->value, &len);
  sqlite3_bind_text (stmt, 1, setting->name, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, value, len, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE || sql_error (db, error, "keeping a setting");
}

static gboolean
photoseal_sqlite_store_add_setting (PhotosealStore *store,
                                    const char     *name,
                                    GBytes         *value,
                                    GError        **error)
{
  Setting setting = { name, value };

  return write_committed (PHOTOSEAL_SQLITE_STORE (store), add_setting, &setting, error);
}

typedef struct
{
  const char *email;
  const char *email_key;
  gboolean disabled;
} SetAccountDisabled;

static gboolean
set_account_disabled (Connection *db,
                      gpointer    data,
                      GError    **error)
{
  SetAccountDisabled *args = data;
  g_autoptr(Statement) stmt = prepare (db, "UPDATE accounts SET disabled = ? WHERE email_key = ?",
                                       error);
  g_autoptr(Statement) end = NULL;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, args->disabled ? 1 : 0);
  sqlite3_bind_text (stmt, 2, args->email_key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (db, error, "changing an account");
  if (sqlite3_changes (db->db) == 0)
    {
      g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND,
                   "There is no account for “%s”", args->email);
      return FALSE;
    }
  if (!args->disabled)
    return TRUE;

  /* A disabled account's sessions end at once. */
  if (!(end = prepare (db, "DELETE FROM sessions WHERE account_id = "
                           "(SELECT id FROM accounts WHERE email_key = ?)", error)))
    return FALSE;
  sqlite3_bind_text (end, 1, args->email_key, -1, SQLITE_STATIC);
  if (sqlite3_step (end) != SQLITE_DONE)
    return sql_error (db, error, "ending sessions");
  return TRUE;
}

static gboolean
photoseal_sqlite_store_set_account_disabled (PhotosealStore *store,
                                             const char     *email,
                                             gboolean        disabled,
                                             GError        **error)
{
  g_autofree char *key = photoseal_store_email_key (email);
  SetAccountDisabled args = { email, key, disabled };

  return write_committed (PHOTOSEAL_SQLITE_STORE (store), set_account_disabled, &args, error);
}

/* Sessions **************************************************************/

typedef struct
{
  const guint8 *token_hash;
  gint64 account_id;
  const char *device_id;
  const char *device_name;
  const guint8 *device_public_key;
  gint64 expires;
} AddSession;

static gboolean
add_session (Connection *db,
             gpointer    data,
             GError    **error)
{
  AddSession *args = data;
  g_autoptr(Statement) stmt = prepare (db, "INSERT INTO sessions (token_hash, account_id, "
                                           "device_id, device_name, device_public_key, expires) "
                                           "VALUES (?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, args->token_hash, PHOTOSEAL_TOKEN_HASH_SIZE, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, args->account_id);
  sqlite3_bind_text (stmt, 3, args->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, args->device_name, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 5, args->device_public_key, 32, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, args->expires);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (db, error, "adding a session");
  return TRUE;
}

static gboolean
photoseal_sqlite_store_add_session (PhotosealStore *store,
                                    const guint8   *token_hash,
                                    gint64          account_id,
                                    const char     *device_id,
                                    const char     *device_name,
                                    const guint8   *device_public_key,
                                    gint64          expires,
                                    GError        **error)
{
  AddSession args = { token_hash, account_id, device_id, device_name, device_public_key, expires };

  return write_committed (PHOTOSEAL_SQLITE_STORE (store), add_session, &args, error);
}

static PhotosealSession *
photoseal_sqlite_store_find_session (PhotosealStore *store,
                                     const guint8   *token_hash,
                                     gint64          now,
                                     GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(Reader) db = reader_take (self, error);
  g_autoptr(Statement) stmt = NULL;
  PhotosealSession *session;
  int rc;

  if (!db || !(stmt = prepare (db, "SELECT s.account_id, s.device_id, s.device_public_key, "
                                   "s.expires FROM sessions s "
                                   "JOIN accounts a ON a.id = s.account_id "
                                   "WHERE s.token_hash = ? AND s.expires > ? AND a.disabled = 0",
                               error)))
    return NULL;
  sqlite3_bind_blob (stmt, 1, token_hash, PHOTOSEAL_TOKEN_HASH_SIZE, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW || sqlite3_column_bytes (stmt, 2) != 32)
    return sql_error (db, error, "looking up a session"), NULL;

  session = g_new0 (PhotosealSession, 1);
  session->account_id = sqlite3_column_int64 (stmt, 0);
  session->device_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  memcpy (session->device_public_key, sqlite3_column_blob (stmt, 2), 32);
  session->expires = sqlite3_column_int64 (stmt, 3);
  return session;
}

static gboolean
remove_session (Connection *db,
                gpointer    data,
                GError    **error)
{
  g_autoptr(Statement) stmt = prepare (db, "DELETE FROM sessions WHERE token_hash = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, data, PHOTOSEAL_TOKEN_HASH_SIZE, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (db, error, "removing a session");
  return TRUE;
}

static gboolean
photoseal_sqlite_store_remove_session (PhotosealStore *store,
                                       const guint8   *token_hash,
                                       GError        **error)
{
  return write_committed (PHOTOSEAL_SQLITE_STORE (store), remove_session, (gpointer) token_hash,
                          error);
}

/* Throttling ************************************************************/

static guint
count_failures (Connection *db,
                const char *subject,
                gint64      since,
                GError    **error)
{
  g_autoptr(Statement) stmt = prepare (db, "SELECT count(*) FROM failures "
                                           "WHERE subject = ? AND at > ?", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, subject, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return sql_error (db, error, "counting failures"), 0;
  return sqlite3_column_int (stmt, 0);
}

typedef struct
{
  const char *subject;
  gint64 now;
  gint64 window;
  guint count;
} AddFailure;

static gboolean
add_failure (Connection *db,
             gpointer    data,
             GError    **error)
{
  AddFailure *args = data;
  g_autoptr(Statement) prune = NULL;
  g_autoptr(Statement) add = NULL;
  GError *local_error = NULL;

  if (!(prune = prepare (db, "DELETE FROM failures WHERE subject = ? AND at <= ?", error))
      || !(add = prepare (db, "INSERT INTO failures (subject, at) VALUES (?, ?)", error)))
    return FALSE;
  sqlite3_bind_text (prune, 1, args->subject, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (prune, 2, args->now - args->window);
  sqlite3_bind_text (add, 1, args->subject, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (add, 2, args->now);
  if (sqlite3_step (prune) != SQLITE_DONE || sqlite3_step (add) != SQLITE_DONE)
    return sql_error (db, error, "counting a failure");
  args->count = count_failures (db, args->subject, args->now - args->window, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static guint
photoseal_sqlite_store_add_failure (PhotosealStore *store,
                                    const char     *subject,
                                    gint64          now,
                                    gint64          window,
                                    GError        **error)
{
  AddFailure args = { subject, now, window, 0 };

  if (!write_committed (PHOTOSEAL_SQLITE_STORE (store), add_failure, &args, error))
    return 0;
  return args.count;
}

static guint
photoseal_sqlite_store_count_failures (PhotosealStore *store,
                                       const char     *subject,
                                       gint64          now,
                                       gint64          window,
                                       GError        **error)
{
  g_autoptr(Reader) db = reader_take (PHOTOSEAL_SQLITE_STORE (store), error);

  return db ? count_failures (db, subject, now - window, error) : 0;
}

static gboolean
clear_failures (Connection *db,
                gpointer    data,
                GError    **error)
{
  g_autoptr(Statement) stmt = prepare (db, "DELETE FROM failures WHERE subject = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (db, error, "forgetting failures");
  return TRUE;
}

static void
photoseal_sqlite_store_clear_failures (PhotosealStore *store,
                                       const char     *subject)
{
  write_committed (PHOTOSEAL_SQLITE_STORE (store), clear_failures, (gpointer) subject, NULL);
}

/* SQLite's online backup, page by page under the writer's lock, into a
 * temporary file beside @destination that is renamed into place. */
static gboolean
photoseal_sqlite_store_backup (PhotosealStore *store,
                               const char     *destination,
                               GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autofree char *temp = g_strconcat (destination, ".partial", NULL);
  sqlite3 *copy = NULL;
  sqlite3_backup *backup;
  gboolean ok;

  g_unlink (temp);
  if (sqlite3_open_v2 (temp, &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                   "Could not create “%s”", temp);
      sqlite3_close (copy);
      return FALSE;
    }

  backup = sqlite3_backup_init (copy, "main", photoseal_sqlite_writer_lock (self->writer)->db,
                                "main");
  ok = backup != NULL && sqlite3_backup_step (backup, -1) == SQLITE_DONE;
  if (backup != NULL)
    sqlite3_backup_finish (backup);
  photoseal_sqlite_writer_unlock (self->writer);
  ok = ok && sqlite3_exec (copy, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) == SQLITE_OK;
  if (!ok)
    g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                 "The backup failed: %s", sqlite3_errmsg (copy));
  sqlite3_close (copy);

  if (ok && g_rename (temp, destination) != 0)
    {
      g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                   "Could not move the backup to “%s”: %s", destination, g_strerror (errno));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (temp);
  return ok;
}

static void
photoseal_sqlite_store_checkpoint (PhotosealStore *store)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  Connection *db = photoseal_sqlite_writer_lock (self->writer);

  sqlite3_wal_checkpoint_v2 (db->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  photoseal_sqlite_writer_unlock (self->writer);
}

static void
store_iface_init (PhotosealStoreInterface *iface)
{
  iface->add_account = photoseal_sqlite_store_add_account;
  iface->find_account = photoseal_sqlite_store_find_account;
  iface->find_account_by_id = photoseal_sqlite_store_find_account_by_id;
  iface->list_accounts = photoseal_sqlite_store_list_accounts;
  iface->get_setting = photoseal_sqlite_store_get_setting;
  iface->add_setting = photoseal_sqlite_store_add_setting;
  iface->set_account_disabled = photoseal_sqlite_store_set_account_disabled;
  iface->add_session = photoseal_sqlite_store_add_session;
  iface->find_session = photoseal_sqlite_store_find_session;
  iface->remove_session = photoseal_sqlite_store_remove_session;
  iface->add_failure = photoseal_sqlite_store_add_failure;
  iface->count_failures = photoseal_sqlite_store_count_failures;
  iface->clear_failures = photoseal_sqlite_store_clear_failures;
  photoseal_sqlite_store_keys_iface_init (iface);
  photoseal_sqlite_store_identity_iface_init (iface);
  iface->backup = photoseal_sqlite_store_backup;
  iface->checkpoint = photoseal_sqlite_store_checkpoint;
}
