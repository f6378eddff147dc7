/* photoseal-postgres-store.h: a store on PostgreSQL, shared by several key-server nodes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-master-key.h"
#include "photoseal-store.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_POSTGRES_STORE (photoseal_postgres_store_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealPostgresStore, photoseal_postgres_store, PHOTOSEAL, POSTGRES_STORE,
                      GObject)

PhotosealPostgresStore *photoseal_postgres_store_open (const char  *uri,
                                                       GError     **error);

G_END_DECLS
