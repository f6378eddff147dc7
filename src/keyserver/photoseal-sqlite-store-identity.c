/* photoseal-sqlite-store-identity.c: mailed codes in SQLite
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

void
photoseal_sqlite_store_identity_iface_init (PhotosealStoreInterface *iface)
{
  iface->put_code = photoseal_sqlite_store_put_code;
  iface->take_code_try = photoseal_sqlite_store_take_code_try;
  iface->remove_code = photoseal_sqlite_store_remove_code;
}
