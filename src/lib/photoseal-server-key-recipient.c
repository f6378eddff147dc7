/* photoseal-server-key-recipient.c
 *
 * Wraps the file key under a key derived from the key server's per-file
 * server_key, so that the file alone is useless without a release from the
 * server, and the server alone never sees the file key (DESIGN §2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-server-key-recipient"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <sodium.h>

#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-origin.h"
#include "photoseal-server-key-recipient.h"

struct _PhotosealServerKeyRecipient
{
  GObject parent_instance;
  char *key_id;
  char *origin;
  guint8 raw_key_id[PHOTOSEAL_KEY_ID_SIZE];
  guint8 server_key[PHOTOSEAL_SERVER_KEY_SIZE];
};

static void recipient_iface_init (PhotosealRecipientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PhotosealServerKeyRecipient, photoseal_server_key_recipient,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PHOTOSEAL_TYPE_RECIPIENT,
                                                      recipient_iface_init))

void
photoseal_server_key_derive (const guint8 *server_key,
                             const guint8 *raw_key_id,
                             guint8       *wrap_key)
{
  photoseal_hkdf_sha256 (wrap_key, 32, server_key, PHOTOSEAL_SERVER_KEY_SIZE,
                         raw_key_id, PHOTOSEAL_KEY_ID_SIZE, PHOTOSEAL_SERVER_KEY_LABEL);
}

static PhotosealStanza *
photoseal_server_key_recipient_wrap (PhotosealRecipient *recipient,
                                     const guint8       *file_key,
                                     GError            **error)
{
  PhotosealServerKeyRecipient *self = PHOTOSEAL_SERVER_KEY_RECIPIENT (recipient);
  const char *args[3] = { self->key_id, self->origin, NULL };
  guint8 wrap_key[32];
  guint8 body[32];

  photoseal_server_key_derive (self->server_key, self->raw_key_id, wrap_key);
  photoseal_wrap_file_key (wrap_key, file_key, body);
  sodium_memzero (wrap_key, sizeof wrap_key);

  return photoseal_stanza_new (PHOTOSEAL_SERVER_KEY_STANZA_TYPE, args, body, sizeof body);
}

static void
recipient_iface_init (PhotosealRecipientInterface *iface)
{
  iface->wrap = photoseal_server_key_recipient_wrap;
}

static void
photoseal_server_key_recipient_finalize (GObject *object)
{
  PhotosealServerKeyRecipient *self = (PhotosealServerKeyRecipient *) object;

  sodium_memzero (self->server_key, sizeof self->server_key);
  g_free (self->key_id);
  g_free (self->origin);

  G_OBJECT_CLASS (photoseal_server_key_recipient_parent_class)->finalize (object);
}

static void
photoseal_server_key_recipient_class_init (PhotosealServerKeyRecipientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_server_key_recipient_finalize;
}

static void
photoseal_server_key_recipient_init (PhotosealServerKeyRecipient *self)
{
}

/**
 * photoseal_server_key_recipient_new:
 * @key_id: the key server's id for this file's key
 * @origin: the key server, "https://host[:port]"
 * @server_key: the 32-byte key the server generated for this file
 */
PhotosealServerKeyRecipient *
photoseal_server_key_recipient_new (const char   *key_id,
                                    const char   *origin,
                                    const guint8 *server_key,
                                    GError      **error)
{
  g_autoptr(PhotosealServerKeyRecipient) self = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (key_id != NULL, NULL);
  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (server_key != NULL, NULL);

  photoseal_crypto_init ();
  self = g_object_new (PHOTOSEAL_TYPE_SERVER_KEY_RECIPIENT, NULL);
  if (!photoseal_key_id_decode (key_id, self->raw_key_id))
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY,
                   _("“%s” is not a key id"), key_id);
      return NULL;
    }
  if (!(normalized = photoseal_origin_normalize (origin, error)))
    return NULL;

  self->key_id = g_strdup (key_id);
  self->origin = g_steal_pointer (&normalized);
  memcpy (self->server_key, server_key, sizeof self->server_key);
  return g_steal_pointer (&self);
}
