/* photoseal-sqlite-store-private.h: what the SQLite store's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-sqlite-connection.h"
#include "photoseal-sqlite-store.h"
#include "photoseal-sqlite-writer.h"

G_BEGIN_DECLS

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

#define sql_error photoseal_sqlite_connection_error
#define prepare photoseal_sqlite_connection_prepare

/* A read-only connection taken from the store's pool, for one method. */
typedef Connection Reader;

Reader   *reader_take      (PhotosealSqliteStore     *self,
                            GError                  **error);
void      reader_give_back (Reader                   *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reader, reader_give_back)

gboolean  write_committed  (PhotosealSqliteStore     *self,
                            PhotosealSqliteWriteFunc  func,
                            gpointer                  data,
                            GError                  **error);

/* photoseal-sqlite-store-keys.c: keys, access codes, nonces, the audit log. */
void      photoseal_sqlite_store_keys_iface_init (PhotosealStoreInterface *iface);
/* photoseal-sqlite-store-identity.c: mailed codes. */
void      photoseal_sqlite_store_identity_iface_init (PhotosealStoreInterface *iface);

G_END_DECLS
