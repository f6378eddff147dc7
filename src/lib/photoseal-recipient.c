/* photoseal-recipient.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "photoseal-recipient.h"

G_DEFINE_INTERFACE (PhotosealRecipient, photoseal_recipient, G_TYPE_OBJECT)

static gboolean
photoseal_recipient_real_is_exclusive (PhotosealRecipient *self)
{
  return FALSE;
}

static void
photoseal_recipient_default_init (PhotosealRecipientInterface *iface)
{
  iface->is_exclusive = photoseal_recipient_real_is_exclusive;
}

/**
 * photoseal_recipient_wrap:
 * @file_key: the 16-byte file key
 *
 * Returns: (transfer full): a stanza that lets this recipient recover @file_key
 */
PhotosealStanza *
photoseal_recipient_wrap (PhotosealRecipient *self,
                          const guint8       *file_key,
                          GError            **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_RECIPIENT (self), NULL);
  g_return_val_if_fail (file_key != NULL, NULL);

  return PHOTOSEAL_RECIPIENT_GET_IFACE (self)->wrap (self, file_key, error);
}

/**
 * photoseal_recipient_is_exclusive:
 *
 * Whether the stanza must be the only one in a header, as age requires for
 * passphrases: otherwise anyone holding another identity could re-wrap a
 * file key that the passphrase holder believes only they can read.
 */
gboolean
photoseal_recipient_is_exclusive (PhotosealRecipient *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_RECIPIENT (self), FALSE);

  return PHOTOSEAL_RECIPIENT_GET_IFACE (self)->is_exclusive (self);
}
