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
#include <string.h>

#include <glib/gstdio.h>

#include "photoseal-sqlite-connection.h"
#include "photoseal-sqlite-store.h"
#include "photoseal-sqlite-writer.h"

typedef PhotosealSqliteConnection Connection;
typedef PhotosealSqliteStatement Statement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Statement, photoseal_sqlite_statement_done)

struct _PhotosealSqliteStore
{
  GObject parent_instance;

  char *path;
  PhotosealSqliteWriter *writer;
  /* Idle readers; one is opened whenever none is idle, so there are as
   * many as threads ever read at once. */
  GAsyncQueue *readers;
};

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
};

#define sql_error photoseal_sqlite_connection_error
#define prepare photoseal_sqlite_connection_prepare
#define run photoseal_sqlite_connection_run

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
      g_autofree char *bump = g_strdup_printf ("UPDATE schema_version SET version = %" G_GINT64_FORMAT,
                                               version + 1);

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

typedef Connection Reader;

static Reader *
reader_take (PhotosealSqliteStore *self,
             GError              **error)
{
  Reader *reader = g_async_queue_try_pop (self->readers);

  if (reader == NULL && (reader = photoseal_sqlite_connection_open (self->path, TRUE, error)))
    reader->idle = self->readers;
  return reader;
}

static void
reader_give_back (Reader *reader)
{
  g_async_queue_push (reader->idle, reader);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reader, reader_give_back)

/* Runs @func in the next group commit; returns once it is on disk. */
static gboolean
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
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) photoseal_account_free);
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
                                   "s.expires FROM sessions s JOIN accounts a ON a.id = s.account_id "
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
  "coalesce ((SELECT r.releases FROM key_releases r WHERE r.key_id = k.key_id), 0) "

/* Called on the row of a key query that is still running, so that the
 * recipients are read in the same read transaction as the key. A failure
 * to read them is an error, never an empty list: that would refuse, and
 * audit as refused, a release to a real recipient. */
static PhotosealKeyRecord *
key_from_row (Connection    *db,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  g_autoptr(PhotosealKeyRecord) record = g_new0 (PhotosealKeyRecord, 1);
  g_autoptr(Statement) recipients = NULL;
  int rc;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  record->key_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  record->owner_id = sqlite3_column_int64 (stmt, 1);
  record->owner_email = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (sqlite3_column_type (stmt, 3) == SQLITE_BLOB)
    record->sealed_key = g_bytes_new (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
  record->created = sqlite3_column_int64 (stmt, 4);
  record->expires = sqlite3_column_int64 (stmt, 5);
  record->revoked = sqlite3_column_int64 (stmt, 6);
  record->access_code_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  record->access_code_tries = sqlite3_column_int (stmt, 8);
  record->releases = sqlite3_column_int (stmt, 9);

  recipients = prepare (db, "SELECT email FROM key_recipients WHERE key_id = ? ORDER BY email_key",
                        error);
  if (recipients == NULL)
    return NULL;
  sqlite3_bind_text (recipients, 1, record->key_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (recipients)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (recipients, 0));
  if (rc != SQLITE_DONE)
    return sql_error (db, error, "reading a key's recipients"), NULL;
  record->recipients = g_strv_builder_end (builder);
  return g_steal_pointer (&record);
}

static PhotosealKeyRecord *
photoseal_sqlite_store_find_key (PhotosealStore *store,
                                 const char     *key_id,
                                 GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(Reader) db = reader_take (self, error);
  g_autoptr(Statement) stmt = NULL;

  if (!db || !(stmt = prepare (db, "SELECT " KEY_COLUMNS "FROM keys k JOIN accounts a "
                                   "ON a.id = k.owner_id WHERE k.key_id = ?", error)))
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

static GPtrArray *
photoseal_sqlite_store_list_keys (PhotosealStore *store,
                                  gint64          owner_id,
                                  GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) photoseal_key_record_free);
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

static gboolean
update_key (Connection *db,
            gpointer    data,
            GError    **error)
{
  UpdateKey *args = data;
  const PhotosealKeyUpdate *update = args->update;

  return (update->recipients == NULL
          || set_recipients (db, args->key_id, update->recipients, error))
         && (!update->set_expires || set_expiry (db, args->key_id, update->expires, error))
         && (update->access_code_hash == NULL
             || set_access_code (db, args->key_id, update->access_code_hash, error))
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
                               "revoked = ? WHERE key_id = ?", error)))
    return FALSE;
  sqlite3_bind_text (overwrite, 1, args->key_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (drop, 1, args->event->at);
  sqlite3_bind_text (drop, 2, args->key_id, -1, SQLITE_STATIC);
  if (sqlite3_step (overwrite) != SQLITE_DONE || sqlite3_step (drop) != SQLITE_DONE)
    return sql_error (db, error, "revoking a key");
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

static gboolean
add_event (Connection *db,
           gpointer    data,
           GError    **error)
{
  KeyEvent *args = data;

  return (args->nonce == NULL
          || remember_nonce (db, args->nonce, args->event->at, args->nonce_lifetime, error))
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

static GPtrArray *
photoseal_sqlite_store_list_events (PhotosealStore *store,
                                    const char     *key_id,
                                    GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) photoseal_event_free);
  g_autoptr(Reader) db = reader_take (self, error);
  g_autoptr(Statement) stmt = NULL;
  int rc;

  if (!db || !(stmt = prepare (db, "SELECT at, action, actor, address FROM events WHERE key_id = ? "
                                   "ORDER BY id", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, key_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PhotosealEvent *event = g_new0 (PhotosealEvent, 1);

      event->at = sqlite3_column_int64 (stmt, 0);
      event->action = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      event->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      event->address = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    return sql_error (db, error, "reading the audit log"), NULL;
  return g_steal_pointer (&events);
}

static gboolean
photoseal_sqlite_store_verify_audit (PhotosealStore *store,
                                     guint64        *n_events,
                                     GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(Reader) db = reader_take (self, error);
  g_autoptr(Statement) stmt = NULL;
  guint8 previous[32] = { 0 };
  gint64 expected_id = 1;
  int rc;

  *n_events = 0;
  if (!db || !(stmt = prepare (db, "SELECT id, key_id, at, action, actor, address, hash "
                                   "FROM events ORDER BY id", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PhotosealEvent event = {
        sqlite3_column_int64 (stmt, 2),
        (char *) sqlite3_column_text (stmt, 3),
        (char *) sqlite3_column_text (stmt, 4),
        (char *) sqlite3_column_text (stmt, 5),
      };
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint8 hash[32];

      photoseal_event_chain_hash (previous, id, (const char *) sqlite3_column_text (stmt, 1),
                                  &event, hash);
      if (id != expected_id || sqlite3_column_bytes (stmt, 6) != sizeof hash
          || memcmp (hash, sqlite3_column_blob (stmt, 6), sizeof hash) != 0)
        {
          g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                       "The audit log is broken at event %" G_GINT64_FORMAT, id);
          return FALSE;
        }
      memcpy (previous, hash, sizeof hash);
      expected_id++;
      (*n_events)++;
    }
  if (rc != SQLITE_DONE)
    return sql_error (db, error, "reading the audit log");
  return TRUE;
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
  iface->set_account_disabled = photoseal_sqlite_store_set_account_disabled;
  iface->add_session = photoseal_sqlite_store_add_session;
  iface->find_session = photoseal_sqlite_store_find_session;
  iface->remove_session = photoseal_sqlite_store_remove_session;
  iface->add_failure = photoseal_sqlite_store_add_failure;
  iface->count_failures = photoseal_sqlite_store_count_failures;
  iface->clear_failures = photoseal_sqlite_store_clear_failures;
  iface->add_key = photoseal_sqlite_store_add_key;
  iface->find_key = photoseal_sqlite_store_find_key;
  iface->list_keys = photoseal_sqlite_store_list_keys;
  iface->update_key = photoseal_sqlite_store_update_key;
  iface->revoke_key = photoseal_sqlite_store_revoke_key;
  iface->take_access_code_try = photoseal_sqlite_store_take_access_code_try;
  iface->return_access_code_try = photoseal_sqlite_store_return_access_code_try;
  iface->add_event = photoseal_sqlite_store_add_event;
  iface->list_events = photoseal_sqlite_store_list_events;
  iface->verify_audit = photoseal_sqlite_store_verify_audit;
  iface->backup = photoseal_sqlite_store_backup;
  iface->checkpoint = photoseal_sqlite_store_checkpoint;
}
