/* hostile-files.c: crafted .psf files and parts of them, for tests
 *
 * Everything here is built the way an attacker would: tar entries with
 * libarchive, manifests as text, STREAM chunks sealed by hand with
 * libsodium and any nonce flags. Only the age header comes from the
 * library, so that a file reaches the checks being tested.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <sodium.h>

#include "hostile-files.h"

static la_ssize_t
append_callback (struct archive *archive,
                 void           *user_data,
                 const void     *buffer,
                 size_t          len)
{
  g_byte_array_append (user_data, buffer, len);
  return len;
}

GBytes *
hostile_tar (const HostileEntry *entries,
             guint               n_entries)
{
  g_autoptr(GByteArray) tar = g_byte_array_new ();
  struct archive *archive = archive_write_new ();

  archive_write_set_format_pax_restricted (archive);
  archive_write_open2 (archive, tar, NULL, append_callback, NULL, NULL);
  for (guint i = 0; i < n_entries; i++)
    {
      struct archive_entry *entry = archive_entry_new ();
      gsize len = entries[i].contents ? strlen (entries[i].contents) : 0;

      archive_entry_set_pathname (entry, entries[i].path);
      archive_entry_set_filetype (entry, entries[i].type ? (unsigned int) entries[i].type
                                                        : AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, entries[i].size >= 0 ? entries[i].size : (gint64) len);
      if (entries[i].link)
        archive_entry_set_symlink (entry, entries[i].link);
      g_assert_cmpint (archive_write_header (archive, entry), ==, ARCHIVE_OK);
      if (len > 0)
        archive_write_data (archive, entries[i].contents, len);
      archive_entry_free (entry);
    }
  archive_write_close (archive);
  archive_write_free (archive);
  return g_byte_array_free_to_bytes (g_steal_pointer (&tar));
}

/* A valid manifest around @items_json, the text of the "items" array. */
char *
hostile_manifest (const char *items_json)
{
  return g_strdup_printf ("{\"format\":\"photoseal\",\"version\":1,"
                          "\"created\":\"2026-01-02T03:04:05Z\","
                          "\"sender\":{\"name\":\"A\",\"email\":\"a@example.org\"},"
                          "\"consent\":{\"obtained\":true,\"method\":\"verbal\",\"note\":\"\"},"
                          "\"note\":\"\",\"items\":[%s]}", items_json);
}

/* One item for @contents; @size is what it claims, -1 for the truth. Items
 * carry no hash (the payload's AEAD covers every byte), so the size check
 * is the only guard against an entry that disagrees with its item. */
char *
hostile_manifest_item (const char *path,
                       const char *name,
                       const char *contents,
                       gint64      size)
{
  return g_strdup_printf ("{\"path\":\"%s\",\"name\":\"%s\",\"media_type\":\"image/jpeg\","
                          "\"size\":%" G_GINT64_FORMAT ",\"metadata_removed\":true}",
                          path, name, size >= 0 ? size : (gint64) strlen (contents));
}

/* A manifest whose note holds arrays nested @depth deep: two bytes a
 * level, so 300,000 levels stay under the 1 MiB manifest limit. */
char *
hostile_deep_manifest (guint depth)
{
  g_autoptr(GString) text = g_string_new ("{\"format\":\"photoseal\",\"version\":1,\"note\":");

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  g_string_append (text, ",\"items\":[]}");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A manifest listing @n_items empty objects: 3 bytes an item, so the item
 * limit is reached long before the size limit. */
char *
hostile_many_items (guint n_items)
{
  g_autoptr(GString) items = g_string_new (NULL);

  for (guint i = 0; i < n_items; i++)
    g_string_append (items, i ? ",{}" : "{}");
  return hostile_manifest (items->str);
}

GBytes *
hostile_encrypt (GPtrArray *recipients,
                 GBytes    *plain)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) age = NULL;
  g_autoptr(GError) error = NULL;

  age = photoseal_age_output_stream_new (out, recipients, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (age, g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), NULL,
                             NULL, &error);
  photoseal_age_output_stream_finish (PHOTOSEAL_AGE_OUTPUT_STREAM (age), NULL, &error);
  g_output_stream_close (age, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* The age v1 STREAM, written out from the spec: the nonce is an 11-byte
 * big-endian counter and a last byte 1 on the final chunk only. */
static void
seal_chunk (GByteArray   *out,
            const guint8 *key,
            guint64       counter,
            gboolean      final,
            const guint8 *plain,
            gsize         len)
{
  guint8 nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = { 0 };
  g_autofree guint8 *sealed = g_malloc (len + crypto_aead_chacha20poly1305_ietf_ABYTES);
  unsigned long long sealed_len = 0;

  for (guint i = 0; i < 8; i++)
    nonce[10 - i] = counter >> (8 * i);
  nonce[11] = final ? 1 : 0;
  crypto_aead_chacha20poly1305_ietf_encrypt (sealed, &sealed_len, plain, len, NULL, 0, NULL,
                                             nonce, key);
  g_byte_array_append (out, sealed, sealed_len);
}

/**
 * hostile_age_file:
 * @trailing: (nullable): bytes to append after the last chunk
 * @plain: (out) (optional): the plaintext of all the chunks
 *
 * Returns: an age file for @recipient with exactly the chunks asked for
 */
GBytes *
hostile_age_file (PhotosealRecipient *recipient,
                  const HostileChunk *chunks,
                  guint               n_chunks,
                  const char         *trailing,
                  GBytes            **plain)
{
  g_autoptr(PhotosealAgeHeader) header = photoseal_age_header_new ();
  g_autoptr(PhotosealStanza) stanza = NULL;
  g_autoptr(GBytes) header_bytes = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) all_plain = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 file_key[PHOTOSEAL_FILE_KEY_SIZE];
  guint8 nonce[PHOTOSEAL_PAYLOAD_NONCE_SIZE];
  guint8 key[crypto_aead_chacha20poly1305_ietf_KEYBYTES];

  randombytes_buf (file_key, sizeof file_key);
  randombytes_buf (nonce, sizeof nonce);
  stanza = photoseal_recipient_wrap (recipient, file_key, &error);
  g_assert_no_error (error);
  photoseal_age_header_add_stanza (header, g_steal_pointer (&stanza));
  header_bytes = photoseal_age_header_encode (header, file_key);
  g_byte_array_append (out, g_bytes_get_data (header_bytes, NULL), g_bytes_get_size (header_bytes));
  g_byte_array_append (out, nonce, sizeof nonce);

  photoseal_hkdf_sha256 (key, sizeof key, file_key, sizeof file_key, nonce, sizeof nonce,
                         "payload");
  for (guint i = 0; i < n_chunks; i++)
    {
      g_autofree guint8 *chunk = g_malloc (chunks[i].len + 1);

      randombytes_buf (chunk, chunks[i].len);
      seal_chunk (out, key, i, chunks[i].final, chunk, chunks[i].len);
      g_byte_array_append (all_plain, chunk, chunks[i].len);
    }
  if (trailing != NULL)
    g_byte_array_append (out, (const guint8 *) trailing, strlen (trailing));

  if (plain != NULL)
    *plain = g_byte_array_free_to_bytes (g_steal_pointer (&all_plain));
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

const char *const hostile_psf_kinds[] = {
  "deep-manifest", "many-items", "dotfile-names", "dotfile-path", "size-zero", "size-larger",
  "after-tar-end", NULL,
};

static GBytes *
one_item_tar (const char *path,
              const char *name,
              gint64      claimed_size)
{
  g_autofree char *item = hostile_manifest_item (path, name, "pixels", claimed_size);
  g_autofree char *manifest = hostile_manifest (item);
  const HostileEntry entries[] = {
    { "manifest.json", 0, manifest, -1 },
    { path, 0, "pixels", -1 },
  };

  return hostile_tar (entries, G_N_ELEMENTS (entries));
}

static GBytes *
hostile_plain (const char *kind)
{
  g_autofree char *manifest = NULL;

  if (g_str_equal (kind, "deep-manifest"))
    manifest = hostile_deep_manifest (300000);
  else if (g_str_equal (kind, "many-items"))
    manifest = hostile_many_items (PHOTOSEAL_MANIFEST_MAX_ITEMS + 1);
  else if (g_str_equal (kind, "dotfile-names"))
    return one_item_tar ("photos/01-bashrc", "../.bashrc", -1);
  else if (g_str_equal (kind, "dotfile-path"))
    return one_item_tar ("photos/.bashrc", ".bashrc", -1);
  else if (g_str_equal (kind, "size-zero"))
    return one_item_tar ("photos/01-x.jpg", "x.jpg", 0);
  else if (g_str_equal (kind, "size-larger"))
    return one_item_tar ("photos/01-x.jpg", "x.jpg", 1000);
  else if (g_str_equal (kind, "after-tar-end"))
    {
      g_autoptr(GBytes) tar = one_item_tar ("photos/01-x.jpg", "x.jpg", -1);
      g_autoptr(GByteArray) longer = g_bytes_unref_to_array (g_steal_pointer (&tar));

      g_byte_array_append (longer, (const guint8 *) "#!/bin/sh\nrm -rf ~\n", 19);
      return g_byte_array_free_to_bytes (g_steal_pointer (&longer));
    }
  else
    return NULL;

  {
    const HostileEntry entries[] = { { "manifest.json", 0, manifest, -1 } };

    return hostile_tar (entries, 1);
  }
}

/**
 * hostile_psf:
 * @kind: one of hostile_psf_kinds
 *
 * Returns: a whole .psf of that kind for @recipients, or %NULL for an
 *   unknown kind
 */
GBytes *
hostile_psf (const char *kind,
             GPtrArray  *recipients,
             GError    **error)
{
  g_autoptr(GBytes) plain = hostile_plain (kind);

  if (plain == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown kind “%s”", kind);
      return NULL;
    }
  return hostile_encrypt (recipients, plain);
}
