/* photoseal-sqlite-writer.h: the one connection that writes, with group commit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-sqlite-connection.h"

G_BEGIN_DECLS

typedef struct _PhotosealSqliteWriter PhotosealSqliteWriter;

/* One write, run inside a transaction on the writer: @data holds its
 * arguments and results. */
typedef gboolean (*PhotosealSqliteWriteFunc) (PhotosealSqliteConnection *db,
                                              gpointer                   data,
                                              GError                   **error);

PhotosealSqliteWriter     *photoseal_sqlite_writer_new    (PhotosealSqliteConnection *db,
                                                           const char                *path,
                                                           GError                   **error);
void                       photoseal_sqlite_writer_free   (PhotosealSqliteWriter     *self);
gboolean                   photoseal_sqlite_writer_run    (PhotosealSqliteWriter     *self,
                                                           PhotosealSqliteWriteFunc   func,
                                                           gpointer                   data,
                                                           GError                   **error);
PhotosealSqliteConnection *photoseal_sqlite_writer_lock   (PhotosealSqliteWriter     *self);
void                       photoseal_sqlite_writer_unlock (PhotosealSqliteWriter     *self);
void                       photoseal_sqlite_writer_shred_wal (PhotosealSqliteWriter  *self);

G_END_DECLS
