/* photoseal-scrypt-identity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-scrypt-identity"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <gio/gio.h>
#include <sodium.h>

#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-scrypt-identity.h"
#include "photoseal-scrypt-recipient.h"

struct _PhotosealScryptIdentity
{
  GObject parent_instance;
  char *passphrase;
};

static void identity_iface_init (PhotosealIdentityInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PhotosealScryptIdentity, photoseal_scrypt_identity, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PHOTOSEAL_TYPE_IDENTITY, identity_iface_init))

static PhotosealUnwrapResult
malformed (GError    **error,
           const char *why)
{
  g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_HEADER,
               _("The file header is damaged: the passphrase stanza %s"), why);
  return PHOTOSEAL_UNWRAP_ERROR;
}

/* Only a plain decimal without leading zeros, as age requires. */
static gboolean
parse_log_n (const char *text,
             guint      *log_n)
{
  guint value = 0;

  if (text[0] < '1' || text[0] > '9' || strlen (text) > 2)
    return FALSE;
  for (const char *p = text; *p; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (*p - '0');
    }
  *log_n = value;
  return TRUE;
}

static PhotosealUnwrapResult
photoseal_scrypt_identity_unwrap (PhotosealIdentity     *identity,
                                  const PhotosealStanza *stanza,
                                  guint8                *file_key,
                                  GError               **error)
{
  PhotosealScryptIdentity *self = PHOTOSEAL_SCRYPT_IDENTITY (identity);
  guint8 salt[PHOTOSEAL_SCRYPT_SALT_SIZE];
  guint8 wrap_key[32];
  gsize salt_len = 0;
  gsize body_len;
  const guint8 *body = g_bytes_get_data (stanza->body, &body_len);
  guint log_n = 0;
  gboolean ok;

  if (g_strcmp0 (stanza->type, PHOTOSEAL_SCRYPT_STANZA_TYPE) != 0)
    return PHOTOSEAL_UNWRAP_NOT_MINE;

  if (photoseal_stanza_get_n_args (stanza) != 2)
    return malformed (error, _("must have exactly two arguments"));
  if (!photoseal_base64_decode (stanza->args[0], strlen (stanza->args[0]),
                                salt, sizeof salt, &salt_len)
      || salt_len != sizeof salt)
    return malformed (error, _("has an invalid salt"));
  if (!parse_log_n (stanza->args[1], &log_n))
    return malformed (error, _("has an invalid work factor"));
  if (log_n > PHOTOSEAL_SCRYPT_MAX_LOG_N)
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_LIMIT,
                   _("The passphrase work factor %u is larger than the limit of %u"), log_n,
                   PHOTOSEAL_SCRYPT_MAX_LOG_N);
      return PHOTOSEAL_UNWRAP_ERROR;
    }
  if (body_len != 32)
    return malformed (error, _("has a body of the wrong size"));

  if (!photoseal_scrypt_derive (self->passphrase, salt, log_n, wrap_key))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("Not enough memory to derive a key from the passphrase"));
      return PHOTOSEAL_UNWRAP_ERROR;
    }
  ok = photoseal_unwrap_file_key (wrap_key, body, body_len, file_key);
  sodium_memzero (wrap_key, sizeof wrap_key);

  return ok ? PHOTOSEAL_UNWRAP_OK : PHOTOSEAL_UNWRAP_NOT_MINE;
}

static void
identity_iface_init (PhotosealIdentityInterface *iface)
{
  iface->unwrap = photoseal_scrypt_identity_unwrap;
}

static void
photoseal_scrypt_identity_finalize (GObject *object)
{
  PhotosealScryptIdentity *self = (PhotosealScryptIdentity *) object;

  sodium_memzero (self->passphrase, strlen (self->passphrase));
  g_free (self->passphrase);

  G_OBJECT_CLASS (photoseal_scrypt_identity_parent_class)->finalize (object);
}

static void
photoseal_scrypt_identity_class_init (PhotosealScryptIdentityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_scrypt_identity_finalize;
}

static void
photoseal_scrypt_identity_init (PhotosealScryptIdentity *self)
{
}

PhotosealScryptIdentity *
photoseal_scrypt_identity_new (const char *passphrase)
{
  PhotosealScryptIdentity *self;

  g_return_val_if_fail (passphrase != NULL, NULL);

  photoseal_crypto_init ();
  self = g_object_new (PHOTOSEAL_TYPE_SCRYPT_IDENTITY, NULL);
  self->passphrase = g_strdup (passphrase);
  return self;
}
