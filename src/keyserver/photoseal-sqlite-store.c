/* photoseal-sqlite-store.c
 *
 * One SQLite database in WAL mode with synchronous=FULL, so that a commit
 * is on disk before the server answers, and secure_delete, so that deleted
 * rows are overwritten rather than left in free pages. One connection
 * serves every thread behind a mutex: SQLite serialises writers anyway,
 * and requests are short.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sqlite-store"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "photoseal-sqlite-store.h"

struct _PhotosealSqliteStore
{
  GObject parent_instance;

  sqlite3 *db;
  GMutex mutex;
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
};

static gboolean
sql_error (PhotosealSqliteStore *self,
           GError              **error,
           const char           *what)
{
  g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
               "Database error while %s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec (PhotosealSqliteStore *self,
      const char           *sql,
      GError              **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sql_error (self, error, sql);
  return TRUE;
}

static sqlite3_stmt *
prepare (PhotosealSqliteStore *self,
         const char           *sql,
         GError              **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sql_error (self, error, "preparing a statement");
      return NULL;
    }
  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static gint64
schema_version (PhotosealSqliteStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT version FROM schema_version", NULL);

  return stmt && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

static gboolean
migrate (PhotosealSqliteStore *self,
         GError              **error)
{
  gint64 version;

  if (!exec (self, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);"
                   "INSERT INTO schema_version SELECT 0 WHERE NOT EXISTS "
                   "(SELECT 1 FROM schema_version);", error))
    return FALSE;

  version = schema_version (self);
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

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (self, migrations[version], error) || !exec (self, bump, error)
          || !exec (self, "COMMIT", error))
        {
          exec (self, "ROLLBACK", NULL);
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

  if (self->db != NULL)
    {
      sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
      sqlite3_close (self->db);
    }
  g_mutex_clear (&self->mutex);

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
  g_mutex_init (&self->mutex);
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
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;

  if (sqlite3_open_v2 (path, &self->db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                   "Could not open the database “%s”: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);
  if (!exec (self, "PRAGMA journal_mode = WAL;"
                   "PRAGMA synchronous = FULL;"
                   "PRAGMA secure_delete = ON;"
                   "PRAGMA foreign_keys = ON;", error)
      || !migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
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

static PhotosealAccount *
photoseal_sqlite_store_find_account (PhotosealStore *store,
                                     const char     *email,
                                     GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *key = photoseal_store_email_key (email);

  if (!(stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE email_key = ?", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return account_from_row (stmt);
    case SQLITE_DONE:
      return NULL;
    default:
      sql_error (self, error, "looking up an account");
      return NULL;
    }
}

static PhotosealAccount *
photoseal_sqlite_store_find_account_by_id (PhotosealStore *store,
                                           gint64          id,
                                           GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return account_from_row (stmt);
    case SQLITE_DONE:
      return NULL;
    default:
      sql_error (self, error, "looking up an account");
      return NULL;
    }
}

static PhotosealAccount *
photoseal_sqlite_store_add_account (PhotosealStore *store,
                                    const char     *email,
                                    const char     *name,
                                    const char     *password_hash,
                                    gint64          now,
                                    GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autofree char *key = photoseal_store_email_key (email);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

    stmt = prepare (self, "INSERT INTO accounts (email, email_key, name, password_hash, created) "
                          "VALUES (?, ?, ?, ?, ?)", error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_text (stmt, 1, email, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, password_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 5, now);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_CONSTRAINT)
      {
        g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_EMAIL_TAKEN,
                     "An account with this email already exists");
        return NULL;
      }
    if (rc != SQLITE_DONE)
      return sql_error (self, error, "adding an account"), NULL;
  }

  return photoseal_sqlite_store_find_account (store, email, error);
}

static GPtrArray *
photoseal_sqlite_store_list_accounts (PhotosealStore *store,
                                      GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) photoseal_account_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY email_key", error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (accounts, account_from_row (stmt));
  if (rc != SQLITE_DONE)
    return sql_error (self, error, "listing accounts"), NULL;
  return g_steal_pointer (&accounts);
}

static gboolean
photoseal_sqlite_store_set_account_disabled (PhotosealStore *store,
                                             const char     *email,
                                             gboolean        disabled,
                                             GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *key = photoseal_store_email_key (email);

  if (!(stmt = prepare (self, "UPDATE accounts SET disabled = ? WHERE email_key = ?", error)))
    return FALSE;
  sqlite3_bind_int (stmt, 1, disabled ? 1 : 0);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (self, error, "changing an account");
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND,
                   "There is no account for “%s”", email);
      return FALSE;
    }
  /* A disabled account's sessions end at once. */
  if (disabled)
    {
      g_autoptr(sqlite3_stmt) end = prepare (self, "DELETE FROM sessions WHERE account_id = "
                                                   "(SELECT id FROM accounts WHERE email_key = ?)",
                                             error);
      if (end == NULL)
        return FALSE;
      sqlite3_bind_text (end, 1, key, -1, SQLITE_STATIC);
      if (sqlite3_step (end) != SQLITE_DONE)
        return sql_error (self, error, "ending sessions");
    }
  return TRUE;
}

/* Sessions **************************************************************/

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
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = prepare (self, "INSERT INTO sessions (token_hash, account_id, device_id, device_name, "
                        "device_public_key, expires) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, token_hash, PHOTOSEAL_TOKEN_HASH_SIZE, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, account_id);
  sqlite3_bind_text (stmt, 3, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, device_name, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 5, device_public_key, 32, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, expires);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (self, error, "adding a session");
  return TRUE;
}

static PhotosealSession *
photoseal_sqlite_store_find_session (PhotosealStore *store,
                                     const guint8   *token_hash,
                                     gint64          now,
                                     GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  PhotosealSession *session;
  int rc;

  stmt = prepare (self, "SELECT s.account_id, s.device_id, s.device_public_key, s.expires "
                        "FROM sessions s JOIN accounts a ON a.id = s.account_id "
                        "WHERE s.token_hash = ? AND s.expires > ? AND a.disabled = 0", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, token_hash, PHOTOSEAL_TOKEN_HASH_SIZE, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW || sqlite3_column_bytes (stmt, 2) != 32)
    return sql_error (self, error, "looking up a session"), NULL;

  session = g_new0 (PhotosealSession, 1);
  session->account_id = sqlite3_column_int64 (stmt, 0);
  session->device_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  memcpy (session->device_public_key, sqlite3_column_blob (stmt, 2), 32);
  session->expires = sqlite3_column_int64 (stmt, 3);
  return session;
}

static gboolean
photoseal_sqlite_store_remove_session (PhotosealStore *store,
                                       const guint8   *token_hash,
                                       GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = prepare (self, "DELETE FROM sessions WHERE token_hash = ?", error)))
    return FALSE;
  sqlite3_bind_blob (stmt, 1, token_hash, PHOTOSEAL_TOKEN_HASH_SIZE, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (self, error, "removing a session");
  return TRUE;
}

/* Throttling ************************************************************/

static guint
count_failures_locked (PhotosealSqliteStore *self,
                       const char           *subject,
                       gint64                since,
                       GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = prepare (self, "SELECT count(*) FROM failures WHERE subject = ? AND at > ?", error)))
    return 0;
  sqlite3_bind_text (stmt, 1, subject, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return sql_error (self, error, "counting failures"), 0;
  return sqlite3_column_int (stmt, 0);
}

static guint
photoseal_sqlite_store_add_failure (PhotosealStore *store,
                                    const char     *subject,
                                    gint64          now,
                                    gint64          window,
                                    GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(sqlite3_stmt) prune = NULL;
  g_autoptr(sqlite3_stmt) add = NULL;

  if (!(prune = prepare (self, "DELETE FROM failures WHERE subject = ? AND at <= ?", error))
      || !(add = prepare (self, "INSERT INTO failures (subject, at) VALUES (?, ?)", error)))
    return 0;
  sqlite3_bind_text (prune, 1, subject, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (prune, 2, now - window);
  sqlite3_bind_text (add, 1, subject, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (add, 2, now);
  if (sqlite3_step (prune) != SQLITE_DONE || sqlite3_step (add) != SQLITE_DONE)
    return sql_error (self, error, "counting a failure"), 0;
  return count_failures_locked (self, subject, now - window, error);
}

static guint
photoseal_sqlite_store_count_failures (PhotosealStore *store,
                                       const char     *subject,
                                       gint64          now,
                                       gint64          window,
                                       GError        **error)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  return count_failures_locked (self, subject, now - window, error);
}

static void
photoseal_sqlite_store_clear_failures (PhotosealStore *store,
                                       const char     *subject)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "DELETE FROM failures WHERE subject = ?", NULL);

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, subject, -1, SQLITE_STATIC);
      sqlite3_step (stmt);
    }
}

static void
photoseal_sqlite_store_checkpoint (PhotosealStore *store)
{
  PhotosealSqliteStore *self = PHOTOSEAL_SQLITE_STORE (store);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
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
  iface->checkpoint = photoseal_sqlite_store_checkpoint;
}
