/* photoseal-keyring.c
 *
 * One Secret Service item per key-server origin and email, holding the
 * session token and the Ed25519 device secret key: what it takes to
 * release a key, and never the password, which is only sent at sign-in.
 * Inside a Flatpak, libsecret goes through the Secret portal by itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyring"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <sodium.h>

#include "photoseal-error.h"
#include "photoseal-keyring.h"

static const SecretSchema *
account_schema (void)
{
  static const SecretSchema schema = {
    "io.github.photoseal.Account", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "email", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

/* A missing Secret Service is a thing to tell the person, not a crash. */
static gboolean
keyring_error (GError    **error,
               GError     *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, cause);
  else
    {
      g_set_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_FAILED,
                   _("The keyring cannot be used: %s. Start a keyring (such as GNOME Keyring) "
                     "and sign in again"), cause->message);
      g_error_free (cause);
    }
  return FALSE;
}

/**
 * photoseal_keyring_save:
 * @client: a signed-in client
 *
 * Keeps @client's session for its origin and @email, replacing any
 * earlier one for the same pair.
 */
gboolean
photoseal_keyring_save (PhotosealKeyserverClient *client,
                        const char               *email,
                        GCancellable             *cancellable,
                        GError                  **error)
{
  const char *origin = photoseal_keyserver_client_get_origin (client);
  g_autofree char *label = g_strdup_printf ("Photoseal: %s on %s", email, origin);
  char device[sodium_base64_ENCODED_LEN (PHOTOSEAL_DEVICE_KEY_SIZE,
                                        sodium_base64_VARIANT_ORIGINAL)];
  GError *local_error = NULL;
  char *secret;
  gboolean ok;

  g_return_val_if_fail (photoseal_keyserver_client_get_token (client) != NULL, FALSE);

  sodium_bin2base64 (device, sizeof device, photoseal_keyserver_client_get_device_key (client),
                     PHOTOSEAL_DEVICE_KEY_SIZE, sodium_base64_VARIANT_ORIGINAL);
  /* Both values are base64, safe inside JSON strings as they are; built
   * by hand so that no copy is left behind unzeroed. */
  secret = g_strdup_printf ("{\"token\":\"%s\",\"device_key\":\"%s\"}",
                            photoseal_keyserver_client_get_token (client), device);
  sodium_memzero (device, sizeof device);

  ok = secret_password_store_sync (account_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                                   cancellable, &local_error,
                                   "server", origin, "email", email, NULL);
  sodium_memzero (secret, strlen (secret));
  g_free (secret);
  return ok || keyring_error (error, local_error);
}

static PhotosealKeyserverClient *
client_from_secret (const char *origin,
                    const char *secret,
                    GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  guint8 *device_key = NULL;
  const char *token, *device;
  JsonObject *object;
  size_t len = 0;

  if (!json_parser_load_from_data (parser, secret, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto broken;
  object = json_node_get_object (json_parser_get_root (parser));
  token = json_object_get_string_member_with_default (object, "token", NULL);
  device = json_object_get_string_member_with_default (object, "device_key", NULL);
  if (token == NULL || device == NULL)
    goto broken;

  device_key = sodium_malloc (PHOTOSEAL_DEVICE_KEY_SIZE);
  g_assert (device_key != NULL);
  if (sodium_base642bin (device_key, PHOTOSEAL_DEVICE_KEY_SIZE, device, strlen (device), NULL, &len,
                         NULL, sodium_base64_VARIANT_ORIGINAL) != 0
      || len != PHOTOSEAL_DEVICE_KEY_SIZE)
    {
      sodium_free (device_key);
      goto broken;
    }

  if ((client = photoseal_keyserver_client_new (origin, error)) != NULL)
    photoseal_keyserver_client_set_session (client, token, device_key);
  sodium_free (device_key);
  return g_steal_pointer (&client);

broken:
  g_set_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED,
               _("The saved session for %s is damaged; sign in again"), origin);
  return NULL;
}

/**
 * photoseal_keyring_load:
 * @origin: a key-server origin, normalised
 * @email: (out) (optional): the account's email
 *
 * Returns: (transfer full) (nullable): a client signed in to @origin with
 *   the saved session, or %NULL without an error when there is none
 */
PhotosealKeyserverClient *
photoseal_keyring_load (const char   *origin,
                        char        **email,
                        GCancellable *cancellable,
                        GError      **error)
{
  g_autolist(SecretRetrievable) items = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;

  items = secret_password_search_sync (account_schema (),
                                       SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                                       cancellable, &local_error, "server", origin, NULL);
  if (local_error != NULL)
    return keyring_error (error, local_error), NULL;
  if (items == NULL)
    return NULL;

  value = secret_retrievable_retrieve_secret_sync (items->data, cancellable, &local_error);
  if (value == NULL)
    return keyring_error (error, local_error ? local_error
                                             : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                                    _("the session is locked"))),
           NULL;
  if (email != NULL)
    {
      attributes = secret_retrievable_get_attributes (items->data);
      *email = g_strdup (g_hash_table_lookup (attributes, "email"));
    }
  return client_from_secret (origin, secret_value_get_text (value), error);
}

/* Removes every saved session for @origin. */
gboolean
photoseal_keyring_forget (const char   *origin,
                          GCancellable *cancellable,
                          GError      **error)
{
  GError *local_error = NULL;

  secret_password_clear_sync (account_schema (), cancellable, &local_error, "server", origin, NULL);
  return local_error == NULL || keyring_error (error, local_error);
}

static const SecretSchema *
label_key_schema (void)
{
  static const SecretSchema schema = {
    "io.github.photoseal.LabelKey", SECRET_SCHEMA_NONE,
    {
      { "purpose", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static gboolean
label_key_decode (const char *text,
                  guint8      key[PHOTOSEAL_LABEL_KEY_SIZE])
{
  size_t len = 0;

  return sodium_base642bin (key, PHOTOSEAL_LABEL_KEY_SIZE, text, strlen (text), NULL, &len, NULL,
                            sodium_base64_VARIANT_ORIGINAL) == 0
         && len == PHOTOSEAL_LABEL_KEY_SIZE;
}

/**
 * photoseal_keyring_label_key:
 * @key: (out caller-allocates): the key; zero it after use
 *
 * The key of the local label store (see PhotosealLabelStore), made at
 * random and kept in the keyring the first time it is asked for. The
 * keyring, not the file system, guards it: on a shared ward PC another
 * account cannot read it, and a copied labels file is useless alone.
 */
gboolean
photoseal_keyring_label_key (guint8         key[PHOTOSEAL_LABEL_KEY_SIZE],
                             GCancellable  *cancellable,
                             GError       **error)
{
  char text[sodium_base64_ENCODED_LEN (PHOTOSEAL_LABEL_KEY_SIZE, sodium_base64_VARIANT_ORIGINAL)];
  GError *local_error = NULL;
  char *stored;
  gboolean ok;

  stored = secret_password_lookup_sync (label_key_schema (), cancellable, &local_error,
                                        "purpose", "labels", NULL);
  if (local_error != NULL)
    return keyring_error (error, local_error);
  if (stored != NULL)
    {
      ok = label_key_decode (stored, key);
      secret_password_free (stored);
      if (!ok)
        g_set_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_FAILED,
                     _("The keyring's key for the list of sealed files is damaged"));
      return ok;
    }

  randombytes_buf (key, PHOTOSEAL_LABEL_KEY_SIZE);
  sodium_bin2base64 (text, sizeof text, key, PHOTOSEAL_LABEL_KEY_SIZE,
                     sodium_base64_VARIANT_ORIGINAL);
  ok = secret_password_store_sync (label_key_schema (), SECRET_COLLECTION_DEFAULT,
                                   _("Photoseal: key of the list of sealed files"), text,
                                   cancellable, &local_error, "purpose", "labels", NULL);
  sodium_memzero (text, sizeof text);
  if (!ok)
    sodium_memzero (key, PHOTOSEAL_LABEL_KEY_SIZE);
  return ok || keyring_error (error, local_error);
}
