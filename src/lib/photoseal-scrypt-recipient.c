/* photoseal-scrypt-recipient.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-scrypt-recipient"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <gio/gio.h>
#include <sodium.h>

#include "photoseal-crypto.h"
#include "photoseal-scrypt-recipient.h"

struct _PhotosealScryptRecipient
{
  GObject parent_instance;
  char *passphrase;
  guint log_n;
};

static void recipient_iface_init (PhotosealRecipientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PhotosealScryptRecipient, photoseal_scrypt_recipient, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PHOTOSEAL_TYPE_RECIPIENT,
                                                      recipient_iface_init))

/**
 * photoseal_scrypt_derive:
 * @wrap_key: (out caller-allocates): 32 bytes
 *
 * scrypt(passphrase, label ‖ salt, N = 2^log_n, r = 8, p = 1) as age defines it.
 */
gboolean
photoseal_scrypt_derive (const char   *passphrase,
                         const guint8 *salt,
                         guint         log_n,
                         guint8       *wrap_key)
{
  guint8 full_salt[sizeof PHOTOSEAL_SCRYPT_LABEL - 1 + PHOTOSEAL_SCRYPT_SALT_SIZE];

  memcpy (full_salt, PHOTOSEAL_SCRYPT_LABEL, sizeof PHOTOSEAL_SCRYPT_LABEL - 1);
  memcpy (full_salt + sizeof PHOTOSEAL_SCRYPT_LABEL - 1, salt, PHOTOSEAL_SCRYPT_SALT_SIZE);

  return crypto_pwhash_scryptsalsa208sha256_ll ((const guint8 *) passphrase, strlen (passphrase),
                                                full_salt, sizeof full_salt,
                                                (guint64) 1 << log_n, 8, 1,
                                                wrap_key, 32) == 0;
}

static PhotosealStanza *
photoseal_scrypt_recipient_wrap (PhotosealRecipient *recipient,
                                 const guint8       *file_key,
                                 GError            **error)
{
  PhotosealScryptRecipient *self = PHOTOSEAL_SCRYPT_RECIPIENT (recipient);
  guint8 salt[PHOTOSEAL_SCRYPT_SALT_SIZE];
  guint8 wrap_key[32];
  guint8 body[32];
  g_autofree char *salt_text = NULL;
  g_autofree char *log_n_text = g_strdup_printf ("%u", self->log_n);
  const char *args[3];

  randombytes_buf (salt, sizeof salt);
  if (!photoseal_scrypt_derive (self->passphrase, salt, self->log_n, wrap_key))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("Not enough memory to derive a key from the passphrase"));
      return NULL;
    }
  photoseal_wrap_file_key (wrap_key, file_key, body);
  sodium_memzero (wrap_key, sizeof wrap_key);

  salt_text = photoseal_base64_encode (salt, sizeof salt);
  args[0] = salt_text;
  args[1] = log_n_text;
  args[2] = NULL;
  return photoseal_stanza_new (PHOTOSEAL_SCRYPT_STANZA_TYPE, args, body, sizeof body);
}

static gboolean
photoseal_scrypt_recipient_is_exclusive (PhotosealRecipient *recipient)
{
  return TRUE;
}

static void
recipient_iface_init (PhotosealRecipientInterface *iface)
{
  iface->wrap = photoseal_scrypt_recipient_wrap;
  iface->is_exclusive = photoseal_scrypt_recipient_is_exclusive;
}

static void
photoseal_scrypt_recipient_finalize (GObject *object)
{
  PhotosealScryptRecipient *self = (PhotosealScryptRecipient *) object;

  sodium_memzero (self->passphrase, strlen (self->passphrase));
  g_free (self->passphrase);

  G_OBJECT_CLASS (photoseal_scrypt_recipient_parent_class)->finalize (object);
}

static void
photoseal_scrypt_recipient_class_init (PhotosealScryptRecipientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_scrypt_recipient_finalize;
}

static void
photoseal_scrypt_recipient_init (PhotosealScryptRecipient *self)
{
}

/**
 * photoseal_scrypt_recipient_new:
 * @log_n: the work factor, 0 for age's default
 */
PhotosealScryptRecipient *
photoseal_scrypt_recipient_new (const char *passphrase,
                                guint       log_n)
{
  PhotosealScryptRecipient *self;

  g_return_val_if_fail (passphrase != NULL && *passphrase != '\0', NULL);
  g_return_val_if_fail (log_n <= 30, NULL);

  photoseal_crypto_init ();
  self = g_object_new (PHOTOSEAL_TYPE_SCRYPT_RECIPIENT, NULL);
  self->passphrase = g_strdup (passphrase);
  self->log_n = log_n ? log_n : PHOTOSEAL_SCRYPT_DEFAULT_LOG_N;
  return self;
}
