/* photoseal-x25519-recipient.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-x25519-recipient"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <sodium.h>

#include "photoseal-bech32.h"
#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-x25519-recipient.h"

struct _PhotosealX25519Recipient
{
  GObject parent_instance;
  guint8 public_key[PHOTOSEAL_X25519_KEY_SIZE];
};

static void recipient_iface_init (PhotosealRecipientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PhotosealX25519Recipient, photoseal_x25519_recipient, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PHOTOSEAL_TYPE_RECIPIENT,
                                                      recipient_iface_init))

static PhotosealStanza *
photoseal_x25519_recipient_wrap (PhotosealRecipient *recipient,
                                 const guint8       *file_key,
                                 GError            **error)
{
  PhotosealX25519Recipient *self = PHOTOSEAL_X25519_RECIPIENT (recipient);
  guint8 ephemeral_secret[crypto_scalarmult_SCALARBYTES];
  guint8 shares[2 * PHOTOSEAL_X25519_KEY_SIZE];
  guint8 shared[crypto_scalarmult_BYTES];
  guint8 wrap_key[32];
  guint8 body[32];
  g_autofree char *share_text = NULL;
  const char *args[2] = { NULL, NULL };
  gboolean ok;

  randombytes_buf (ephemeral_secret, sizeof ephemeral_secret);
  crypto_scalarmult_base (shares, ephemeral_secret);
  memcpy (shares + PHOTOSEAL_X25519_KEY_SIZE, self->public_key, PHOTOSEAL_X25519_KEY_SIZE);

  ok = crypto_scalarmult (shared, ephemeral_secret, self->public_key) == 0;
  sodium_memzero (ephemeral_secret, sizeof ephemeral_secret);
  if (!ok)
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY,
                   _("The X25519 recipient is a low-order point"));
      return NULL;
    }

  photoseal_hkdf_sha256 (wrap_key, sizeof wrap_key, shared, sizeof shared,
                         shares, sizeof shares, PHOTOSEAL_X25519_LABEL);
  photoseal_wrap_file_key (wrap_key, file_key, body);
  sodium_memzero (shared, sizeof shared);
  sodium_memzero (wrap_key, sizeof wrap_key);

  share_text = photoseal_base64_encode (shares, PHOTOSEAL_X25519_KEY_SIZE);
  args[0] = share_text;
  return photoseal_stanza_new (PHOTOSEAL_X25519_STANZA_TYPE, args, body, sizeof body);
}

static void
recipient_iface_init (PhotosealRecipientInterface *iface)
{
  iface->wrap = photoseal_x25519_recipient_wrap;
}

static void
photoseal_x25519_recipient_class_init (PhotosealX25519RecipientClass *klass)
{
}

static void
photoseal_x25519_recipient_init (PhotosealX25519Recipient *self)
{
}

PhotosealX25519Recipient *
photoseal_x25519_recipient_new (const guint8 *public_key)
{
  PhotosealX25519Recipient *self;

  g_return_val_if_fail (public_key != NULL, NULL);

  photoseal_crypto_init ();
  self = g_object_new (PHOTOSEAL_TYPE_X25519_RECIPIENT, NULL);
  memcpy (self->public_key, public_key, sizeof self->public_key);
  return self;
}

/**
 * photoseal_x25519_recipient_parse:
 * @text: an age recipient such as "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
 */
PhotosealX25519Recipient *
photoseal_x25519_recipient_parse (const char *text,
                                  GError    **error)
{
  guint8 key[PHOTOSEAL_X25519_KEY_SIZE];
  g_autofree char *hrp = NULL;
  gsize len = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_str_has_prefix (text, "age1")
      || !photoseal_bech32_decode (text, &hrp, key, sizeof key, &len)
      || g_strcmp0 (hrp, "age") != 0 || len != sizeof key)
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY,
                   _("“%s” is not an age recipient (age1…)"), text);
      return NULL;
    }

  return photoseal_x25519_recipient_new (key);
}

char *
photoseal_x25519_recipient_to_string (PhotosealX25519Recipient *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_X25519_RECIPIENT (self), NULL);

  return photoseal_bech32_encode ("age", self->public_key, sizeof self->public_key, FALSE);
}
