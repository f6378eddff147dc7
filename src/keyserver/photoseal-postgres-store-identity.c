/* photoseal-postgres-store-identity.c: mailed codes in PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-postgres-store"

#include "config.h"

#include "photoseal-postgres-store-private.h"

static gboolean
photoseal_postgres_store_put_code (PhotosealStore *store,
                                   const char     *email,
                                   const char     *purpose,
                                   const char     *hash,
                                   gint64          expires,
                                   GError        **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_auto(PgParams) params = { 0 };

  pg_add_text (&params, email);
  pg_add_text (&params, purpose);
  pg_add_text (&params, hash);
  pg_add_int (&params, expires);
  pg_add_int (&params, PHOTOSEAL_CODE_TRIES);
  return connection != NULL
         && pg_run_ok (connection, "INSERT INTO codes (email, purpose, hash, expires, tries) "
                                   "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email, purpose) "
                                   "DO UPDATE SET hash = $3, expires = $4, tries = $5",
                       &params, "saving a code", error);
}

static char *
photoseal_postgres_store_take_code_try (PhotosealStore *store,
                                        const char     *email,
                                        const char     *purpose,
                                        gint64          now,
                                        GError        **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_auto(PgParams) params = { 0 };
  g_autoptr(PGresult) taken = NULL;
  g_autoptr(PGresult) left = NULL;

  pg_add_text (&params, email);
  pg_add_text (&params, purpose);
  pg_add_int (&params, now);
  if (connection == NULL
      || !(taken = pg_run (connection, "UPDATE codes SET tries = tries - 1 WHERE email = $1 "
                                       "AND purpose = $2 AND expires > $3 AND tries > 0 "
                                       "RETURNING hash", &params, "counting a code try", error)))
    return NULL;
  if (PQntuples (taken) == 1)
    return pg_get_text (taken, 0, 0);

  if (!(left = pg_run (connection, "SELECT 1 FROM codes WHERE email = $1 AND purpose = $2 "
                                   "AND expires > $3", &params, "counting a code try", error)))
    return NULL;
  if (PQntuples (left) == 1)
    g_set_error_literal (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_LOCKED,
                         "The code has no tries left");
  else
    g_set_error_literal (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND,
                         "There is no such code");
  return NULL;
}

static gboolean
photoseal_postgres_store_remove_code (PhotosealStore *store,
                                      const char     *email,
                                      const char     *purpose,
                                      GError        **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_auto(PgParams) params = { 0 };

  pg_add_text (&params, email);
  pg_add_text (&params, purpose);
  return connection != NULL
         && pg_run_ok (connection, "DELETE FROM codes WHERE email = $1 AND purpose = $2",
                       &params, "removing a code", error);
}

void
photoseal_postgres_store_identity_iface_init (PhotosealStoreInterface *iface)
{
  iface->put_code = photoseal_postgres_store_put_code;
  iface->take_code_try = photoseal_postgres_store_take_code_try;
  iface->remove_code = photoseal_postgres_store_remove_code;
}
