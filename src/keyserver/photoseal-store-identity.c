/* photoseal-store-identity.c: mailed codes, password resets and devices
 * in any store
 *
 * One code per address and purpose ("verify", "reset", "invite"): a new
 * one replaces the old. Only its Argon2id hash is stored, with its expiry
 * and the tries left.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include "photoseal-store.h"

#define IFACE(self) PHOTOSEAL_STORE_GET_IFACE (self)

/* Replaces @email's code for @purpose, with every try back. */
gboolean
photoseal_store_put_code (PhotosealStore *self,
                          const char     *email,
                          const char     *purpose,
                          const char     *hash,
                          gint64          expires,
                          GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->put_code (self, email, purpose, hash, expires, error);
}

/**
 * photoseal_store_take_code_try:
 *
 * Uses up one try of @email's unexpired code for @purpose, atomically and
 * before the caller checks the code, so that parallel guesses cannot
 * exceed the limit.
 *
 * Returns: (transfer full): the code's hash; %NULL with
 *   %PHOTOSEAL_STORE_ERROR_NOT_FOUND when there is no unexpired code, or
 *   %PHOTOSEAL_STORE_ERROR_LOCKED when its tries are used up
 */
char *
photoseal_store_take_code_try (PhotosealStore *self,
                               const char     *email,
                               const char     *purpose,
                               gint64          now,
                               GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->take_code_try (self, email, purpose, now, error);
}

/* A code is used once: removed when it worked. */
gboolean
photoseal_store_remove_code (PhotosealStore *self,
                             const char     *email,
                             const char     *purpose,
                             GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->remove_code (self, email, purpose, error);
}

/**
 * photoseal_store_reset_password:
 *
 * Sets @email's password hash and ends every session of the account, in
 * one transaction. %PHOTOSEAL_STORE_ERROR_NOT_FOUND without an account.
 */
gboolean
photoseal_store_reset_password (PhotosealStore *self,
                                const char     *email,
                                const char     *password_hash,
                                GError        **error)
{
  g_autofree char *email_key = photoseal_store_email_key (email);

  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->reset_password (self, email_key, password_hash, error);
}

/**
 * photoseal_store_list_devices:
 *
 * Returns: (transfer full) (element-type PhotosealDevice): the devices
 *   with an unexpired session, by id; @expires is their latest session's
 */
GPtrArray *
photoseal_store_list_devices (PhotosealStore *self,
                              gint64          account_id,
                              gint64          now,
                              GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->list_devices (self, account_id, now, error);
}

/* Ends every session of @account_id's device @device_id, so that its key
 * signs nothing more; %PHOTOSEAL_STORE_ERROR_NOT_FOUND if it had none. */
gboolean
photoseal_store_remove_device (PhotosealStore *self,
                               gint64          account_id,
                               const char     *device_id,
                               GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->remove_device (self, account_id, device_id, error);
}

void
photoseal_device_free (PhotosealDevice *device)
{
  g_free (device->id);
  g_free (device->name);
  g_free (device);
}
