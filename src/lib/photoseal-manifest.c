/* photoseal-manifest.c
 *
 * Built with JsonBuilder, read back with strict type and bound checks: a
 * manifest comes from a file that may have been crafted, so every field is
 * checked for its JSON type and length before the app shows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-manifest"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <json-glib/json-glib.h>

#include "photoseal-address.h"
#include "photoseal-error.h"
#include "photoseal-json.h"
#include "photoseal-manifest.h"
#include "photoseal-validate.h"

#define MAX_FIELD 4096
#define MAX_NOTE (64 * 1024)
#define MAX_COMPONENT 255
#define MAX_PATH 4096
#define ITEMS_FOLDER "photos/"

struct _PhotosealManifest
{
  GObject parent_instance;

  GDateTime *created;
  char *sender_name;
  char *sender_email;
  gboolean has_patient;
  char *patient_name;
  char *patient_identifier;
  char *patient_date_of_birth;
  gboolean consent_obtained;
  char *consent_method;
  char *consent_note;
  GStrv consent_purposes;
  gboolean no_patient_details;
  char *note;
  GPtrArray *items;
};

G_DEFINE_FINAL_TYPE (PhotosealManifest, photoseal_manifest, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (PhotosealManifestItem, photoseal_manifest_item,
                     photoseal_manifest_item_copy, photoseal_manifest_item_free)

PhotosealManifestItem *
photoseal_manifest_item_copy (const PhotosealManifestItem *self)
{
  PhotosealManifestItem *copy = g_new0 (PhotosealManifestItem, 1);

  copy->path = g_strdup (self->path);
  copy->name = g_strdup (self->name);
  copy->media_type = g_strdup (self->media_type);
  copy->size = self->size;
  copy->metadata_removed = self->metadata_removed;
  return copy;
}

void
photoseal_manifest_item_free (PhotosealManifestItem *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_free (self->name);
  g_free (self->media_type);
  g_free (self);
}

static void
photoseal_manifest_finalize (GObject *object)
{
  PhotosealManifest *self = (PhotosealManifest *) object;

  g_clear_pointer (&self->created, g_date_time_unref);
  g_free (self->sender_name);
  g_free (self->sender_email);
  g_free (self->patient_name);
  g_free (self->patient_identifier);
  g_free (self->patient_date_of_birth);
  g_free (self->consent_method);
  g_free (self->consent_note);
  g_strfreev (self->consent_purposes);
  g_free (self->note);
  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (photoseal_manifest_parent_class)->finalize (object);
}

static void
photoseal_manifest_class_init (PhotosealManifestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_manifest_finalize;
}

static void
photoseal_manifest_init (PhotosealManifest *self)
{
  self->created = g_date_time_new_now_utc ();
  self->sender_name = g_strdup ("");
  self->sender_email = g_strdup ("");
  self->consent_method = g_strdup ("none");
  self->consent_note = g_strdup ("");
  self->consent_purposes = g_new0 (char *, 1);
  self->note = g_strdup ("");
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) photoseal_manifest_item_free);
}

PhotosealManifest *
photoseal_manifest_new (void)
{
  return g_object_new (PHOTOSEAL_TYPE_MANIFEST, NULL);
}

/* Paths *****************************************************************/

/**
 * photoseal_bundle_path_is_safe:
 *
 * Whether @path may be created under an extraction folder: relative, valid
 * UTF-8 without control characters or backslashes, and made of components
 * that are neither empty nor start with a dot (so no ".", ".." and no
 * hidden files such as ".bashrc", which the writer never makes).
 */
gboolean
photoseal_bundle_path_is_safe (const char *path)
{
  g_auto(GStrv) components = NULL;
  gsize len;

  if (path == NULL || (len = strlen (path)) == 0 || len > MAX_PATH)
    return FALSE;
  if (path[0] == '/' || !g_utf8_validate (path, len, NULL))
    return FALSE;
  for (const char *p = path; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f || *p == '\\')
      return FALSE;

  components = g_strsplit (path, "/", -1);
  for (guint i = 0; components[i]; i++)
    {
      const char *c = components[i];

      if (*c == '\0' || *c == '.' || strlen (c) > MAX_COMPONENT)
        return FALSE;
    }
  return TRUE;
}

/**
 * photoseal_item_name_clean:
 * @file_name: a file name from the sender's disk or from a manifest
 *
 * The one rule for item names, applied when sealing and again when
 * reading, since a crafted file need not have been sealed by us: the last
 * component only, no leading dots or spaces (no hidden files such as
 * ".bashrc"), no separators or control characters, at most 200 bytes.
 *
 * Returns: (transfer full): the cleaned name, never empty
 */
char *
photoseal_item_name_clean (const char *file_name)
{
  g_autofree char *base = g_path_get_basename (file_name);
  g_autofree char *valid = g_utf8_make_valid (base, -1);
  g_autoptr(GString) safe = g_string_new (NULL);
  const char *p = valid;

  while (*p == '.' || *p == ' ')
    p++;
  for (; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (safe->len + (next - p) > 200)
        break;
      if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || g_unichar_iscntrl (c))
        g_string_append_c (safe, '_');
      else
        g_string_append_len (safe, p, next - p);
    }
  if (safe->len == 0)
    g_string_append (safe, "item");

  return g_string_free (g_steal_pointer (&safe), FALSE);
}

/**
 * photoseal_bundle_path_for_item:
 * @position: the item's index, from 0
 * @file_name: the name the sender's file had
 *
 * Returns: (transfer full): "photos/NN-name", with the name made safe
 */
char *
photoseal_bundle_path_for_item (guint       position,
                                const char *file_name)
{
  g_autofree char *name = photoseal_item_name_clean (file_name);

  return g_strdup_printf (ITEMS_FOLDER "%02u-%s", position + 1, name);
}

/* Writing ***************************************************************/

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value ? value : "");
}

static void
add_item (JsonBuilder                 *builder,
          const PhotosealManifestItem *item)
{
  json_builder_begin_object (builder);
  add_string (builder, "path", item->path);
  add_string (builder, "name", item->name);
  add_string (builder, "media_type", item->media_type);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) item->size);
  json_builder_set_member_name (builder, "metadata_removed");
  json_builder_add_boolean_value (builder, item->metadata_removed);
  json_builder_end_object (builder);
}

/**
 * photoseal_manifest_to_bytes:
 *
 * Refuses, as %PHOTOSEAL_FORMAT_ERROR_LIMIT, a manifest that a reader would
 * refuse: more than %PHOTOSEAL_MANIFEST_MAX_ITEMS items or more than
 * %PHOTOSEAL_MANIFEST_MAX_SIZE bytes.
 *
 * Returns: (transfer full): manifest.json, UTF-8, compact JSON (`jq`
 *   pretty-prints it), or %NULL
 */
static void
add_sender (JsonBuilder       *builder,
            PhotosealManifest *self)
{
  json_builder_set_member_name (builder, "sender");
  json_builder_begin_object (builder);
  add_string (builder, "name", self->sender_name);
  add_string (builder, "email", self->sender_email);
  json_builder_end_object (builder);
}

/* Either the patient or the sender's statement that there is none. */
static void
add_patient (JsonBuilder       *builder,
             PhotosealManifest *self)
{
  if (self->no_patient_details)
    {
      json_builder_set_member_name (builder, "no_patient_details");
      json_builder_add_boolean_value (builder, TRUE);
    }
  else if (self->has_patient)
    {
      json_builder_set_member_name (builder, "patient");
      json_builder_begin_object (builder);
      add_string (builder, "name", self->patient_name);
      add_string (builder, "identifier", self->patient_identifier);
      add_string (builder, "date_of_birth", self->patient_date_of_birth);
      json_builder_end_object (builder);
    }
}

static void
add_consent (JsonBuilder       *builder,
             PhotosealManifest *self)
{
  json_builder_set_member_name (builder, "consent");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "obtained");
  json_builder_add_boolean_value (builder, self->consent_obtained);
  add_string (builder, "method", self->consent_method);
  json_builder_set_member_name (builder, "purposes");
  json_builder_begin_array (builder);
  for (guint i = 0; self->consent_purposes[i] != NULL; i++)
    json_builder_add_string_value (builder, self->consent_purposes[i]);
  json_builder_end_array (builder);
  add_string (builder, "note", self->consent_note);
  json_builder_end_object (builder);
}

GBytes *
photoseal_manifest_to_bytes (PhotosealManifest *self,
                             GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *created = NULL;
  gsize len = 0;
  char *text;

  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);

  if (self->items->len > PHOTOSEAL_MANIFEST_MAX_ITEMS)
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_LIMIT,
                   "A sealed file holds at most %d photos", PHOTOSEAL_MANIFEST_MAX_ITEMS);
      return NULL;
    }

  /* %C%y rather than %Y: four digits even for the years before 1000 that
   * a crafted file may name. */
  created = g_date_time_format (self->created, "%C%y-%m-%dT%H:%M:%SZ");

  json_builder_begin_object (builder);
  add_string (builder, "format", "photoseal");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  add_string (builder, "created", created);

  add_sender (builder, self);
  add_patient (builder, self);
  add_consent (builder, self);
  add_string (builder, "note", self->note);

  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->items->len; i++)
    add_item (builder, g_ptr_array_index (self->items, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  if (len > PHOTOSEAL_MANIFEST_MAX_SIZE)
    {
      g_free (text);
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_LIMIT,
                   "The list of photos would be larger than 1 MiB, more than a sealed file may "
                   "hold: seal fewer photos, or photos with shorter names, per file");
      return NULL;
    }
  return g_bytes_new_take (text, len);
}

/* Reading ***************************************************************/

static gboolean
invalid (GError    **error,
         const char *field,
         const char *why)
{
  g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_MANIFEST,
               _("The file's manifest is invalid: “%s” %s"), field, why);
  return FALSE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            gboolean     required,
            gsize        max_len,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL)
    {
      if (required)
        return invalid (error, member, _("is missing"));
      g_free (*out);
      *out = g_strdup ("");
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, member, _("must be a string"));
  value = json_node_get_string (node);
  if (strlen (value) > max_len)
    return invalid (error, member, _("is too long"));

  g_free (*out);
  *out = g_strdup (value);
  return TRUE;
}

static JsonObject *
get_object (JsonObject  *object,
            const char  *member,
            gboolean     required,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      if (required)
        invalid (error, member, _("is missing"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, member, _("must be an object"));
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
get_boolean (JsonObject *object,
             const char *member,
             gboolean   *out,
             GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, member, _("must be true or false"));
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Files from before v1.1 have no "purposes": they cover nothing named. */
static gboolean
parse_purposes (PhotosealManifest *self,
                JsonObject        *consent,
                GError           **error)
{
  JsonNode *node = json_object_get_member (consent, "purposes");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "purposes", _("must be a list"));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *purpose;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING
          || !photoseal_validate_purpose ((purpose = json_node_get_string (element)), NULL))
        return invalid (error, "purposes", _("names an unknown purpose"));
      if (!g_hash_table_add (seen, (gpointer) purpose))
        return invalid (error, "purposes", _("names a purpose twice"));
      g_strv_builder_add (builder, purpose);
    }
  g_strfreev (self->consent_purposes);
  self->consent_purposes = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
parse_consent (PhotosealManifest *self,
               JsonObject        *root,
               GError           **error)
{
  JsonObject *consent;

  if (!(consent = get_object (root, "consent", TRUE, error))
      || !get_boolean (consent, "obtained", &self->consent_obtained, error)
      || !get_string (consent, "method", FALSE, 64, &self->consent_method, error)
      || !get_string (consent, "note", FALSE, MAX_FIELD, &self->consent_note, error))
    return FALSE;
  /* Files from before v1.1 may lack the method; a present one must be known. */
  if (*self->consent_method != '\0' && !photoseal_validate_consent (self->consent_method, NULL))
    return invalid (error, "method", _("is not a known consent method"));
  return parse_purposes (self, consent, error);
}

static gboolean
parse_patient (PhotosealManifest *self,
               JsonObject        *root,
               GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *patient = get_object (root, "patient", FALSE, &local_error);
  JsonNode *none = json_object_get_member (root, "no_patient_details");

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (none != NULL && !get_boolean (root, "no_patient_details", &self->no_patient_details, error))
    return FALSE;
  if (self->no_patient_details && patient != NULL)
    return invalid (error, "no_patient_details", _("contradicts the patient details"));
  if ((self->has_patient = patient != NULL)
      && (!get_string (patient, "name", FALSE, MAX_FIELD, &self->patient_name, error)
          || !get_string (patient, "identifier", FALSE, MAX_FIELD, &self->patient_identifier, error)
          || !get_string (patient, "date_of_birth", FALSE, 64, &self->patient_date_of_birth,
                          error)))
    return FALSE;
  return TRUE;
}

static gboolean
parse_item (PhotosealManifest *self,
            JsonNode          *node,
            GHashTable        *seen,
            GError           **error)
{
  g_autoptr(PhotosealManifestItem) item = g_new0 (PhotosealManifestItem, 1);
  g_autofree char *cleaned = NULL;
  JsonObject *object;
  JsonNode *size;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "items", _("must hold objects"));
  object = json_node_get_object (node);

  if (!get_string (object, "path", TRUE, MAX_PATH, &item->path, error)
      || !get_string (object, "name", TRUE, MAX_FIELD, &item->name, error)
      || !get_string (object, "media_type", TRUE, 255, &item->media_type, error)
      || !get_boolean (object, "metadata_removed", &item->metadata_removed, error))
    return FALSE;

  size = json_object_get_member (object, "size");
  if (size == NULL || !JSON_NODE_HOLDS_VALUE (size)
      || json_node_get_value_type (size) != G_TYPE_INT64 || json_node_get_int (size) < 0)
    return invalid (error, "size", _("must be a whole number of bytes"));
  item->size = json_node_get_int (size);

  cleaned = photoseal_item_name_clean (item->name);
  g_free (item->name);
  item->name = g_steal_pointer (&cleaned);
  if (!g_str_has_prefix (item->path, ITEMS_FOLDER) || !photoseal_bundle_path_is_safe (item->path))
    return invalid (error, "path", _("is not a safe path under photos/"));
  if (!g_hash_table_add (seen, g_strdup (item->path)))
    return invalid (error, "path", _("names the same item twice"));

  g_ptr_array_add (self->items, g_steal_pointer (&item));
  return TRUE;
}

static gboolean
parse_root (PhotosealManifest *self,
            JsonObject        *root,
            GError           **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *format = NULL;
  g_autofree char *created = NULL;
  JsonObject *sender;
  JsonNode *version, *items;
  JsonArray *array;

  if (!get_string (root, "format", TRUE, 64, &format, error))
    return FALSE;
  if (strcmp (format, "photoseal") != 0)
    return invalid (error, "format", _("is not “photoseal”"));

  version = json_object_get_member (root, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version)
      || json_node_get_value_type (version) != G_TYPE_INT64)
    return invalid (error, "version", _("must be a number"));
  if (json_node_get_int (version) != 1)
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_UNSUPPORTED,
                   /* Printed with %lld, as xgettext cannot see through G_GINT64_FORMAT. */
                   _("This file was made by a newer Photoseal (manifest version %lld); "
                     "update Photoseal to open it"), (long long) json_node_get_int (version));
      return FALSE;
    }

  if (!get_string (root, "created", TRUE, 64, &created, error))
    return FALSE;
  g_clear_pointer (&self->created, g_date_time_unref);
  if (!(self->created = g_date_time_new_from_iso8601 (created, NULL)))
    return invalid (error, "created", _("is not an ISO 8601 time"));

  if (!(sender = get_object (root, "sender", TRUE, error))
      || !get_string (sender, "name", FALSE, MAX_FIELD, &self->sender_name, error)
      || !get_string (sender, "email", FALSE, MAX_FIELD, &self->sender_email, error))
    return FALSE;

  if (!parse_patient (self, root, error)
      || !parse_consent (self, root, error)
      || !get_string (root, "note", FALSE, MAX_NOTE, &self->note, error))
    return FALSE;

  items = json_object_get_member (root, "items");
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    return invalid (error, "items", _("must be a list"));
  array = json_node_get_array (items);
  if (json_array_get_length (array) > PHOTOSEAL_MANIFEST_MAX_ITEMS)
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_LIMIT,
                   _("The file lists more than %d items"), PHOTOSEAL_MANIFEST_MAX_ITEMS);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!parse_item (self, json_array_get_element (array, i), seen, error))
      return FALSE;

  return TRUE;
}

/**
 * photoseal_manifest_new_from_bytes:
 *
 * Returns: (transfer full): the manifest, or %NULL with
 *   %PHOTOSEAL_FORMAT_ERROR_MANIFEST (or _UNSUPPORTED, _LIMIT)
 */
PhotosealManifest *
photoseal_manifest_new_from_bytes (GBytes  *json,
                                   GError **error)
{
  g_autoptr(PhotosealManifest) self = photoseal_manifest_new ();
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  gsize len = g_bytes_get_size (json);
  const char *data = g_bytes_get_data (json, NULL);
  JsonNode *root;

  if (len > PHOTOSEAL_MANIFEST_MAX_SIZE)
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_LIMIT,
                   _("The file's manifest is larger than 1 MiB"));
      return NULL;
    }
  if (!photoseal_json_depth_is_bounded (data, len, PHOTOSEAL_JSON_MAX_DEPTH))
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_MANIFEST,
                   _("The file's contents are damaged: its manifest is nested too deeply"));
      return NULL;
    }
  if (len == 0 || !g_utf8_validate (data, len, NULL)
      || !json_parser_load_from_data (parser, data, len, &parse_error))
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_MANIFEST,
                   _("The file's manifest is not valid JSON%s%s"),
                   parse_error ? ": " : "", parse_error ? parse_error->message : "");
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, "manifest", _("must be a JSON object"));
      return NULL;
    }
  if (!parse_root (self, json_node_get_object (root), error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Accessors *************************************************************/

GDateTime *
photoseal_manifest_get_created (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);
  return self->created;
}

void
photoseal_manifest_set_created (PhotosealManifest *self,
                                GDateTime         *created)
{
  g_return_if_fail (PHOTOSEAL_IS_MANIFEST (self));
  g_return_if_fail (created != NULL);

  g_clear_pointer (&self->created, g_date_time_unref);
  self->created = g_date_time_to_utc (created);
}

const char *
photoseal_manifest_get_sender_name (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);
  return self->sender_name;
}

const char *
photoseal_manifest_get_sender_email (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);
  return self->sender_email;
}

/* Copies before freeing: @value may be the field itself. */
static void
replace (char      **field,
         const char *value)
{
  char *copy = g_strdup (value ? value : "");

  g_free (*field);
  *field = copy;
}

void
photoseal_manifest_set_sender (PhotosealManifest *self,
                               const char        *name,
                               const char        *email)
{
  g_return_if_fail (PHOTOSEAL_IS_MANIFEST (self));

  replace (&self->sender_name, name);
  replace (&self->sender_email, email);
}

gboolean
photoseal_manifest_has_patient (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), FALSE);
  return self->has_patient;
}

const char *
photoseal_manifest_get_patient_name (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);
  return self->patient_name;
}

const char *
photoseal_manifest_get_patient_identifier (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);
  return self->patient_identifier;
}

const char *
photoseal_manifest_get_patient_date_of_birth (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);
  return self->patient_date_of_birth;
}

void
photoseal_manifest_set_patient (PhotosealManifest *self,
                                const char        *name,
                                const char        *identifier,
                                const char        *date_of_birth)
{
  g_return_if_fail (PHOTOSEAL_IS_MANIFEST (self));

  self->has_patient = name != NULL || identifier != NULL || date_of_birth != NULL;
  replace (&self->patient_name, name);
  replace (&self->patient_identifier, identifier);
  replace (&self->patient_date_of_birth, date_of_birth);
}

gboolean
photoseal_manifest_get_consent_obtained (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), FALSE);
  return self->consent_obtained;
}

const char *
photoseal_manifest_get_consent_method (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);
  return self->consent_method;
}

const char *
photoseal_manifest_get_consent_note (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);
  return self->consent_note;
}

/**
 * photoseal_manifest_set_consent:
 * @method: one of photoseal_consent_methods()
 */
void
photoseal_manifest_set_consent (PhotosealManifest *self,
                                gboolean           obtained,
                                const char        *method,
                                const char        *note)
{
  g_return_if_fail (PHOTOSEAL_IS_MANIFEST (self));

  self->consent_obtained = obtained;
  replace (&self->consent_method, method ? method : "none");
  replace (&self->consent_note, note);
}

/**
 * photoseal_manifest_get_consent_purposes:
 *
 * Returns: (transfer none): what the patient agreed to, of
 *   photoseal_consent_purposes(); empty for files from before v1.1
 */
const char * const *
photoseal_manifest_get_consent_purposes (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);
  return (const char * const *) self->consent_purposes;
}

void
photoseal_manifest_set_consent_purposes (PhotosealManifest  *self,
                                         const char * const *purposes)
{
  GStrv copy = g_strdupv ((char **) purposes);

  g_return_if_fail (PHOTOSEAL_IS_MANIFEST (self));

  g_strfreev (self->consent_purposes);
  self->consent_purposes = copy ? copy : g_new0 (char *, 1);
}

/**
 * photoseal_manifest_describe_consent:
 *
 * Returns: (transfer full): the consent for people, translated: "Obtained:
 *   written", "Obtained: verbal", "Not obtained" or "Not needed (no
 *   identifiable patient)"; without the consent note
 */
char *
photoseal_manifest_describe_consent (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);

  if (!self->consent_obtained)
    return g_strdup (g_strcmp0 (self->consent_method, "not_needed") == 0
                     ? _("Not needed (no identifiable patient)") : _("Not obtained"));
  if (g_strcmp0 (self->consent_method, "written") == 0)
    return g_strdup (_("Obtained: written"));
  if (g_strcmp0 (self->consent_method, "verbal") == 0)
    return g_strdup (_("Obtained: verbal"));
  return g_strdup (_("Obtained"));
}

/**
 * photoseal_manifest_describe_purposes:
 *
 * Returns: (transfer full) (nullable): the purposes for people, such as
 *   "clinical care, teaching", or %NULL when the file names none
 */
char *
photoseal_manifest_describe_purposes (PhotosealManifest *self)
{
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);

  if (self->consent_purposes[0] == NULL)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; self->consent_purposes[i] != NULL; i++)
    {
      if (i > 0)
        /* Translators: between the purposes of consent in a list. */
        g_string_append (text, _(", "));
      g_string_append (text, photoseal_consent_purpose_label (self->consent_purposes[i]));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * photoseal_manifest_get_no_patient_details:
 *
 * Whether the sender said the photos identify nobody: then the manifest has
 * no patient, on purpose rather than by omission.
 */
gboolean
photoseal_manifest_get_no_patient_details (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), FALSE);
  return self->no_patient_details;
}

/**
 * photoseal_manifest_set_no_patient_details:
 *
 * Setting it drops any patient details, which the file then never carries.
 */
void
photoseal_manifest_set_no_patient_details (PhotosealManifest *self,
                                           gboolean           no_patient_details)
{
  g_return_if_fail (PHOTOSEAL_IS_MANIFEST (self));

  self->no_patient_details = !!no_patient_details;
  if (self->no_patient_details)
    photoseal_manifest_set_patient (self, NULL, NULL, NULL);
}

const char *
photoseal_manifest_get_note (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);
  return self->note;
}

void
photoseal_manifest_set_note (PhotosealManifest *self,
                             const char        *note)
{
  g_return_if_fail (PHOTOSEAL_IS_MANIFEST (self));
  replace (&self->note, note);
}

guint
photoseal_manifest_get_n_items (PhotosealManifest *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), 0);
  return self->items->len;
}

const PhotosealManifestItem *
photoseal_manifest_get_item (PhotosealManifest *self,
                             guint              position)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (position < self->items->len, NULL);
  return g_ptr_array_index (self->items, position);
}

void
photoseal_manifest_add_item (PhotosealManifest           *self,
                             const PhotosealManifestItem *item)
{
  g_return_if_fail (PHOTOSEAL_IS_MANIFEST (self));
  g_return_if_fail (item != NULL);

  g_ptr_array_add (self->items, photoseal_manifest_item_copy (item));
}

void
photoseal_manifest_clear_items (PhotosealManifest *self)
{
  g_return_if_fail (PHOTOSEAL_IS_MANIFEST (self));

  g_ptr_array_set_size (self->items, 0);
}

guint64
photoseal_manifest_get_total_size (PhotosealManifest *self)
{
  guint64 total = 0;

  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    total += ((PhotosealManifestItem *) g_ptr_array_index (self->items, i))->size;
  return total;
}

/**
 * photoseal_manifest_sender_differs:
 * @email: the key owner's address, as the key server confirmed it
 * @name: (nullable): the owner's account name
 *
 * Whether the sender this file claims is someone other than the key's
 * verified owner: another address, or another name. Show the owner, and
 * warn naming both when this is %TRUE.
 */
gboolean
photoseal_manifest_sender_differs (PhotosealManifest *self,
                                   const char        *email,
                                   const char        *name)
{
  g_autofree char *claimed = NULL;
  g_autofree char *owner = NULL;

  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (self), TRUE);
  g_return_val_if_fail (email != NULL, TRUE);

  if (*self->sender_email != '\0')
    {
      claimed = photoseal_address_normalize (self->sender_email, NULL);
      owner = photoseal_address_normalize (email, NULL);
      if (claimed == NULL || owner == NULL || strcmp (claimed, owner) != 0)
        return TRUE;
    }
  return *self->sender_name != '\0' && g_strcmp0 (self->sender_name, name) != 0;
}
