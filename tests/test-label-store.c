/* test-label-store.c: the local label store, sealed at rest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "photoseal.h"

typedef struct
{
  char *dir;
  GFile *file;
  guint8 key[PHOTOSEAL_LABEL_KEY_SIZE];
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("photoseal-labels-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  /* A folder that does not exist yet: save makes it. */
  path = g_build_filename (fixture->dir, "photoseal", "labels", NULL);
  fixture->file = g_file_new_for_path (path);
  randombytes_buf (fixture->key, sizeof fixture->key);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_file_get_path (fixture->file);
  g_autofree char *folder = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (folder);
  g_rmdir (fixture->dir);
  g_clear_object (&fixture->file);
  g_free (fixture->dir);
}

static void
save_one (Fixture *fixture)
{
  g_autoptr(PhotosealLabelStore) store = photoseal_label_store_new (fixture->file, fixture->key);
  g_autoptr(GDateTime) sealed = g_date_time_new_utc (2026, 12, 5, 18, 26, 0);
  g_autoptr(GError) error = NULL;
  PhotosealLabel label = { (char *) "AAECAwQFBgcICQoLDA0ODw", (char *) "Jane Roe",
                           (char *) "MRN-004", (char *) "wound.psf", 3, sealed };

  g_assert_true (photoseal_label_store_load (store, &error));
  g_assert_no_error (error);
  photoseal_label_store_add (store, &label);
  g_assert_true (photoseal_label_store_save (store, &error));
  g_assert_no_error (error);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PhotosealLabelStore) store = photoseal_label_store_new (fixture->file, fixture->key);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (fixture->file);
  g_autofree char *contents = NULL;
  gsize len = 0;
  const PhotosealLabel *label;
  struct stat st;

  save_one (fixture);
  g_assert_true (photoseal_label_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (photoseal_label_store_get_n_labels (store), ==, 1);
  label = photoseal_label_store_lookup (store, "AAECAwQFBgcICQoLDA0ODw");
  g_assert_nonnull (label);
  g_assert_cmpstr (label->patient_name, ==, "Jane Roe");
  g_assert_cmpstr (label->patient_identifier, ==, "MRN-004");
  g_assert_cmpstr (label->file_name, ==, "wound.psf");
  g_assert_cmpuint (label->n_photos, ==, 3);
  g_assert_cmpint (g_date_time_to_unix (label->sealed), ==, 1796495160);
  g_assert_null (photoseal_label_store_lookup (store, "unknown"));

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpint (contents[0], ==, PHOTOSEAL_LABEL_STORE_VERSION);
  g_assert_null (g_strstr_len (contents, len, "Jane"));
  g_assert_null (g_strstr_len (contents, len, "MRN-004"));
  g_assert_null (g_strstr_len (contents, len, "wound"));
}

static void
assert_refused (Fixture      *fixture,
                const guint8 *key)
{
  g_autoptr(PhotosealLabelStore) store = photoseal_label_store_new (fixture->file, key);
  g_autoptr(GError) error = NULL;

  g_assert_false (photoseal_label_store_load (store, &error));
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_PAYLOAD);
  g_assert_cmpuint (photoseal_label_store_get_n_labels (store), ==, 0);
}

static void
test_tampered (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = g_file_get_path (fixture->file);
  g_autofree char *contents = NULL;
  gsize len = 0;

  save_one (fixture);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  /* The version byte, the nonce, the ciphertext and the tag each count. */
  for (gsize at = 0; at < len; at += 7)
    {
      contents[at] ^= 0x01;
      g_assert_true (g_file_set_contents (path, contents, len, NULL));
      assert_refused (fixture, fixture->key);
      contents[at] ^= 0x01;
    }
  g_assert_true (g_file_set_contents (path, contents, len - 1, NULL));
  assert_refused (fixture, fixture->key);
  g_assert_true (g_file_set_contents (path, contents, 3, NULL));
  assert_refused (fixture, fixture->key);
}

static void
test_wrong_key (Fixture       *fixture,
                gconstpointer  data)
{
  guint8 other[PHOTOSEAL_LABEL_KEY_SIZE];

  save_one (fixture);
  memcpy (other, fixture->key, sizeof other);
  other[0] ^= 0x80;
  assert_refused (fixture, other);
}

static void
test_missing_is_empty (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PhotosealLabelStore) store = photoseal_label_store_new (fixture->file, fixture->key);
  g_autoptr(GError) error = NULL;

  g_assert_true (photoseal_label_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (photoseal_label_store_get_n_labels (store), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  g_test_add ("/label-store/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/label-store/tampered", Fixture, NULL, fixture_set_up, test_tampered,
              fixture_tear_down);
  g_test_add ("/label-store/wrong-key", Fixture, NULL, fixture_set_up, test_wrong_key,
              fixture_tear_down);
  g_test_add ("/label-store/missing-is-empty", Fixture, NULL, fixture_set_up,
              test_missing_is_empty, fixture_tear_down);
  return g_test_run ();
}
