/* photoseal-postgres-store-private.h: what the PostgreSQL store's files share
 *
 * The pg_ helpers are the store's own (libpq's functions are PQ…): a pool
 * of connections, statements with parameters, and transactions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libpq-fe.h>

#include "photoseal-postgres-store.h"

G_BEGIN_DECLS

#define MAX_PARAMS 8
/* Advisory locks: one class for Photoseal, one id per purpose. */
#define LOCK_CLASS "1886351476"
#define LOCK_AUDIT_CHAIN "2"
#define LOCK_KEY_POLICIES "3"

struct _PhotosealPostgresStore
{
  GObject parent_instance;

  char *uri;
  GMutex mutex;
  GCond cond;
  GPtrArray *idle;      /* PGconn *, ready for a worker */
  guint n_open;         /* idle or in use */
};

/* Parameters of one statement: text, or binary for bytea. */
typedef struct
{
  const char *values[MAX_PARAMS];
  int lengths[MAX_PARAMS];
  int formats[MAX_PARAMS];
  char *owned[MAX_PARAMS];
  int n;
} PgParams;

/* A connection taken from the store's pool, for one method. @pending is
 * SQL to send with the COMMIT, in the same round trip. */
typedef struct
{
  PhotosealPostgresStore *store;
  PGconn *conn;
  char *pending;
} PgConnection;

void          pg_params_clear       (PgParams               *params);
void          pg_add_text           (PgParams               *params,
                                     const char             *text);
void          pg_add_int            (PgParams               *params,
                                     gint64                  value);
void          pg_add_bytes          (PgParams               *params,
                                     const guint8           *data,
                                     gsize                   len);

PgConnection *pg_connection_get     (PhotosealPostgresStore *self,
                                     GError                **error);
void          pg_connection_put     (PgConnection           *connection);

PGresult     *pg_run                (PgConnection           *connection,
                                     const char             *sql,
                                     const PgParams         *params,
                                     const char             *what,
                                     GError                **error);
gboolean      pg_run_ok             (PgConnection           *connection,
                                     const char             *sql,
                                     const PgParams         *params,
                                     const char             *what,
                                     GError                **error);
gint64        pg_run_changes        (PgConnection           *connection,
                                     const char             *sql,
                                     const PgParams         *params,
                                     const char             *what,
                                     GError                **error);
gboolean      pg_begin              (PgConnection           *connection,
                                     GError                **error);
gboolean      pg_commit_or_rollback (PgConnection           *connection,
                                     gboolean                ok,
                                     GError                **error);

gint64        pg_get_int            (PGresult               *result,
                                     int                     row,
                                     int                     column);
char         *pg_get_text           (PGresult               *result,
                                     int                     row,
                                     int                     column);
GBytes       *pg_get_bytes          (PGresult               *result,
                                     int                     row,
                                     int                     column);

/* photoseal-postgres-store-keys.c: keys, access codes, nonces, the audit log. */
void          photoseal_postgres_store_keys_iface_init (PhotosealStoreInterface *iface);
/* photoseal-postgres-store-identity.c: mailed codes. */
void          photoseal_postgres_store_identity_iface_init (PhotosealStoreInterface *iface);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PgParams, pg_params_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PgConnection, pg_connection_put)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

G_END_DECLS
