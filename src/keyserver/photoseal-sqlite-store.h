/* photoseal-sqlite-store.h: the default store, one SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-store.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_SQLITE_STORE (photoseal_sqlite_store_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealSqliteStore, photoseal_sqlite_store, PHOTOSEAL, SQLITE_STORE,
                      GObject)

PhotosealSqliteStore *photoseal_sqlite_store_open (const char *path,
                                                   GError    **error);

G_END_DECLS
