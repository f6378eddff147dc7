/* photoseal-sqlite-connection.h: one SQLite connection and its prepared statements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Used by one thread at a time: the store hands it out under a lock. */
typedef struct
{
  sqlite3 *db;
  /* SQL text (static strings) → its statement, prepared once. */
  GHashTable *statements;
  /* For a reader, the queue of idle readers it goes back to. */
  GAsyncQueue *idle;
} PhotosealSqliteConnection;

/* A statement from the connection's cache: going out of scope resets it
 * and clears its bindings, ready for the next caller. */
typedef sqlite3_stmt PhotosealSqliteStatement;

PhotosealSqliteConnection *photoseal_sqlite_connection_open  (const char                 *path,
                                                              gboolean                    read_only,
                                                              GError                    **error);
void                       photoseal_sqlite_connection_close (PhotosealSqliteConnection  *self);
gboolean                   photoseal_sqlite_connection_error (PhotosealSqliteConnection  *self,
                                                              GError                    **error,
                                                              const char                 *what);
gboolean                   photoseal_sqlite_connection_exec  (PhotosealSqliteConnection  *self,
                                                              const char                 *sql,
                                                              GError                    **error);
gboolean                   photoseal_sqlite_connection_run   (PhotosealSqliteConnection  *self,
                                                              const char                 *sql,
                                                              GError                    **error);
PhotosealSqliteStatement  *photoseal_sqlite_connection_prepare (PhotosealSqliteConnection *self,
                                                                const char                *sql,
                                                                GError                   **error);
void                       photoseal_sqlite_statement_done   (PhotosealSqliteStatement   *stmt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealSqliteStatement, photoseal_sqlite_statement_done)

G_END_DECLS
