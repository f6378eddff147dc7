/* photoseal-label-store.c
 *
 * The key server must never learn whose photos a key protects, yet a
 * sender needs to tell "MRN-004, 3 photos" from "MRN-017, 1 photo" in the
 * list of sent files. So the sender's own computer remembers it, in one
 * file sealed as a whole with XChaCha20-Poly1305 under a random key kept
 * in the desktop keyring:
 *
 *   version (1 byte, 1) || nonce (24 bytes) || AEAD(JSON array of labels)
 *
 * with the version byte and a fixed context string as associated data. A
 * fresh nonce is drawn at each save; any changed byte, or another key,
 * fails as a whole, and nothing of a damaged file is used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-label-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <sodium.h>

#include "photoseal-atomic-file.h"
#include "photoseal-error.h"
#include "photoseal-json.h"
#include "photoseal-label-store.h"

#define CONTEXT "photoseal/v1/labels"
#define NONCE_SIZE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define MAX_FILE (64 * 1024 * 1024)

struct _PhotosealLabelStore
{
  GObject parent_instance;

  GFile *file;
  guint8 *key;                  /* sodium_malloc'd, PHOTOSEAL_LABEL_KEY_SIZE */
  GHashTable *labels;           /* key id → PhotosealLabel */
};

G_DEFINE_FINAL_TYPE (PhotosealLabelStore, photoseal_label_store, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (PhotosealLabel, photoseal_label, photoseal_label_copy, photoseal_label_free)

PhotosealLabel *
photoseal_label_copy (const PhotosealLabel *self)
{
  PhotosealLabel *copy = g_new0 (PhotosealLabel, 1);

  copy->key_id = g_strdup (self->key_id);
  copy->patient_name = g_strdup (self->patient_name);
  copy->patient_identifier = g_strdup (self->patient_identifier);
  copy->file_name = g_strdup (self->file_name);
  copy->n_photos = self->n_photos;
  copy->sealed = self->sealed ? g_date_time_ref (self->sealed) : NULL;
  return copy;
}

void
photoseal_label_free (PhotosealLabel *self)
{
  if (self == NULL)
    return;
  g_free (self->key_id);
  g_free (self->patient_name);
  g_free (self->patient_identifier);
  g_free (self->file_name);
  g_clear_pointer (&self->sealed, g_date_time_unref);
  g_free (self);
}

static void
photoseal_label_store_finalize (GObject *object)
{
  PhotosealLabelStore *self = (PhotosealLabelStore *) object;

  g_clear_object (&self->file);
  g_clear_pointer (&self->key, sodium_free);
  g_clear_pointer (&self->labels, g_hash_table_unref);

  G_OBJECT_CLASS (photoseal_label_store_parent_class)->finalize (object);
}

static void
photoseal_label_store_class_init (PhotosealLabelStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_label_store_finalize;
}

static void
photoseal_label_store_init (PhotosealLabelStore *self)
{
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) photoseal_label_free);
}

/**
 * photoseal_label_store_new:
 * @file: where the labels are kept
 * @key: the store's key, copied
 *
 * An empty store; photoseal_label_store_load() reads @file.
 */
PhotosealLabelStore *
photoseal_label_store_new (GFile        *file,
                           const guint8  key[PHOTOSEAL_LABEL_KEY_SIZE])
{
  PhotosealLabelStore *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (PHOTOSEAL_TYPE_LABEL_STORE, NULL);
  self->file = g_object_ref (file);
  self->key = sodium_malloc (PHOTOSEAL_LABEL_KEY_SIZE);
  g_assert (self->key != NULL);
  memcpy (self->key, key, PHOTOSEAL_LABEL_KEY_SIZE);
  return self;
}

/**
 * photoseal_label_store_default_file:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/photoseal/labels
 */
GFile *
photoseal_label_store_default_file (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "photoseal", "labels", NULL);

  return g_file_new_for_path (path);
}

/**
 * photoseal_label_store_open_default:
 *
 * The person's store, with its key from the keyring (made on first use),
 * loaded. Blocks on the keyring and the disk: call it from a worker.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with an error
 */
PhotosealLabelStore *
photoseal_label_store_open_default (GCancellable  *cancellable,
                                    GError       **error)
{
  g_autoptr(PhotosealLabelStore) self = NULL;
  g_autoptr(GFile) file = photoseal_label_store_default_file ();
  guint8 *key = sodium_malloc (PHOTOSEAL_LABEL_KEY_SIZE);

  g_assert (key != NULL);
  if (photoseal_keyring_label_key (key, cancellable, error))
    self = photoseal_label_store_new (file, key);
  sodium_free (key);
  if (self == NULL || !photoseal_label_store_load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * photoseal_label_store_remember_seal:
 * @key_id: the key server's id of the sealed file's key
 * @manifest: the sealed file's manifest
 * @file_name: (nullable): the sealed file's name, without folders
 *
 * Adds the label of a file just sealed to the person's store and saves it,
 * for psf seal and the app alike. A damaged store is left as it is, for
 * someone to look at, not overwritten. Blocks: call it from a worker.
 */
gboolean
photoseal_label_store_remember_seal (const char         *key_id,
                                     PhotosealManifest  *manifest,
                                     const char         *file_name,
                                     GCancellable       *cancellable,
                                     GError            **error)
{
  g_autoptr(PhotosealLabelStore) store = NULL;
  gboolean has_patient = photoseal_manifest_has_patient (manifest);
  PhotosealLabel label = {
    (char *) key_id,
    has_patient ? (char *) photoseal_manifest_get_patient_name (manifest) : NULL,
    has_patient ? (char *) photoseal_manifest_get_patient_identifier (manifest) : NULL,
    (char *) file_name,
    photoseal_manifest_get_n_items (manifest),
    photoseal_manifest_get_created (manifest),
  };

  g_return_val_if_fail (key_id != NULL, FALSE);
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (manifest), FALSE);

  if (!(store = photoseal_label_store_open_default (cancellable, error)))
    return FALSE;
  photoseal_label_store_add (store, &label);
  return photoseal_label_store_save (store, error);
}

/* Records ****************************************************************/

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_label (JsonBuilder          *builder,
           const PhotosealLabel *label)
{
  g_autofree char *sealed = label->sealed ? g_date_time_format_iso8601 (label->sealed) : NULL;

  json_builder_begin_object (builder);
  add_member (builder, "key_id", label->key_id);
  add_member (builder, "patient_name", label->patient_name);
  add_member (builder, "patient_identifier", label->patient_identifier);
  add_member (builder, "file_name", label->file_name);
  json_builder_set_member_name (builder, "n_photos");
  json_builder_add_int_value (builder, label->n_photos);
  add_member (builder, "sealed", sealed);
  json_builder_end_object (builder);
}

static char *
labels_to_json (PhotosealLabelStore *self,
                gsize               *len)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GHashTableIter iter;
  gpointer value;

  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, self->labels);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    add_label (builder, value);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, len);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
labels_from_json (PhotosealLabelStore *self,
                  const char          *json,
                  gsize                len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;

  if (!json_parser_load_from_data (parser, json, len, NULL)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return FALSE;
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(PhotosealLabel) label = g_new0 (PhotosealLabel, 1);
      JsonObject *object;
      const char *sealed;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return FALSE;
      object = json_node_get_object (node);
      if ((label->key_id = g_strdup (string_member (object, "key_id"))) == NULL)
        return FALSE;
      label->patient_name = g_strdup (string_member (object, "patient_name"));
      label->patient_identifier = g_strdup (string_member (object, "patient_identifier"));
      label->file_name = g_strdup (string_member (object, "file_name"));
      label->n_photos = json_object_get_int_member_with_default (object, "n_photos", 0);
      if ((sealed = string_member (object, "sealed")) != NULL)
        label->sealed = g_date_time_new_from_iso8601 (sealed, NULL);
      g_hash_table_replace (self->labels, label->key_id, label);
      label = NULL;
    }
  return TRUE;
}

/* Files ******************************************************************/

static void
associated_data (guint8 ad[sizeof CONTEXT])
{
  memcpy (ad, CONTEXT, sizeof CONTEXT - 1);
  ad[sizeof CONTEXT - 1] = PHOTOSEAL_LABEL_STORE_VERSION;
}

static gboolean
refuse (GError    **error,
        GFile      *file,
        const char *why)
{
  g_autofree char *name = g_file_get_parse_name (file);

  g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_PAYLOAD,
               _("The list of sealed files %s cannot be read: %s"), name, why);
  return FALSE;
}

/**
 * photoseal_label_store_load:
 *
 * Replaces the labels in memory with those in the file. A missing file is
 * an empty store; a damaged one, or one sealed under another key, is
 * %PHOTOSEAL_FORMAT_ERROR_PAYLOAD and leaves the store empty.
 */
gboolean
photoseal_label_store_load (PhotosealLabelStore *self,
                            GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  guint8 ad[sizeof CONTEXT];
  unsigned long long plain_len = 0;
  char *plain;
  gsize len = 0;
  gboolean ok;

  g_return_val_if_fail (PHOTOSEAL_IS_LABEL_STORE (self), FALSE);

  g_hash_table_remove_all (self->labels);
  if (!g_file_load_contents (self->file, NULL, &data, &len, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (len > MAX_FILE)
    return refuse (error, self->file, _("it is too large"));
  if (len < 1 + NONCE_SIZE + crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return refuse (error, self->file, _("it is too short"));
  if ((guint8) data[0] != PHOTOSEAL_LABEL_STORE_VERSION)
    return refuse (error, self->file, _("it was written by a newer Photoseal"));

  associated_data (ad);
  plain = sodium_malloc (len);
  g_assert (plain != NULL);
  ok = crypto_aead_xchacha20poly1305_ietf_decrypt ((guint8 *) plain, &plain_len, NULL,
                                                   (guint8 *) data + 1 + NONCE_SIZE,
                                                   len - 1 - NONCE_SIZE, ad, sizeof ad,
                                                   (guint8 *) data + 1, self->key) == 0
       && labels_from_json (self, plain, plain_len);
  sodium_free (plain);
  if (!ok)
    {
      g_hash_table_remove_all (self->labels);
      return refuse (error, self->file, _("it was changed, or sealed under another key"));
    }
  return TRUE;
}

static gboolean
write_sealed (GFile         *file,
              const guint8  *sealed,
              gsize          len,
              GError       **error)
{
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *folder_path = g_file_get_path (folder);
  g_autoptr(PhotosealAtomicFile) atomic = NULL;

  if (folder_path != NULL && g_mkdir_with_parents (folder_path, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", folder_path,
                   g_strerror (saved));
      return FALSE;
    }
  /* The atomic file keeps mkstemp's mode 0600. */
  return (atomic = photoseal_atomic_file_new (file, error)) != NULL
         && g_output_stream_write_all (photoseal_atomic_file_get_stream (atomic), sealed, len,
                                       NULL, NULL, error)
         && photoseal_atomic_file_commit (atomic, error);
}

/**
 * photoseal_label_store_save:
 *
 * Writes every label, sealed, atomically, mode 0600, in a folder made
 * 0700 if missing.
 */
gboolean
photoseal_label_store_save (PhotosealLabelStore *self,
                            GError             **error)
{
  g_autofree guint8 *sealed = NULL;
  guint8 ad[sizeof CONTEXT];
  unsigned long long sealed_len = 0;
  gsize plain_len = 0;
  char *json;
  gboolean ok;

  g_return_val_if_fail (PHOTOSEAL_IS_LABEL_STORE (self), FALSE);

  json = labels_to_json (self, &plain_len);
  sealed = g_malloc (1 + NONCE_SIZE + plain_len + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  sealed[0] = PHOTOSEAL_LABEL_STORE_VERSION;
  randombytes_buf (sealed + 1, NONCE_SIZE);
  associated_data (ad);
  crypto_aead_xchacha20poly1305_ietf_encrypt (sealed + 1 + NONCE_SIZE, &sealed_len,
                                              (guint8 *) json, plain_len, ad, sizeof ad, NULL,
                                              sealed + 1, self->key);
  sodium_memzero (json, plain_len);
  g_free (json);
  ok = write_sealed (self->file, sealed, 1 + NONCE_SIZE + sealed_len, error);
  return ok;
}

/**
 * photoseal_label_store_add:
 *
 * Remembers @label (copied), replacing any label with the same key id.
 * Call photoseal_label_store_save() to keep it.
 */
void
photoseal_label_store_add (PhotosealLabelStore  *self,
                           const PhotosealLabel *label)
{
  PhotosealLabel *copy;

  g_return_if_fail (PHOTOSEAL_IS_LABEL_STORE (self));
  g_return_if_fail (label != NULL && label->key_id != NULL);

  copy = photoseal_label_copy (label);
  g_hash_table_replace (self->labels, copy->key_id, copy);
}

/**
 * photoseal_label_store_lookup:
 *
 * Returns: (transfer none) (nullable): the label for @key_id
 */
const PhotosealLabel *
photoseal_label_store_lookup (PhotosealLabelStore *self,
                              const char          *key_id)
{
  g_return_val_if_fail (PHOTOSEAL_IS_LABEL_STORE (self), NULL);
  g_return_val_if_fail (key_id != NULL, NULL);

  return g_hash_table_lookup (self->labels, key_id);
}

guint
photoseal_label_store_get_n_labels (PhotosealLabelStore *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_LABEL_STORE (self), 0);

  return g_hash_table_size (self->labels);
}
