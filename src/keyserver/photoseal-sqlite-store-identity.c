/* photoseal-sqlite-store-identity.c: mailed codes, password resets and
 * devices in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sqlite-store"

#include "config.h"

#include "photoseal-sqlite-store-private.h"

typedef struct
{
  const char *email;
  const char *purpose;
  const char *hash;
  gint64 expires;
} PutCode;

static gboolean
put_code (Connection *db,
          gpointer    data,
          GError    **error)
{
  PutCode *args = data;
  g_autoptr(Statement) stmt = prepare (db, "INSERT OR REPLACE INTO codes "
                                           "(email, purpose, hash, expires, tries) "
                                           "VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, args->email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, args->purpose, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, args->hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, args->expires);
  sqlite3_bind_int (stmt, 5, PHOTOSEAL_CODE_TRIES);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (db, error, "saving a code");
  return TRUE;
}

static gboolean
photoseal_sqlite_store_put_code (PhotosealStore *store,
                                 const char     *email,
                                 const char     *purpose,
                                 const char     *hash,
                                 gint64          expires,
                                 GError        **error)
{
  PutCode args = { email, purpose, hash, expires };

  return write_committed (PHOTOSEAL_SQLITE_STORE (store), put_code, &args, error);
}

typedef struct
{
  const char *email;
  const char *purpose;
  gint64 now;
  char *hash;
  gboolean locked;
} CodeTry;

static gboolean
take_code_try (Connection *db,
               gpointer    data,
               GError    **error)
{
  CodeTry *args = data;
  g_autoptr(Statement) take = NULL;
  g_autoptr(Statement) left = NULL;
  int rc;

  if (!(take = prepare (db, "UPDATE codes SET tries = tries - 1 WHERE email = ? AND purpose = ? "
                            "AND expires > ? AND tries > 0 RETURNING hash", error))
      || !(left = prepare (db, "SELECT 1 FROM codes WHERE email = ? AND purpose = ? "
                               "AND expires > ?", error)))
    return FALSE;
  sqlite3_bind_text (take, 1, args->email, -1, SQLITE_STATIC);
  sqlite3_bind_text (take, 2, args->purpose, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (take, 3, args->now);
  rc = sqlite3_step (take);
  if (rc == SQLITE_ROW)
    {
      args->hash = g_strdup ((const char *) sqlite3_column_text (take, 0));
      rc = sqlite3_step (take);
    }
  if (rc != SQLITE_DONE)
    return sql_error (db, error, "counting a code try");
  if (args->hash != NULL)
    return TRUE;

  sqlite3_bind_text (left, 1, args->email, -1, SQLITE_STATIC);
  sqlite3_bind_text (left, 2, args->purpose, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (left, 3, args->now);
  rc = sqlite3_step (left);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_error (db, error, "counting a code try");
  args->locked = rc == SQLITE_ROW;
  return TRUE;
}

static char *
photoseal_sqlite_store_take_code_try (PhotosealStore *store,
                                      const char     *email,
                                      const char     *purpose,
                                      gint64          now,
                                      GError        **error)
{
  CodeTry args = { email, purpose, now, NULL, FALSE };

  if (!write_committed (PHOTOSEAL_SQLITE_STORE (store), take_code_try, &args, error))
    {
      g_free (args.hash);
      return NULL;
    }
  if (args.hash == NULL)
    g_set_error_literal (error, PHOTOSEAL_STORE_ERROR,
                         args.locked ? PHOTOSEAL_STORE_ERROR_LOCKED
                                     : PHOTOSEAL_STORE_ERROR_NOT_FOUND,
                         args.locked ? "The code has no tries left" : "There is no such code");
  return args.hash;
}

static gboolean
remove_code (Connection *db,
             gpointer    data,
             GError    **error)
{
  PutCode *args = data;
  g_autoptr(Statement) stmt = prepare (db, "DELETE FROM codes WHERE email = ? AND purpose = ?",
                                       error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, args->email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, args->purpose, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (db, error, "removing a code");
  return TRUE;
}

static gboolean
photoseal_sqlite_store_remove_code (PhotosealStore *store,
                                    const char     *email,
                                    const char     *purpose,
                                    GError        **error)
{
  PutCode args = { email, purpose, NULL, 0 };

  return write_committed (PHOTOSEAL_SQLITE_STORE (store), remove_code, &args, error);
}

typedef struct
{
  const char *email_key;
  const char *hash;
  gint64 account_id;
  const char *device_id;
  gboolean found;
} AccountChange;

static gboolean
reset_password (Connection *db,
                gpointer    data,
                GError    **error)
{
  AccountChange *args = data;
  g_autoptr(Statement) update = NULL;
  g_autoptr(Statement) end = NULL;

  if (!(update = prepare (db, "UPDATE accounts SET password_hash = ? WHERE email_key = ?", error))
      || !(end = prepare (db, "DELETE FROM sessions WHERE account_id = "
                              "(SELECT id FROM accounts WHERE email_key = ?)", error)))
    return FALSE;
  sqlite3_bind_text (update, 1, args->hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 2, args->email_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (end, 1, args->email_key, -1, SQLITE_STATIC);
  if (sqlite3_step (update) != SQLITE_DONE)
    return sql_error (db, error, "changing a password");
  args->found = sqlite3_changes (db->db) == 1;
  if (sqlite3_step (end) != SQLITE_DONE)
    return sql_error (db, error, "ending sessions");
  return TRUE;
}

static void
set_not_found (gboolean    found,
               GError    **error)
{
  if (!found)
    g_set_error_literal (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND,
                         "There is no such account or device");
}

static gboolean
photoseal_sqlite_store_reset_password (PhotosealStore *store,
                                       const char     *email_key,
                                       const char     *password_hash,
                                       GError        **error)
{
  AccountChange args = { .email_key = email_key, .hash = password_hash };

  if (!write_committed (PHOTOSEAL_SQLITE_STORE (store), reset_password, &args, error))
    return FALSE;
  set_not_found (args.found, error);
  return args.found;
}

static GPtrArray *
photoseal_sqlite_store_list_devices (PhotosealStore *store,
                                     gint64          account_id,
                                     gint64          now,
                                     GError        **error)
{
  g_autoptr(Reader) db = reader_take (PHOTOSEAL_SQLITE_STORE (store), error);
  g_autoptr(Statement) stmt = NULL;
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (
    (GDestroyNotify) photoseal_device_free);
  int rc;

  if (db == NULL
      || !(stmt = prepare (db, "SELECT device_id, max (device_name), max (expires) FROM sessions "
                               "WHERE account_id = ? AND expires > ? "
                               "GROUP BY device_id ORDER BY device_id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PhotosealDevice *device = g_new0 (PhotosealDevice, 1);

      device->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      device->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      device->expires = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (devices, device);
    }
  if (rc != SQLITE_DONE)
    return sql_error (db, error, "listing devices"), NULL;
  return g_steal_pointer (&devices);
}

static gboolean
remove_device (Connection *db,
               gpointer    data,
               GError    **error)
{
  AccountChange *args = data;
  g_autoptr(Statement) stmt = prepare (db, "DELETE FROM sessions WHERE account_id = ? "
                                           "AND device_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, args->account_id);
  sqlite3_bind_text (stmt, 2, args->device_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sql_error (db, error, "removing a device");
  args->found = sqlite3_changes (db->db) > 0;
  return TRUE;
}

static gboolean
photoseal_sqlite_store_remove_device (PhotosealStore *store,
                                      gint64          account_id,
                                      const char     *device_id,
                                      GError        **error)
{
  AccountChange args = { .account_id = account_id, .device_id = device_id };

  if (!write_committed (PHOTOSEAL_SQLITE_STORE (store), remove_device, &args, error))
    return FALSE;
  set_not_found (args.found, error);
  return args.found;
}

void
photoseal_sqlite_store_identity_iface_init (PhotosealStoreInterface *iface)
{
  iface->reset_password = photoseal_sqlite_store_reset_password;
  iface->list_devices = photoseal_sqlite_store_list_devices;
  iface->remove_device = photoseal_sqlite_store_remove_device;
  iface->put_code = photoseal_sqlite_store_put_code;
  iface->take_code_try = photoseal_sqlite_store_take_code_try;
  iface->remove_code = photoseal_sqlite_store_remove_code;
}
