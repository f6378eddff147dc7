/* test-conformance.c: the public age test kit (C2SP CCTV) against our reader
 *
 * Every vector is decrypted with the identities or passphrases it names; the
 * outcome class and the SHA-256 of all plaintext released (also before a
 * failure) must match. Hybrid post-quantum vectors and armored ones are
 * outside what a .psf uses and are counted as skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sodium.h>

#include "photoseal.h"

typedef struct
{
  char *expect;
  char *payload;
  gboolean armored;
  gboolean compressed;
  gboolean hybrid;
  GPtrArray *identities;
  GBytes *body;
} Vector;

static void
vector_free (Vector *vector)
{
  g_free (vector->expect);
  g_free (vector->payload);
  g_clear_pointer (&vector->identities, g_ptr_array_unref);
  g_clear_pointer (&vector->body, g_bytes_unref);
  g_free (vector);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Vector, vector_free)

static GBytes *
inflate (const guint8 *data,
         gsize         len)
{
  g_autoptr(GZlibDecompressor) zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_data (data, len, NULL);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (raw, G_CONVERTER (zlib));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static Vector *
vector_load (const char *path)
{
  g_autoptr(Vector) vector = g_new0 (Vector, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  const char *p;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  vector->identities = g_ptr_array_new_with_free_func (g_object_unref);
  vector->hybrid = strstr (path, "hybrid") != NULL;

  for (p = contents; *p != '\n';)
    {
      const char *nl = strchr (p, '\n');
      g_autofree char *line = g_strndup (p, nl - p);
      const char *value = strstr (line, ": ") ? strstr (line, ": ") + 2 : "";

      if (g_str_has_prefix (line, "expect: "))
        vector->expect = g_strdup (value);
      else if (g_str_has_prefix (line, "payload: "))
        vector->payload = g_strdup (value);
      else if (g_str_has_prefix (line, "armored: "))
        vector->armored = g_str_equal (value, "yes");
      else if (g_str_has_prefix (line, "compressed: "))
        vector->compressed = g_str_equal (value, "zlib");
      else if (g_str_has_prefix (line, "passphrase: "))
        g_ptr_array_add (vector->identities, photoseal_scrypt_identity_new (value));
      else if (g_str_has_prefix (line, "identity: AGE-SECRET-KEY-1"))
        {
          PhotosealX25519Identity *identity = photoseal_x25519_identity_parse (value, &error);

          g_assert_no_error (error);
          g_ptr_array_add (vector->identities, identity);
        }
      else if (g_str_has_prefix (line, "identity: "))
        vector->hybrid = TRUE;
      p = nl + 1;
    }
  p++;

  if (vector->compressed)
    vector->body = inflate ((const guint8 *) p, len - (p - contents));
  else
    vector->body = g_bytes_new (p, len - (p - contents));

  return g_steal_pointer (&vector);
}

static const char *
classify_open_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == PHOTOSEAL_FORMAT_ERROR);

  switch (error->code)
    {
    case PHOTOSEAL_FORMAT_ERROR_NO_MATCH:
      return "no match";
    case PHOTOSEAL_FORMAT_ERROR_HEADER_MAC:
      return "HMAC failure";
    case PHOTOSEAL_FORMAT_ERROR_HEADER:
    case PHOTOSEAL_FORMAT_ERROR_UNSUPPORTED:
    case PHOTOSEAL_FORMAT_ERROR_LIMIT:
      return "header failure";
    default:
      g_error ("unexpected error: %s", error->message);
    }
}

static void
test_vector (gconstpointer data)
{
  const char *path = data;
  g_autoptr(Vector) vector = vector_load (path);
  g_autoptr(GInputStream) file = NULL;
  g_autoptr(GInputStream) plain = NULL;
  g_autoptr(GError) error = NULL;
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  crypto_hash_sha256_state sha;
  guint8 digest[crypto_hash_sha256_BYTES];
  const char *outcome = "success";

  if (vector->hybrid)
    {
      g_test_skip ("post-quantum hybrid recipients are not used by .psf files");
      return;
    }
  if (vector->armored)
    {
      g_test_skip ("ASCII armor is not used by .psf files");
      return;
    }

  crypto_hash_sha256_init (&sha);
  file = g_memory_input_stream_new_from_bytes (vector->body);
  plain = photoseal_age_input_stream_new (file, vector->identities, NULL, &error);
  if (plain == NULL)
    outcome = classify_open_error (error);
  else
    {
      guint8 buf[10000];
      gssize n;

      while ((n = g_input_stream_read (plain, buf, sizeof buf, NULL, &error)) > 0)
        crypto_hash_sha256_update (&sha, buf, n);
      if (n < 0)
        {
          g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_PAYLOAD);
          outcome = "payload failure";
        }
    }

  g_assert_cmpstr (outcome, ==, vector->expect);

  if (vector->payload != NULL)
    {
      crypto_hash_sha256_final (&sha, digest);
      sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
      g_assert_cmpstr (hex, ==, vector->payload);
    }
}

static void
test_testkit_missing (void)
{
  g_test_skip ("configure with -Dage_testkit=PATH to run the age test vectors");
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

int
main (int   argc,
      char *argv[])
{
  const char *testkit = g_getenv ("PHOTOSEAL_AGE_TESTKIT");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;

  g_test_init (&argc, &argv, NULL);

  if (testkit == NULL || *testkit == '\0')
    {
      g_test_add_func ("/conformance/testkit-missing", test_testkit_missing);
      return g_test_run ();
    }

  dir = g_dir_open (testkit, 0, NULL);
  g_assert_nonnull (dir);
  for (const char *name; (name = g_dir_read_name (dir));)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, >, 0);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/conformance/%s", name);

      g_test_add_data_func_full (test_path, g_build_filename (testkit, name, NULL),
                                 test_vector, g_free);
    }

  return g_test_run ();
}
