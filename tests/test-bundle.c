/* test-bundle.c: sealing and opening whole .psf files
 *
 * Real files in a temporary folder are sealed with the sealer and opened
 * with the opener; hostile bundles are built with libarchive directly and
 * encrypted with the age layer, so that only the bundle checks stand
 * between them and the disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "hostile-files.h"

typedef struct
{
  char *dir;
  PhotosealX25519Identity *identity;
  GPtrArray *identities;
  GPtrArray *recipients;
} Fixture;

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  PhotosealX25519Recipient *recipient;

  fixture->dir = g_dir_make_tmp ("photoseal-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->identity = photoseal_x25519_identity_generate ();
  recipient = photoseal_x25519_identity_get_recipient (fixture->identity);
  fixture->identities = g_ptr_array_new ();
  g_ptr_array_add (fixture->identities, fixture->identity);
  fixture->recipients = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (fixture->recipients, recipient);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      for (const char *name; (name = g_dir_read_name (dir));)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_ptr_array_unref (fixture->identities);
  g_ptr_array_unref (fixture->recipients);
  g_object_unref (fixture->identity);
}

static GFile *
write_file (Fixture    *fixture,
            const char *name,
            GBytes     *contents)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents),
                       &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GBytes *
random_bytes (gsize len)
{
  guint8 *data = g_malloc (len + 1);

  randombytes_buf (data, len);
  return g_bytes_new_take (data, len);
}

static GBytes *
seal (Fixture *fixture,
      GFile  **files,
      guint    n_files)
{
  g_autoptr(PhotosealSealer) sealer = photoseal_sealer_new ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_files; i++)
    photoseal_sealer_add_file (sealer, files[i]);
  photoseal_sealer_add_recipient (sealer, g_ptr_array_index (fixture->recipients, 0));
  photoseal_manifest_set_patient (photoseal_sealer_get_manifest (sealer), "Jo Bloggs", "NHS 123",
                                  NULL);
  photoseal_sealer_seal (sealer, out, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Opens @sealed into a new "out" folder; returns the folder or NULL. */
static GFile *
open_into (Fixture *fixture,
           GBytes  *sealed,
           GError **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (sealed);
  g_autoptr(PhotosealOpener) opener = NULL;
  g_autofree char *parent_path = g_build_filename (fixture->dir, "out", NULL);
  g_autoptr(GFile) parent = g_file_new_for_path (parent_path);

  opener = photoseal_opener_new (in, fixture->identities, NULL, error);
  if (opener == NULL)
    return NULL;
  return photoseal_opener_extract (opener, parent, "opened", NULL, error);
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir))
    n++;
  return n;
}

static void
assert_nothing_extracted (Fixture *fixture)
{
  g_autofree char *out = g_build_filename (fixture->dir, "out", NULL);

  g_assert_cmpuint (count_entries (out), ==, 0);
}

typedef struct
{
  GBytes *data;
  gsize len;
  int fd;
} PipeWriter;

/* Writes the first @len bytes of @data into a pipe in small pieces, as a
 * network would, then closes it. */
static gpointer
write_pipe (gpointer user_data)
{
  PipeWriter *writer = user_data;
  const guint8 *data = g_bytes_get_data (writer->data, NULL);

  for (gsize pos = 0, size = 7; pos < writer->len; pos += size, size = MIN (size * 2, 65521))
    if (write (writer->fd, data + pos, MIN (size, writer->len - pos)) < 0)
      break;
  close (writer->fd);
  return NULL;
}

/* As open_into(), but through a pipe, which cannot seek or be read twice:
 * the header is read first, then the opener goes on from the same stream. */
static GFile *
open_from_pipe (Fixture *fixture,
                GBytes  *sealed,
                gsize    len,
                GError **error)
{
  g_autofree char *parent_path = g_build_filename (fixture->dir, "out", NULL);
  g_autoptr(GFile) parent = g_file_new_for_path (parent_path);
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(PhotosealAgeHeader) header = NULL;
  g_autoptr(PhotosealOpener) opener = NULL;
  PipeWriter writer = { sealed, len, -1 };
  GThread *thread;
  GFile *folder = NULL;
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  writer.fd = fds[1];
  thread = g_thread_new ("pipe-writer", write_pipe, &writer);
  raw = g_unix_input_stream_new (fds[0], TRUE);
  in = g_buffered_input_stream_new (raw);
  g_assert_false (g_seekable_can_seek (G_SEEKABLE (in)));

  if ((header = photoseal_age_header_read (G_BUFFERED_INPUT_STREAM (in), NULL, error))
      && (opener = photoseal_opener_new_after_header (G_BUFFERED_INPUT_STREAM (in), header,
                                                      fixture->identities, NULL, error)))
    folder = photoseal_opener_extract (opener, parent, "opened", NULL, error);
  /* Unblocks the writer if the reader stopped early. */
  g_clear_object (&opener);
  g_input_stream_close (raw, NULL, NULL);
  g_thread_join (thread);
  return folder;
}

static void
test_one_pass (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr(GBytes) big = random_bytes (3 * 1024 * 1024 + 17);
  g_autoptr(GFile) a = write_file (fixture, "scan.dcm", big);
  GFile *files[] = { a };
  g_autoptr(GBytes) sealed = seal (fixture, files, 1);
  gsize len = g_bytes_get_size (sealed);
  const gsize cuts[] = { 20, 300, len / 2, len - 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *item_path = NULL;
  g_autofree char *contents = NULL;
  gsize got = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autoptr(GFile) cut = open_from_pipe (fixture, sealed, cuts[i], &error);

      g_assert_null (cut);
      g_assert_true (photoseal_format_error_is_damage (error));
      g_clear_error (&error);
      assert_nothing_extracted (fixture);
    }

  folder = open_from_pipe (fixture, sealed, len, &error);
  g_assert_no_error (error);
  item_path = g_build_filename (g_file_peek_path (folder), "photos", "01-scan.dcm", NULL);
  g_file_get_contents (item_path, &contents, &got, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, got, g_bytes_get_data (big, NULL), g_bytes_get_size (big));
}

static void
test_round_trip (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) big = random_bytes (3 * 1024 * 1024 + 17);
  g_autoptr(GFile) a = write_file (fixture, "empty.bin", empty);
  g_autoptr(GFile) b = write_file (fixture, "../big scan.dcm", big);
  GFile *files[] = { a, b };
  g_autoptr(GBytes) sealed = seal (fixture, files, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = open_into (fixture, sealed, &error);
  g_autofree char *item_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *manifest_path = NULL;
  g_autofree char *manifest_text = NULL;
  g_autoptr(GBytes) manifest_bytes = NULL;
  g_autoptr(PhotosealManifest) manifest = NULL;
  gsize len = 0;

  g_assert_no_error (error);
  g_assert_nonnull (folder);

  item_path = g_build_filename (g_file_peek_path (folder), "photos", "02-big scan.dcm", NULL);
  g_file_get_contents (item_path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, g_bytes_get_data (big, NULL), g_bytes_get_size (big));

  manifest_path = g_build_filename (g_file_peek_path (folder), "manifest.json", NULL);
  g_file_get_contents (manifest_path, &manifest_text, &len, &error);
  g_assert_no_error (error);
  manifest_bytes = g_bytes_new (manifest_text, len);
  manifest = photoseal_manifest_new_from_bytes (manifest_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photoseal_manifest_get_n_items (manifest), ==, 2);
  g_assert_cmpstr (photoseal_manifest_get_patient_identifier (manifest), ==, "NHS 123");
  g_assert_cmpstr (photoseal_manifest_get_item (manifest, 0)->path, ==, "photos/01-empty.bin");
  g_assert_cmpuint (photoseal_manifest_get_item (manifest, 1)->size, ==, g_bytes_get_size (big));

  /* A second open never replaces the first folder. */
  {
    g_autoptr(GFile) again = open_into (fixture, sealed, &error);

    g_assert_no_error (error);
    g_assert_true (g_str_has_suffix (g_file_peek_path (again), "opened (2)"));
  }
}

static void
test_many_items (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *photos = NULL;

  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%03u.raw", i);
      g_autoptr(GBytes) contents = random_bytes (i * 97);

      g_ptr_array_add (files, write_file (fixture, name, contents));
    }
  sealed = seal (fixture, (GFile **) files->pdata, files->len);
  folder = open_into (fixture, sealed, &error);
  g_assert_no_error (error);
  photos = g_build_filename (g_file_peek_path (folder), "photos", NULL);
  g_assert_cmpuint (count_entries (photos), ==, 150);
}

typedef struct
{
  const char *path;
  gboolean grow;
  gboolean done;
} Change;

/* Changes the file at the first progress report, which comes while its
 * bytes are being copied into the bundle. */
static void
change_file (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Change *change = user_data;
  g_autoptr(GBytes) other = random_bytes (3 * 1024 * 1024);
  g_autoptr(GError) error = NULL;

  if (change->done)
    return;
  change->done = TRUE;
  if (change->grow)
    {
      g_autoptr(GFile) file = g_file_new_for_path (change->path);
      g_autoptr(GFileOutputStream) out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, &error);

      g_output_stream_write_all (G_OUTPUT_STREAM (out), "more", 4, NULL, NULL, &error);
    }
  else
    {
      /* Same size, new bytes, in place: only its change times tell. */
      int fd = g_open (change->path, O_WRONLY, 0);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (write (fd, g_bytes_get_data (other, NULL), g_bytes_get_size (other)), ==,
                       (gssize) g_bytes_get_size (other));
      close (fd);
    }
  g_assert_no_error (error);
}

/* The size comes from fstat() before the copy; a file that changes in
 * between is refused, never sealed with bytes the manifest does not match. */
static void
test_changed_while_sealing (Fixture      *fixture,
                            gconstpointer data)
{
  for (guint grow = 0; grow < 2; grow++)
    {
      g_autoptr(GBytes) contents = random_bytes (3 * 1024 * 1024);
      g_autoptr(GFile) file = write_file (fixture, "scan.dcm", contents);
      g_autoptr(PhotosealSealer) sealer = photoseal_sealer_new ();
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr(GError) error = NULL;
      Change change = { g_file_peek_path (file), grow, FALSE };

      photoseal_sealer_add_file (sealer, file);
      photoseal_sealer_add_recipient (sealer, g_ptr_array_index (fixture->recipients, 0));
      photoseal_sealer_set_progress_func (sealer, change_file, &change);
      g_assert_false (photoseal_sealer_seal (sealer, out, NULL, &error));
      g_assert_true (change.done);
      g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_CHANGED);
    }
}

static GBytes *
small_sealed_file (Fixture *fixture)
{
  g_autoptr(GBytes) contents = g_bytes_new_static ("a small photo", 13);
  g_autoptr(GFile) file = write_file (fixture, "small.jpg", contents);

  return seal (fixture, &file, 1);
}

static void
test_every_byte_flip (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr(GBytes) sealed = small_sealed_file (fixture);
  gsize len;
  const guint8 *original = g_bytes_get_data (sealed, &len);

  for (gsize i = 0; i < len; i++)
    {
      g_autofree guint8 *copy = g_memdup2 (original, len);
      g_autoptr(GBytes) tampered = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) folder = NULL;

      copy[i] ^= 0x01;
      tampered = g_bytes_new (copy, len);
      folder = open_into (fixture, tampered, &error);
      if (folder != NULL)
        g_error ("flipping byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " went unnoticed", i, len);
      g_assert_true (error->domain == PHOTOSEAL_FORMAT_ERROR);
      assert_nothing_extracted (fixture);
    }
}

static void
test_every_truncation (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr(GBytes) sealed = small_sealed_file (fixture);
  gsize len = g_bytes_get_size (sealed);

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (sealed, 0, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) folder = open_into (fixture, truncated, &error);

      if (folder != NULL)
        g_error ("truncating to %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " went unnoticed", cut,
                 len);
      g_assert_true (error->domain == PHOTOSEAL_FORMAT_ERROR);
      g_assert_true (photoseal_format_error_is_damage (error));
      assert_nothing_extracted (fixture);
    }
}

static void
test_wrong_key (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr(GBytes) sealed = small_sealed_file (fixture);
  g_autoptr(PhotosealX25519Identity) stranger = photoseal_x25519_identity_generate ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;

  g_ptr_array_index (fixture->identities, 0) = stranger;
  folder = open_into (fixture, sealed, &error);
  g_ptr_array_index (fixture->identities, 0) = fixture->identity;
  g_assert_null (folder);
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_NO_MATCH);
  g_assert_false (photoseal_format_error_is_damage (error));
}

/* Hostile bundles ******************************************************/

typedef HostileEntry Entry;

static GBytes *
encrypt (Fixture *fixture,
         GBytes  *plain)
{
  return hostile_encrypt (fixture->recipients, plain);
}

static char *
manifest_for (const char *path,
              const char *contents)
{
  g_autofree char *item = hostile_manifest_item (path, "x.jpg", contents, -1);

  return hostile_manifest (item);
}

static void
assert_refused (Fixture     *fixture,
                const Entry *entries,
                guint        n_entries,
                int          code)
{
  g_autoptr(GBytes) tar = hostile_tar (entries, n_entries);
  g_autoptr(GBytes) sealed = encrypt (fixture, tar);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = open_into (fixture, sealed, &error);

  g_assert_null (folder);
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, code);
  assert_nothing_extracted (fixture);
}

static void
test_good_crafted_bundle_opens (Fixture      *fixture,
                                gconstpointer data)
{
  g_autofree char *manifest = manifest_for ("photos/01-x.jpg", "pixels");
  const Entry entries[] = {
    { "manifest.json", 0, manifest, -1 },
    { "photos/01-x.jpg", 0, "pixels", -1 },
  };
  g_autoptr(GBytes) tar = hostile_tar (entries, G_N_ELEMENTS (entries));
  g_autoptr(GBytes) sealed = encrypt (fixture, tar);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = open_into (fixture, sealed, &error);

  /* The control for the tests below: the same construction, honest. */
  g_assert_no_error (error);
  g_assert_nonnull (folder);
}

static void
test_unsafe_entries (Fixture      *fixture,
                     gconstpointer data)
{
  static const char *bad_paths[] = {
    "../../etc/passwd", "/etc/passwd", "photos/../../x", "photos//x", "./x", "photos\\x",
  };
  g_autofree char *long_name = g_strnfill (300, 'a');
  g_autofree char *long_path = g_strconcat ("photos/", long_name, NULL);
  g_autofree char *manifest = manifest_for ("photos/01-x.jpg", "pixels");

  for (guint i = 0; i < G_N_ELEMENTS (bad_paths); i++)
    {
      const Entry entries[] = {
        { "manifest.json", 0, manifest, -1 },
        { bad_paths[i], 0, "pixels", -1 },
      };
      assert_refused (fixture, entries, 2, PHOTOSEAL_FORMAT_ERROR_BUNDLE);
    }

  {
    const Entry entries[] = { { "manifest.json", 0, manifest, -1 },
                              { long_path, 0, "pixels", -1 } };
    assert_refused (fixture, entries, 2, PHOTOSEAL_FORMAT_ERROR_BUNDLE);
  }
  {
    const Entry entries[] = {
      { "manifest.json", 0, manifest, -1 },
      { "photos/01-x.jpg", AE_IFLNK, NULL, 0, "/etc/passwd" },
    };
    assert_refused (fixture, entries, 2, PHOTOSEAL_FORMAT_ERROR_BUNDLE);
  }
  {
    const int types[] = { AE_IFCHR, AE_IFBLK, AE_IFIFO, AE_IFDIR };

    for (guint i = 0; i < G_N_ELEMENTS (types); i++)
      {
        const Entry entries[] = {
          { "manifest.json", 0, manifest, -1 },
          { "photos/01-x.jpg", types[i], NULL, 0 },
        };
        assert_refused (fixture, entries, 2, PHOTOSEAL_FORMAT_ERROR_BUNDLE);
      }
  }
  {
    const Entry entries[] = { { "../manifest.json", 0, manifest, -1 } };
    assert_refused (fixture, entries, 1, PHOTOSEAL_FORMAT_ERROR_BUNDLE);
  }
}

static void
test_manifest_mismatches (Fixture      *fixture,
                          gconstpointer data)
{
  g_autofree char *manifest = manifest_for ("photos/01-x.jpg", "pixels");
  g_autofree char *other_path = manifest_for ("photos/02-y.jpg", "pixels");
  g_autofree char *longer = manifest_for ("photos/01-x.jpg", "pixels!");

  {
    const Entry entries[] = { { "manifest.json", 0, longer, -1 },
                              { "photos/01-x.jpg", 0, "pixels", -1 } };
    assert_refused (fixture, entries, 2, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  }
  {
    const Entry entries[] = { { "manifest.json", 0, other_path, -1 },
                              { "photos/01-x.jpg", 0, "pixels", -1 } };
    assert_refused (fixture, entries, 2, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  }
  {
    const Entry entries[] = { { "manifest.json", 0, manifest, -1 } };
    assert_refused (fixture, entries, 1, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  }
  {
    const Entry entries[] = {
      { "manifest.json", 0, manifest, -1 },
      { "photos/01-x.jpg", 0, "pixels", -1 },
      { "photos/02-extra.jpg", 0, "more", -1 },
    };
    assert_refused (fixture, entries, 3, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  }
  {
    const Entry entries[] = { { "photos/01-x.jpg", 0, "pixels", -1 },
                              { "manifest.json", 0, manifest, -1 } };
    assert_refused (fixture, entries, 2, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  }
}

static void
test_manifest_limits (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr(GString) huge = g_string_new ("{\"format\":\"photoseal\",\"version\":1,\"note\":\"");
  g_autoptr(GString) many = g_string_new (
    "{\"format\":\"photoseal\",\"version\":1,\"created\":\"2026-01-02T03:04:05Z\","
    "\"sender\":{},\"consent\":{\"obtained\":false},\"items\":[");

  for (guint i = 0; i < 1100 * 1024; i++)
    g_string_append_c (huge, 'x');
  g_string_append (huge, "\"}");
  {
    const Entry entries[] = { { "manifest.json", 0, huge->str, -1 } };
    assert_refused (fixture, entries, 1, PHOTOSEAL_FORMAT_ERROR_LIMIT);
  }

  for (guint i = 0; i < 10001; i++)
    g_string_append_printf (many, "%s{\"path\":\"photos/%u\",\"name\":\"x\",\"media_type\":\"x\","
                            "\"size\":0,\"metadata_removed\":false}", i ? "," : "", i);
  g_string_append (many, "]}");
  {
    const Entry entries[] = { { "manifest.json", 0, many->str, -1 } };
    assert_refused (fixture, entries, 1, PHOTOSEAL_FORMAT_ERROR_LIMIT);
  }
}

/* The only guard left once items carry no hash: the SHA-256 here is the
 * true one, so only the size disagrees. */
static void
test_size_only_mismatch (Fixture      *fixture,
                         gconstpointer data)
{
  static const gint64 sizes[] = { 0, 5, 7, 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *item = hostile_manifest_item ("photos/01-x.jpg", "x.jpg", "pixels",
                                                     sizes[i]);
      g_autofree char *manifest = hostile_manifest (item);
      const Entry entries[] = {
        { "manifest.json", 0, manifest, -1 },
        { "photos/01-x.jpg", 0, "pixels", -1 },
      };

      assert_refused (fixture, entries, 2, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
    }
}

/* 10,001 items in 30 KB: the item limit, not the size limit, refuses it. */
static void
test_item_limit (Fixture      *fixture,
                 gconstpointer data)
{
  g_autofree char *over = hostile_many_items (PHOTOSEAL_MANIFEST_MAX_ITEMS + 1);
  g_autofree char *at = hostile_many_items (PHOTOSEAL_MANIFEST_MAX_ITEMS);

  g_assert_cmpuint (strlen (over), <, 64 * 1024);
  {
    const Entry entries[] = { { "manifest.json", 0, over, -1 } };
    assert_refused (fixture, entries, 1, PHOTOSEAL_FORMAT_ERROR_LIMIT);
  }
  /* At the limit the count passes and the empty items are what is wrong. */
  {
    const Entry entries[] = { { "manifest.json", 0, at, -1 } };
    assert_refused (fixture, entries, 1, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  }
}

/* 300,000 levels in 600 KB once overflowed json-glib's stack. */
static void
test_deep_manifest (Fixture      *fixture,
                    gconstpointer data)
{
  g_autofree char *deep = hostile_deep_manifest (300000);
  g_autofree char *shallow = hostile_deep_manifest (PHOTOSEAL_JSON_MAX_DEPTH - 1);
  g_autoptr(GBytes) bytes = g_bytes_new (shallow, strlen (shallow));
  g_autoptr(GError) error = NULL;
  g_autoptr(PhotosealManifest) manifest = NULL;

  g_assert_cmpuint (strlen (deep), <, PHOTOSEAL_MANIFEST_MAX_SIZE);
  {
    const Entry entries[] = { { "manifest.json", 0, deep, -1 } };
    assert_refused (fixture, entries, 1, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  }
  /* Just inside the depth limit, the parser runs and finds other faults. */
  manifest = photoseal_manifest_new_from_bytes (bytes, &error);
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  g_assert_null (strstr (error->message, "nested"));
}

/* Takes @plain. */
static void
assert_plain_refused (Fixture *fixture,
                      GBytes  *plain)
{
  g_autoptr(GBytes) owned = plain;
  g_autoptr(GBytes) sealed = encrypt (fixture, owned);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = open_into (fixture, sealed, &error);

  g_assert_null (folder);
  g_assert_true (photoseal_format_error_is_damage (error));
  assert_nothing_extracted (fixture);
}

/* After the tar end marker only its record's zero padding may follow:
 * plaintext there would be authenticated yet shown by no tar reader. */
static void
test_after_tar_end (Fixture      *fixture,
                    gconstpointer data)
{
  g_autoptr(GBytes) sealed = hostile_psf ("after-tar-end", fixture->recipients, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = open_into (fixture, sealed, &error);
  g_autofree char *manifest = manifest_for ("photos/01-x.jpg", "pixels");
  const Entry entries[] = {
    { "manifest.json", 0, manifest, -1 },
    { "photos/01-x.jpg", 0, "pixels", -1 },
  };
  const Entry extra[] = { { "photos/02-extra.jpg", 0, "more", -1 } };
  g_autoptr(GBytes) tar = hostile_tar (entries, G_N_ELEMENTS (entries));
  g_autoptr(GBytes) second = hostile_tar (extra, 1);
  gsize len = g_bytes_get_size (tar);
  const guint8 *bytes = g_bytes_get_data (tar, NULL);
  gsize end = len;

  g_assert_null (folder);
  g_assert_true (photoseal_format_error_is_damage (error));
  assert_nothing_extracted (fixture);

  /* One byte, then a block and more, after the whole record. */
  for (gsize extra_len = 1; extra_len < 2000; extra_len += 599)
    {
      g_autoptr(GByteArray) longer = g_byte_array_new ();
      g_autofree char *text = g_strnfill (extra_len, 'A');

      g_byte_array_append (longer, bytes, len);
      g_byte_array_append (longer, (const guint8 *) text, extra_len);
      assert_plain_refused (fixture, g_byte_array_free_to_bytes (g_steal_pointer (&longer)));
    }
  /* Text inside the padding, after the end marker's two zero blocks. */
  while (end > 0 && bytes[end - 1] == 0)
    end--;
  end = (end + 511) / 512 * 512 + 1024;
  g_assert_cmpuint (end, <, len);
  {
    g_autofree guint8 *copy = g_memdup2 (bytes, len);

    memcpy (copy + end + 100, "rm -rf ~", 8);
    assert_plain_refused (fixture, g_bytes_new_take (g_steal_pointer (&copy), len));
  }
  /* A second archive after the first. */
  {
    g_autoptr(GByteArray) both = g_byte_array_new ();

    g_byte_array_append (both, bytes, len);
    g_byte_array_append (both, g_bytes_get_data (second, NULL), g_bytes_get_size (second));
    assert_plain_refused (fixture, g_byte_array_free_to_bytes (g_steal_pointer (&both)));
  }
}

static gboolean
tree_has_dotfile (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  for (const char *name; dir && (name = g_dir_read_name (dir));)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (name[0] == '.' || tree_has_dotfile (child))
        return TRUE;
    }
  return FALSE;
}

/* Export All writes item names: they are cleaned on reading as on sealing. */
static void
test_dotfile_names (Fixture      *fixture,
                    gconstpointer data)
{
  static const char *names[] = { ".bashrc", "../.bash_profile", " .profile", "a/.ssh", "..." };
  g_autoptr(GBytes) sealed = hostile_psf ("dotfile-names", fixture->recipients, NULL);
  g_autoptr(GBytes) dotted = hostile_psf ("dotfile-path", fixture->recipients, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *out = g_build_filename (fixture->dir, "out", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *item = hostile_manifest_item ("photos/01-x.jpg", names[i], "pixels", -1);
      g_autofree char *text = hostile_manifest (item);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(PhotosealManifest) manifest = photoseal_manifest_new_from_bytes (bytes, &error);
      g_autofree char *cleaned = photoseal_item_name_clean (names[i]);
      const char *name;

      g_assert_no_error (error);
      name = photoseal_manifest_get_item (manifest, 0)->name;
      g_assert_cmpstr (name, ==, cleaned);
      g_assert_true (name[0] != '.' && name[0] != ' ' && name[0] != '\0');
      g_assert_null (strchr (name, '/'));
    }

  folder = open_into (fixture, sealed, &error);
  g_assert_no_error (error);
  g_assert_false (tree_has_dotfile (out));
  g_clear_object (&folder);

  folder = open_into (fixture, dotted, &error);
  g_assert_null (folder);
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
}

/* Each guard on its own, not only behind the whole pipeline. */
static void
test_guards_directly (void)
{
  static const char *unsafe[] = {
    "", "/etc/passwd", "..", "../x", "photos/../../x", "a/../b", "photos/..", ".", "./x",
    "photos/.", "photos//x", "photos/", "photos\\x", "photos/\x01", "photos/\x7f",
    "photos/\n", "bad\xff", "photos/.bashrc", ".ssh/authorized_keys",
  };
  static const guint bad_types[] = { AE_IFDIR, AE_IFLNK, AE_IFCHR, AE_IFBLK, AE_IFIFO, AE_IFSOCK };
  g_autofree char *long_component = g_strnfill (256, 'a');
  g_autofree char *long_path = g_strnfill (4097, 'a');

  for (guint i = 0; i < G_N_ELEMENTS (unsafe); i++)
    if (photoseal_bundle_path_is_safe (unsafe[i]))
      g_error ("“%s” passed as a safe path", unsafe[i]);
  g_assert_false (photoseal_bundle_path_is_safe (NULL));
  g_assert_false (photoseal_bundle_path_is_safe (long_component));
  g_assert_false (photoseal_bundle_path_is_safe (long_path));
  g_assert_true (photoseal_bundle_path_is_safe ("photos/01-x.jpg"));
  g_assert_true (photoseal_bundle_path_is_safe ("manifest.json"));

  for (guint i = 0; i < G_N_ELEMENTS (bad_types); i++)
    g_assert_false (photoseal_bundle_entry_type_is_safe (bad_types[i], NULL, FALSE));
  g_assert_false (photoseal_bundle_entry_type_is_safe (AE_IFREG, "/etc/passwd", FALSE));
  g_assert_false (photoseal_bundle_entry_type_is_safe (AE_IFREG, NULL, TRUE));
  g_assert_true (photoseal_bundle_entry_type_is_safe (AE_IFREG, NULL, FALSE));
}

static char *
make_partial (const char *parent,
              const char *name,
              gint64      age_seconds)
{
  g_autofree char *path = g_build_filename (parent, name, NULL);
  g_autofree char *photos = g_build_filename (path, "photos", NULL);
  g_autofree char *photo = g_build_filename (photos, "01-x.jpg", NULL);
  struct timespec times[2] = { { time (NULL) - age_seconds, 0 }, { time (NULL) - age_seconds, 0 } };

  g_assert_cmpint (g_mkdir_with_parents (photos, 0700), ==, 0);
  g_assert_true (g_file_set_contents (photo, "decrypted", -1, NULL));
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW), ==, 0);
  return g_steal_pointer (&path);
}

/* A killed `psf open` leaves its partial folder behind; the next
 * extraction into the same folder removes it, and only it. */
static void
test_sweep_stale (Fixture      *fixture,
                  gconstpointer data)
{
  g_autofree char *out = g_build_filename (fixture->dir, "out", NULL);
  g_autofree char *stale = make_partial (out, ".photoseal-partial.x.Ab12Cd", 3600);
  g_autofree char *held = make_partial (out, ".photoseal-partial.x.Held00", 3600);
  g_autofree char *young = make_partial (out, ".photoseal-partial.x.Young0", 0);
  g_autofree char *foreign = make_partial (out, ".x.Ab12Cd", 3600);
  g_autofree char *target = make_partial (fixture->dir, "target", 3600);
  g_autofree char *link = g_build_filename (out, ".photoseal-partial.x.Link00", NULL);
  g_autoptr(GBytes) sealed = small_sealed_file (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;
  int held_fd = open (held, O_RDONLY | O_DIRECTORY);

  /* Another run, still writing, holds the lock on its folder. */
  g_assert_cmpint (flock (held_fd, LOCK_EX), ==, 0);
  g_assert_cmpint (symlink (target, link), ==, 0);

  folder = open_into (fixture, sealed, &error);
  g_assert_no_error (error);

  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (held, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (young, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (foreign, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (target, G_FILE_TEST_IS_DIR));
  close (held_fd);
}

/* Manifest parsing *****************************************************/

static void
assert_manifest_error (const char *json,
                       int         code)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(PhotosealManifest) manifest = photoseal_manifest_new_from_bytes (bytes, &error);

  g_assert_null (manifest);
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, code);
}

static void
test_manifest_parse (void)
{
  g_autofree char *good = manifest_for ("photos/01-x.jpg", "pixels");
  g_autoptr(GBytes) bytes = g_bytes_new (good, strlen (good));
  g_autoptr(GError) error = NULL;
  g_autoptr(PhotosealManifest) manifest = photoseal_manifest_new_from_bytes (bytes, &error);
  g_autoptr(GBytes) again = NULL;
  g_autoptr(PhotosealManifest) reparsed = NULL;
  g_autofree char *wrong_version = NULL;
  g_autofree char *string_size = NULL;
  g_autofree char *dotdot = NULL;

  g_assert_no_error (error);
  g_assert_true (photoseal_manifest_get_consent_obtained (manifest));

  /* Setting a field from its own getter keeps it. */
  photoseal_manifest_set_sender (manifest, photoseal_manifest_get_sender_name (manifest),
                                 "new@example.org");
  g_assert_cmpstr (photoseal_manifest_get_sender_name (manifest), ==, "A");
  g_assert_cmpstr (photoseal_manifest_get_sender_email (manifest), ==, "new@example.org");
  g_assert_cmpstr (photoseal_manifest_get_consent_method (manifest), ==, "verbal");
  g_assert_false (photoseal_manifest_has_patient (manifest));

  again = photoseal_manifest_to_bytes (manifest, &error);
  g_assert_no_error (error);
  reparsed = photoseal_manifest_new_from_bytes (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photoseal_manifest_get_item (reparsed, 0)->size, ==, 6);
  /* Writers no longer give a checksum: the payload's AEAD covers every byte. */
  g_assert_null (g_strstr_len (g_bytes_get_data (again, NULL), g_bytes_get_size (again), "sha256"));

  assert_manifest_error ("{\"format\":", PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  assert_manifest_error ("[]", PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  assert_manifest_error ("{\"format\":\"zip\",\"version\":1}", PHOTOSEAL_FORMAT_ERROR_MANIFEST);

  wrong_version = g_strdup (good);
  memcpy (strstr (wrong_version, "\"version\":1") + 10, "2", 1);
  assert_manifest_error (wrong_version, PHOTOSEAL_FORMAT_ERROR_UNSUPPORTED);

  /* JSON types are strict: a size given as a string is refused. */
  {
    g_autoptr(GString) text = g_string_new (good);

    g_assert_cmpuint (g_string_replace (text, "\"size\":6", "\"size\":\"6\"", 1), ==, 1);
    string_size = g_string_free (g_steal_pointer (&text), FALSE);
  }
  assert_manifest_error (string_size, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  assert_manifest_error ("{\"format\":\"photoseal\",\"version\":\"1\"}",
                         PHOTOSEAL_FORMAT_ERROR_MANIFEST);

  dotdot = manifest_for ("photos/../../etc/passwd", "pixels");
  assert_manifest_error (dotdot, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
}

static char *
manifest_with (const char *from,
               const char *to)
{
  g_autofree char *good = manifest_for ("photos/01-x.jpg", "pixels");
  g_autoptr(GString) text = g_string_new (good);

  g_assert_cmpuint (g_string_replace (text, from, to, 1), ==, 1);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static PhotosealManifest *
reparse (PhotosealManifest *manifest)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = photoseal_manifest_to_bytes (manifest, &error);
  PhotosealManifest *again;

  g_assert_no_error (error);
  again = photoseal_manifest_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  return again;
}

/* Consent v1.1: purposes and "no patient details" survive a round trip;
 * an old file without them opens; unknown values are refused. */
static void
test_manifest_consent (void)
{
  const char *purposes[] = { "care", "publication", NULL };
  g_autoptr(PhotosealManifest) manifest = photoseal_manifest_new ();
  g_autoptr(PhotosealManifest) again = NULL;
  g_autoptr(PhotosealManifest) anonymous = NULL;
  g_autoptr(PhotosealManifest) old = NULL;
  g_autofree char *old_json = manifest_for ("photos/01-x.jpg", "pixels");
  g_autoptr(GBytes) old_bytes = g_bytes_new (old_json, strlen (old_json));
  g_autofree char *described = NULL;
  g_autofree char *unknown_purpose = NULL;
  g_autofree char *twice = NULL;
  g_autofree char *unknown_method = NULL;
  g_autofree char *contradiction = NULL;

  photoseal_manifest_set_patient (manifest, "Jo", "MRN-1", NULL);
  photoseal_manifest_set_consent (manifest, TRUE, "written", NULL);
  photoseal_manifest_set_consent_purposes (manifest, purposes);
  again = reparse (manifest);
  g_assert_cmpstrv (photoseal_manifest_get_consent_purposes (again), purposes);
  g_assert_false (photoseal_manifest_get_no_patient_details (again));
  described = photoseal_manifest_describe_purposes (again);
  g_assert_cmpstr (described, ==, "clinical care, publication");

  photoseal_manifest_set_no_patient_details (manifest, TRUE);
  photoseal_manifest_set_consent (manifest, FALSE, "not_needed", NULL);
  anonymous = reparse (manifest);
  g_assert_true (photoseal_manifest_get_no_patient_details (anonymous));
  g_assert_false (photoseal_manifest_has_patient (anonymous));
  g_assert_cmpstr (photoseal_manifest_get_consent_method (anonymous), ==, "not_needed");

  old = photoseal_manifest_new_from_bytes (old_bytes, NULL);
  g_assert_nonnull (old);
  g_assert_cmpuint (g_strv_length ((char **) photoseal_manifest_get_consent_purposes (old)), ==, 0);
  g_assert_null (photoseal_manifest_describe_purposes (old));

  unknown_purpose = manifest_with ("\"method\":\"verbal\"",
                                   "\"method\":\"verbal\",\"purposes\":[\"care\",\"marketing\"]");
  assert_manifest_error (unknown_purpose, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  twice = manifest_with ("\"method\":\"verbal\"",
                         "\"method\":\"verbal\",\"purposes\":[\"care\",\"care\"]");
  assert_manifest_error (twice, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  unknown_method = manifest_with ("\"method\":\"verbal\"", "\"method\":\"implied\"");
  assert_manifest_error (unknown_method, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
  contradiction = manifest_with ("\"consent\"",
                                 "\"no_patient_details\":true,\"patient\":{\"name\":\"Jo\"},"
                                 "\"consent\"");
  assert_manifest_error (contradiction, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
}

/* The reader's limits hold for the writer too (issue 11, item 13): a
 * manifest that would be refused when opening is never written. */
static void
test_manifest_write_limits (void)
{
  g_autoptr(PhotosealManifest) manifest = photoseal_manifest_new ();
  g_autofree char *long_name = g_strnfill (200, 'n');
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 6000; i++)
    {
      g_autofree char *name = g_strdup_printf ("IMG_%04u.jpg", i);
      g_autofree char *path = photoseal_bundle_path_for_item (i, name);
      PhotosealManifestItem item = { path, name, (char *) "image/jpeg", 3000000, TRUE };

      photoseal_manifest_add_item (manifest, &item);
    }
  bytes = photoseal_manifest_to_bytes (manifest, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), <=, PHOTOSEAL_MANIFEST_MAX_SIZE);
  /* Compact: no indentation or line breaks. */
  g_assert_null (memchr (g_bytes_get_data (bytes, NULL), '\n', g_bytes_get_size (bytes)));
  g_clear_pointer (&bytes, g_bytes_unref);

  photoseal_manifest_clear_items (manifest);
  for (guint i = 0; i < 6000; i++)
    {
      g_autofree char *path = photoseal_bundle_path_for_item (i, long_name);
      PhotosealManifestItem item = { path, long_name, (char *) "image/jpeg", 3000000, TRUE };

      photoseal_manifest_add_item (manifest, &item);
    }
  bytes = photoseal_manifest_to_bytes (manifest, &error);
  g_assert_null (bytes);
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_LIMIT);
  g_clear_error (&error);

  photoseal_manifest_clear_items (manifest);
  for (guint i = 0; i <= PHOTOSEAL_MANIFEST_MAX_ITEMS; i++)
    {
      PhotosealManifestItem item = { (char *) "photos/x", (char *) "x", (char *) "x", 0, FALSE };

      photoseal_manifest_add_item (manifest, &item);
    }
  bytes = photoseal_manifest_to_bytes (manifest, &error);
  g_assert_null (bytes);
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_LIMIT);
}

/* Files sealed before format v1.1 list a sha256 per item; it is ignored. */
static void
test_manifest_old_checksum_ignored (void)
{
  g_autofree char *good = manifest_for ("photos/01-x.jpg", "pixels");
  g_autoptr(GString) text = g_string_new (good);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhotosealManifest) manifest = NULL;

  g_string_replace (text, "\"size\":6,", "\"size\":6,\"sha256\":\"not even hex\",", 1);
  bytes = g_bytes_new (text->str, text->len);
  manifest = photoseal_manifest_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photoseal_manifest_get_item (manifest, 0)->size, ==, 6);
}

static void
test_bundle_paths (void)
{
  static const struct { const char *name; const char *path; } cases[] = {
    { "IMG_0001.JPG", "photos/01-IMG_0001.JPG" },
    { "../../etc/passwd", "photos/01-passwd" },
    { ".hidden", "photos/01-hidden" },
    { "a\tb\nc.jpg", "photos/01-a_b_c.jpg" },
    { "...", "photos/01-item" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = photoseal_bundle_path_for_item (0, cases[i].name);

      g_assert_cmpstr (path, ==, cases[i].path);
      g_assert_true (photoseal_bundle_path_is_safe (path));
    }

  g_assert_false (photoseal_bundle_path_is_safe (""));
  g_assert_false (photoseal_bundle_path_is_safe ("a/../b"));
  g_assert_false (photoseal_bundle_path_is_safe ("/abs"));
  g_assert_false (photoseal_bundle_path_is_safe ("a//b"));
  g_assert_false (photoseal_bundle_path_is_safe ("a/\x01"));
  g_assert_false (photoseal_bundle_path_is_safe ("bad\xff"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  photoseal_crypto_init ();
  /* A reader that stops early makes the pipe writer's write() fail. */
  signal (SIGPIPE, SIG_IGN);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/bundle/round-trip", test_round_trip);
  ADD ("/bundle/one-pass", test_one_pass);
  ADD ("/bundle/many-items", test_many_items);
  ADD ("/bundle/changed-while-sealing", test_changed_while_sealing);
  ADD ("/bundle/every-byte-flip", test_every_byte_flip);
  ADD ("/bundle/every-truncation", test_every_truncation);
  ADD ("/bundle/wrong-key", test_wrong_key);
  ADD ("/bundle/crafted/control", test_good_crafted_bundle_opens);
  ADD ("/bundle/crafted/unsafe-entries", test_unsafe_entries);
  ADD ("/bundle/crafted/manifest-mismatches", test_manifest_mismatches);
  ADD ("/bundle/crafted/manifest-limits", test_manifest_limits);
  ADD ("/bundle/crafted/size-only-mismatch", test_size_only_mismatch);
  ADD ("/bundle/crafted/item-limit", test_item_limit);
  ADD ("/bundle/crafted/deep-manifest", test_deep_manifest);
  ADD ("/bundle/crafted/after-tar-end", test_after_tar_end);
  ADD ("/bundle/crafted/dotfile-names", test_dotfile_names);
  ADD ("/bundle/extraction/sweep-stale", test_sweep_stale);
#undef ADD
  g_test_add_func ("/bundle/guards-directly", test_guards_directly);
  g_test_add_func ("/manifest/parse", test_manifest_parse);
  g_test_add_func ("/manifest/consent", test_manifest_consent);
  g_test_add_func ("/manifest/bundle-paths", test_bundle_paths);
  g_test_add_func ("/manifest/write-limits", test_manifest_write_limits);
  g_test_add_func ("/manifest/old-checksum-ignored", test_manifest_old_checksum_ignored);

  return g_test_run ();
}
