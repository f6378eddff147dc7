/* photoseal-postgres-store-identity.c: mailed codes, password resets and
 * devices in PostgreSQL
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

static gboolean
not_found (GError **error)
{
  g_set_error_literal (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND,
                       "There is no such account or device");
  return FALSE;
}

static gboolean
photoseal_postgres_store_reset_password (PhotosealStore *store,
                                         const char     *email_key,
                                         const char     *password_hash,
                                         GError        **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_auto(PgParams) update = { 0 };
  g_auto(PgParams) end = { 0 };
  gint64 changed;
  gboolean ok;

  if (connection == NULL || !pg_begin (connection, error))
    return FALSE;
  pg_add_text (&update, password_hash);
  pg_add_text (&update, email_key);
  pg_add_text (&end, email_key);
  changed = pg_run_changes (connection, "UPDATE accounts SET password_hash = $1 "
                                        "WHERE email_key = $2", &update, "changing a password",
                            error);
  ok = changed >= 0
       && pg_run_ok (connection, "DELETE FROM sessions WHERE account_id = "
                                 "(SELECT id FROM accounts WHERE email_key = $1)", &end,
                     "ending sessions", error);
  if (!pg_commit_or_rollback (connection, ok, ok ? error : NULL) || !ok)
    return FALSE;
  return changed == 1 || not_found (error);
}

static GPtrArray *
photoseal_postgres_store_list_devices (PhotosealStore *store,
                                       gint64          account_id,
                                       gint64          now,
                                       GError        **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_auto(PgParams) params = { 0 };
  g_autoptr(PGresult) result = NULL;
  GPtrArray *devices;

  pg_add_int (&params, account_id);
  pg_add_int (&params, now);
  if (connection == NULL
      || !(result = pg_run (connection, "SELECT device_id, max (device_name), max (expires) "
                                        "FROM sessions WHERE account_id = $1 AND expires > $2 "
                                        "GROUP BY device_id ORDER BY device_id", &params,
                            "listing devices", error)))
    return NULL;
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) photoseal_device_free);
  for (int row = 0; row < PQntuples (result); row++)
    {
      PhotosealDevice *device = g_new0 (PhotosealDevice, 1);

      device->id = pg_get_text (result, row, 0);
      device->name = pg_get_text (result, row, 1);
      device->expires = pg_get_int (result, row, 2);
      g_ptr_array_add (devices, device);
    }
  return devices;
}

static gboolean
photoseal_postgres_store_remove_device (PhotosealStore *store,
                                        gint64          account_id,
                                        const char     *device_id,
                                        GError        **error)
{
  g_autoptr(PgConnection) connection = pg_connection_get (PHOTOSEAL_POSTGRES_STORE (store), error);
  g_auto(PgParams) params = { 0 };
  gint64 changed;

  pg_add_int (&params, account_id);
  pg_add_text (&params, device_id);
  if (connection == NULL)
    return FALSE;
  changed = pg_run_changes (connection, "DELETE FROM sessions WHERE account_id = $1 "
                                        "AND device_id = $2", &params, "removing a device", error);
  return changed > 0 || (changed == 0 && not_found (error));
}

void
photoseal_postgres_store_identity_iface_init (PhotosealStoreInterface *iface)
{
  iface->reset_password = photoseal_postgres_store_reset_password;
  iface->list_devices = photoseal_postgres_store_list_devices;
  iface->remove_device = photoseal_postgres_store_remove_device;
  iface->put_code = photoseal_postgres_store_put_code;
  iface->take_code_try = photoseal_postgres_store_take_code_try;
  iface->remove_code = photoseal_postgres_store_remove_code;
}
