/* photoseal-x25519-identity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-x25519-identity"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <sodium.h>

#include "photoseal-bech32.h"
#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-x25519-identity.h"

#define SECRET_HRP "AGE-SECRET-KEY-"

struct _PhotosealX25519Identity
{
  GObject parent_instance;
  guint8 secret_key[crypto_scalarmult_SCALARBYTES];
  guint8 public_key[PHOTOSEAL_X25519_KEY_SIZE];
};

static void identity_iface_init (PhotosealIdentityInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PhotosealX25519Identity, photoseal_x25519_identity, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PHOTOSEAL_TYPE_IDENTITY, identity_iface_init))

static PhotosealUnwrapResult
malformed (GError    **error,
           const char *why)
{
  g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_HEADER,
               _("The file header is damaged: an X25519 stanza %s"), why);
  return PHOTOSEAL_UNWRAP_ERROR;
}

static PhotosealUnwrapResult
x25519_unwrap (PhotosealIdentity     *identity,
               const PhotosealStanza *stanza,
               guint8                *file_key,
               GError               **error)
{
  PhotosealX25519Identity *self = PHOTOSEAL_X25519_IDENTITY (identity);
  guint8 shares[2 * PHOTOSEAL_X25519_KEY_SIZE];
  guint8 shared[crypto_scalarmult_BYTES];
  guint8 wrap_key[32];
  gsize share_len = 0;
  gsize body_len;
  const guint8 *body = g_bytes_get_data (stanza->body, &body_len);
  gboolean ok;

  if (g_strcmp0 (stanza->type, PHOTOSEAL_X25519_STANZA_TYPE) != 0)
    return PHOTOSEAL_UNWRAP_NOT_MINE;

  if (photoseal_stanza_get_n_args (stanza) != 1)
    return malformed (error, _("must have exactly one argument"));
  if (!photoseal_base64_decode (stanza->args[0], strlen (stanza->args[0]),
                                shares, PHOTOSEAL_X25519_KEY_SIZE, &share_len)
      || share_len != PHOTOSEAL_X25519_KEY_SIZE)
    return malformed (error, _("has an invalid ephemeral share"));
  if (body_len != 32)
    return malformed (error, _("has a body of the wrong size"));

  if (crypto_scalarmult (shared, self->secret_key, shares) != 0)
    return malformed (error, _("has a low-order ephemeral share"));

  memcpy (shares + PHOTOSEAL_X25519_KEY_SIZE, self->public_key, PHOTOSEAL_X25519_KEY_SIZE);
  photoseal_hkdf_sha256 (wrap_key, sizeof wrap_key, shared, sizeof shared,
                         shares, sizeof shares, PHOTOSEAL_X25519_LABEL);
  ok = photoseal_unwrap_file_key (wrap_key, body, body_len, file_key);
  sodium_memzero (shared, sizeof shared);
  sodium_memzero (wrap_key, sizeof wrap_key);

  return ok ? PHOTOSEAL_UNWRAP_OK : PHOTOSEAL_UNWRAP_NOT_MINE;
}

static void
identity_iface_init (PhotosealIdentityInterface *iface)
{
  iface->unwrap = x25519_unwrap;
}

static void
photoseal_x25519_identity_finalize (GObject *object)
{
  PhotosealX25519Identity *self = (PhotosealX25519Identity *) object;

  sodium_memzero (self->secret_key, sizeof self->secret_key);

  G_OBJECT_CLASS (photoseal_x25519_identity_parent_class)->finalize (object);
}

static void
photoseal_x25519_identity_class_init (PhotosealX25519IdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = photoseal_x25519_identity_finalize;
}

static void
photoseal_x25519_identity_init (PhotosealX25519Identity *self)
{
}

static PhotosealX25519Identity *
identity_new (const guint8 *secret_key)
{
  PhotosealX25519Identity *self;

  photoseal_crypto_init ();
  self = g_object_new (PHOTOSEAL_TYPE_X25519_IDENTITY, NULL);
  memcpy (self->secret_key, secret_key, sizeof self->secret_key);
  crypto_scalarmult_base (self->public_key, self->secret_key);
  return self;
}

PhotosealX25519Identity *
photoseal_x25519_identity_generate (void)
{
  guint8 secret[crypto_scalarmult_SCALARBYTES];
  PhotosealX25519Identity *self;

  photoseal_crypto_init ();
  randombytes_buf (secret, sizeof secret);
  self = identity_new (secret);
  sodium_memzero (secret, sizeof secret);
  return self;
}

/**
 * photoseal_x25519_identity_parse:
 * @text: an age identity, "AGE-SECRET-KEY-1…"
 */
PhotosealX25519Identity *
photoseal_x25519_identity_parse (const char *text,
                                 GError    **error)
{
  guint8 secret[crypto_scalarmult_SCALARBYTES];
  g_autofree char *hrp = NULL;
  PhotosealX25519Identity *self = NULL;
  gsize len = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (g_str_has_prefix (text, SECRET_HRP "1")
      && photoseal_bech32_decode (text, &hrp, secret, sizeof secret, &len)
      && g_ascii_strcasecmp (hrp, SECRET_HRP) == 0 && len == sizeof secret)
    self = identity_new (secret);
  else
    g_set_error_literal (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY,
                         _("Not a valid age identity (AGE-SECRET-KEY-1…)"));

  sodium_memzero (secret, sizeof secret);
  return self;
}

/* The caller owns a secret: zero it with sodium_memzero() before freeing. */
char *
photoseal_x25519_identity_to_string (PhotosealX25519Identity *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_X25519_IDENTITY (self), NULL);

  return photoseal_bech32_encode (SECRET_HRP, self->secret_key, sizeof self->secret_key, TRUE);
}

/**
 * photoseal_x25519_identity_get_recipient:
 *
 * Returns: (transfer full): the recipient whose files this identity opens
 */
PhotosealX25519Recipient *
photoseal_x25519_identity_get_recipient (PhotosealX25519Identity *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_X25519_IDENTITY (self), NULL);

  return photoseal_x25519_recipient_new (self->public_key);
}
