/* photoseal-sqlite-connection.c
 *
 * A connection keeps every statement it ever prepared: parsing and
 * planning the same SQL again for each request cost more than running it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sqlite-store"

#include "config.h"

#include "photoseal-sqlite-connection.h"
#include "photoseal-store.h"

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/**
 * photoseal_sqlite_connection_open:
 * @read_only: a reader: it may never write, whatever SQL reaches it
 *
 * The writer sets up WAL, synchronous=FULL and secure_delete, which
 * belong to the connection that writes; readers only read.
 */
PhotosealSqliteConnection *
photoseal_sqlite_connection_open (const char *path,
                                  gboolean    read_only,
                                  GError    **error)
{
  PhotosealSqliteConnection *self = g_new0 (PhotosealSqliteConnection, 1);
  /* Each connection is used by one thread at a time: no SQLite mutex. */
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (read_only ? 0 : SQLITE_OPEN_CREATE);

  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
  if (sqlite3_open_v2 (path, &self->db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                   "Could not open the database “%s”: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      photoseal_sqlite_connection_close (self);
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);
  if (!photoseal_sqlite_connection_exec (self, read_only ? "PRAGMA query_only = ON;"
                                                         : "PRAGMA journal_mode = WAL;"
                                                           "PRAGMA synchronous = FULL;"
                                                           "PRAGMA secure_delete = ON;"
                                                           "PRAGMA foreign_keys = ON;", error))
    {
      photoseal_sqlite_connection_close (self);
      return NULL;
    }
  return self;
}

void
photoseal_sqlite_connection_close (PhotosealSqliteConnection *self)
{
  if (self == NULL)
    return;
  /* Statements first: SQLite will not close a connection that has some. */
  g_hash_table_unref (self->statements);
  sqlite3_close (self->db);
  g_free (self);
}

gboolean
photoseal_sqlite_connection_error (PhotosealSqliteConnection *self,
                                   GError                   **error,
                                   const char                *what)
{
  g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
               "Database error while %s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

/* Runs SQL text of one or more statements, uncached: for set-up. */
gboolean
photoseal_sqlite_connection_exec (PhotosealSqliteConnection *self,
                                  const char                *sql,
                                  GError                   **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return photoseal_sqlite_connection_error (self, error, sql);
  return TRUE;
}

/**
 * photoseal_sqlite_connection_prepare:
 * @sql: one statement; a static string, kept as the cache's key
 *
 * Returns: (transfer none): the cached statement, to be handed back with
 *   photoseal_sqlite_statement_done(), which g_autoptr() does
 */
PhotosealSqliteStatement *
photoseal_sqlite_connection_prepare (PhotosealSqliteConnection *self,
                                     const char                *sql,
                                     GError                   **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      photoseal_sqlite_connection_error (self, error, "preparing a statement");
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

/* Steps a cached statement without parameters or rows, such as SAVEPOINT. */
gboolean
photoseal_sqlite_connection_run (PhotosealSqliteConnection *self,
                                 const char                *sql,
                                 GError                   **error)
{
  g_autoptr(PhotosealSqliteStatement) stmt = photoseal_sqlite_connection_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return photoseal_sqlite_connection_error (self, error, sql);
  return TRUE;
}

void
photoseal_sqlite_statement_done (PhotosealSqliteStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}
