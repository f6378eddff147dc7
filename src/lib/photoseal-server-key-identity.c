/* photoseal-server-key-identity.c
 *
 * Holds a server_key released by the key server for one key id, and
 * unwraps the photoseal stanza that names that key id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-server-key-identity"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <sodium.h>

#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-origin.h"
#include "photoseal-server-key-identity.h"

struct _PhotosealServerKeyIdentity
{
  GObject parent_instance;
  char *key_id;
  guint8 server_key[PHOTOSEAL_SERVER_KEY_SIZE];
};

static void identity_iface_init (PhotosealIdentityInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PhotosealServerKeyIdentity, photoseal_server_key_identity,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PHOTOSEAL_TYPE_IDENTITY, identity_iface_init))

/**
 * photoseal_server_key_stanza_parse:
 * @key_id: (out) (optional): the key id
 * @origin: (out) (optional): the key server origin, normalised
 *
 * Checks a photoseal stanza's shape: two arguments, a valid key id, a
 * valid origin and a 32-byte body.
 */
gboolean
photoseal_server_key_stanza_parse (const PhotosealStanza *stanza,
                                   char                 **key_id,
                                   char                 **origin,
                                   GError               **error)
{
  guint8 raw[PHOTOSEAL_KEY_ID_SIZE];
  g_autofree char *normalized = NULL;
  g_autoptr(GError) origin_error = NULL;

  g_return_val_if_fail (g_strcmp0 (stanza->type, PHOTOSEAL_SERVER_KEY_STANZA_TYPE) == 0, FALSE);

  if (photoseal_stanza_get_n_args (stanza) != 2 || !photoseal_key_id_decode (stanza->args[0], raw)
      || g_bytes_get_size (stanza->body) != 32
      || !(normalized = photoseal_origin_normalize (stanza->args[1], &origin_error)))
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_HEADER,
                   _("The file header is damaged: the photoseal stanza is malformed%s%s"),
                   origin_error ? ": " : "", origin_error ? origin_error->message : "");
      return FALSE;
    }

  if (key_id)
    *key_id = g_strdup (stanza->args[0]);
  if (origin)
    *origin = g_steal_pointer (&normalized);
  return TRUE;
}

static PhotosealUnwrapResult
photoseal_server_key_identity_unwrap (PhotosealIdentity     *identity,
                                      const PhotosealStanza *stanza,
                                      guint8                *file_key,
                                      GError               **error)
{
  PhotosealServerKeyIdentity *self = PHOTOSEAL_SERVER_KEY_IDENTITY (identity);
  guint8 raw_key_id[PHOTOSEAL_KEY_ID_SIZE];
  guint8 wrap_key[32];
  gsize body_len;
  const guint8 *body;
  gboolean ok;

  if (g_strcmp0 (stanza->type, PHOTOSEAL_SERVER_KEY_STANZA_TYPE) != 0)
    return PHOTOSEAL_UNWRAP_NOT_MINE;
  if (!photoseal_server_key_stanza_parse (stanza, NULL, NULL, error))
    return PHOTOSEAL_UNWRAP_ERROR;
  if (g_strcmp0 (stanza->args[0], self->key_id) != 0)
    return PHOTOSEAL_UNWRAP_NOT_MINE;

  photoseal_key_id_decode (self->key_id, raw_key_id);
  photoseal_server_key_derive (self->server_key, raw_key_id, wrap_key);
  body = g_bytes_get_data (stanza->body, &body_len);
  ok = photoseal_unwrap_file_key (wrap_key, body, body_len, file_key);
  sodium_memzero (wrap_key, sizeof wrap_key);

  return ok ? PHOTOSEAL_UNWRAP_OK : PHOTOSEAL_UNWRAP_NOT_MINE;
}

static void
identity_iface_init (PhotosealIdentityInterface *iface)
{
  iface->unwrap = photoseal_server_key_identity_unwrap;
}

static void
photoseal_server_key_identity_finalize (GObject *object)
{
  PhotosealServerKeyIdentity *self = (PhotosealServerKeyIdentity *) object;

  sodium_memzero (self->server_key, sizeof self->server_key);
  g_free (self->key_id);

  G_OBJECT_CLASS (photoseal_server_key_identity_parent_class)->finalize (object);
}

static void
photoseal_server_key_identity_class_init (PhotosealServerKeyIdentityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_server_key_identity_finalize;
}

static void
photoseal_server_key_identity_init (PhotosealServerKeyIdentity *self)
{
}

PhotosealServerKeyIdentity *
photoseal_server_key_identity_new (const char   *key_id,
                                   const guint8 *server_key)
{
  PhotosealServerKeyIdentity *self;

  g_return_val_if_fail (key_id != NULL, NULL);
  g_return_val_if_fail (server_key != NULL, NULL);

  photoseal_crypto_init ();
  self = g_object_new (PHOTOSEAL_TYPE_SERVER_KEY_IDENTITY, NULL);
  self->key_id = g_strdup (key_id);
  memcpy (self->server_key, server_key, sizeof self->server_key);
  return self;
}
