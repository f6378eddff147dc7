/* photoseal-store.c
 *
 * The interface every storage backend implements (SQLite now, PostgreSQL
 * for several nodes later), so the routes never see SQL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-store.h"

G_DEFINE_QUARK (photoseal-store-error-quark, photoseal_store_error)

G_DEFINE_INTERFACE (PhotosealStore, photoseal_store, G_TYPE_OBJECT)

static void
photoseal_store_default_init (PhotosealStoreInterface *iface)
{
}

void
photoseal_account_free (PhotosealAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->email);
  g_free (account->name);
  if (account->password_hash != NULL)
    sodium_memzero (account->password_hash, strlen (account->password_hash));
  g_free (account->password_hash);
  g_free (account);
}

void
photoseal_session_free (PhotosealSession *session)
{
  if (session == NULL)
    return;
  g_free (session->device_id);
  g_free (session);
}

/**
 * photoseal_store_email_key:
 *
 * The form emails are compared in: case-insensitively, as DESIGN §3 asks.
 */
char *
photoseal_store_email_key (const char *email)
{
  return g_utf8_casefold (email, -1);
}

#define IFACE(self) PHOTOSEAL_STORE_GET_IFACE (self)

PhotosealAccount *
photoseal_store_add_account (PhotosealStore *self,
                             const char     *email,
                             const char     *name,
                             const char     *password_hash,
                             gint64          now,
                             GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->add_account (self, email, name, password_hash, now, error);
}

PhotosealAccount *
photoseal_store_find_account (PhotosealStore *self,
                              const char     *email,
                              GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->find_account (self, email, error);
}

PhotosealAccount *
photoseal_store_find_account_by_id (PhotosealStore *self,
                                    gint64          id,
                                    GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->find_account_by_id (self, id, error);
}

GPtrArray *
photoseal_store_list_accounts (PhotosealStore *self,
                               GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->list_accounts (self, error);
}

gboolean
photoseal_store_set_account_disabled (PhotosealStore *self,
                                      const char     *email,
                                      gboolean        disabled,
                                      GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->set_account_disabled (self, email, disabled, error);
}

gboolean
photoseal_store_add_session (PhotosealStore *self,
                             const guint8   *token_hash,
                             gint64          account_id,
                             const char     *device_id,
                             const char     *device_name,
                             const guint8   *device_public_key,
                             gint64          expires,
                             GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->add_session (self, token_hash, account_id, device_id, device_name,
                                    device_public_key, expires, error);
}

PhotosealSession *
photoseal_store_find_session (PhotosealStore *self,
                              const guint8   *token_hash,
                              gint64          now,
                              GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->find_session (self, token_hash, now, error);
}

gboolean
photoseal_store_remove_session (PhotosealStore *self,
                                const guint8   *token_hash,
                                GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->remove_session (self, token_hash, error);
}

/* Counts one more failure for @subject ("account:…" or "address:…") within
 * a sliding @window of seconds and returns the count including it. */
guint
photoseal_store_add_failure (PhotosealStore *self,
                             const char     *subject,
                             gint64          now,
                             gint64          window,
                             GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), 0);
  return IFACE (self)->add_failure (self, subject, now, window, error);
}

guint
photoseal_store_count_failures (PhotosealStore *self,
                                const char     *subject,
                                gint64          now,
                                gint64          window,
                                GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), 0);
  return IFACE (self)->count_failures (self, subject, now, window, error);
}

void
photoseal_store_clear_failures (PhotosealStore *self,
                                const char     *subject)
{
  g_return_if_fail (PHOTOSEAL_IS_STORE (self));
  IFACE (self)->clear_failures (self, subject);
}

void
photoseal_store_checkpoint (PhotosealStore *self)
{
  g_return_if_fail (PHOTOSEAL_IS_STORE (self));
  IFACE (self)->checkpoint (self);
}
