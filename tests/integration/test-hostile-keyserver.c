/* test-hostile-keyserver.c: the key-server client and psf against a server
 * that answers badly (tests/hostile-keyserver.py)
 *
 * Each bad answer must end in a clear error: no crash, no hang past the
 * request deadline, no memory growth with the size of the answer.
 *
 *   test-hostile-keyserver PYTHON HOSTILE-KEYSERVER.PY PSF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "photoseal.h"

#define DEADLINE 3
/* Well above what the test itself needs, far below an answer read whole. */
#define MAX_RSS_KIB (200 * 1024)

static const char *python;
static const char *fixture_script;
static const char *psf;
static GSubprocess *server;
static GHashTable *ports;

static void
start_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  char *line;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &error, python, fixture_script, NULL);
  g_assert_no_error (error);
  ports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      g_auto(GStrv) fields = g_strsplit (line, " ", 2);

      g_free (line);
      if (g_str_equal (fields[0], "ready"))
        return;
      g_hash_table_insert (ports, g_strdup (fields[0]), GUINT_TO_POINTER (atoi (fields[1])));
    }
  g_error ("the hostile key server did not start: %s", error ? error->message : "no output");
}

static char *
origin_for (const char *mode)
{
  guint port = GPOINTER_TO_UINT (g_hash_table_lookup (ports, mode));

  g_assert_cmpuint (port, >, 0);
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

static PhotosealKeyserverClient *
client_for (const char *mode)
{
  g_autofree char *origin = origin_for (mode);
  g_autoptr(GError) error = NULL;
  PhotosealKeyserverClient *client = photoseal_keyserver_client_new (origin, &error);
  guint8 device_key[PHOTOSEAL_DEVICE_KEY_SIZE] = { 1 };

  g_assert_no_error (error);
  photoseal_keyserver_client_set_deadline (client, DEADLINE);
  photoseal_keyserver_client_set_session (client, "not-a-real-token", device_key);
  return client;
}

static glong
max_rss_kib (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_maxrss;
}

/* list_keys, release and sign_in against one bad server: each fails with
 * @code, quickly, without the process growing. */
static void
expect_failure (const char *mode,
                int         code,
                gint64      max_seconds)
{
  g_autoptr(PhotosealKeyserverClient) client = client_for (mode);
  g_autoptr(GListModel) keys = NULL;
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  keys = photoseal_keyserver_client_list_keys (client, NULL, &error);
  g_assert_null (keys);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, code);
  g_test_message ("%s: list_keys: %s", mode, error->message);
  g_clear_error (&error);

  key = photoseal_keyserver_client_release (client, "AAECAwQFBgcICQoLDA0ODw", "ABCDE-FGHJK", NULL,
                                            &error);
  g_assert_null (key);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, code);
  g_clear_error (&error);

  g_assert_false (photoseal_keyserver_client_sign_in (client, "a@b", "correct horse", "x", NULL,
                                                      &error));
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, code);

  g_assert_cmpint ((g_get_monotonic_time () - start) / G_USEC_PER_SEC, <=, max_seconds);
  g_assert_cmpint (max_rss_kib (RUSAGE_SELF), <, MAX_RSS_KIB);
}

static void
test_good (void)
{
  g_autoptr(PhotosealKeyserverClient) client = client_for ("good");
  g_autoptr(GListModel) keys = NULL;
  g_autoptr(GError) error = NULL;

  keys = photoseal_keyserver_client_list_keys (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (keys), ==, 0);
}

static void
test_deep (void)
{
  expect_failure ("deep", PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL, 3 * DEADLINE);
}

static void
test_deep_error (void)
{
  expect_failure ("deep-error", PHOTOSEAL_KEYSERVER_ERROR_FAILED, 3 * DEADLINE);
}

static void
test_huge (void)
{
  expect_failure ("huge", PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL, 3 * DEADLINE);
}

static void
test_huge_declared (void)
{
  /* Refused on the header, not after the deadline. */
  expect_failure ("huge-declared", PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL, DEADLINE);
}

static void
test_slow (void)
{
  expect_failure ("slow", PHOTOSEAL_KEYSERVER_ERROR_UNREACHABLE, 3 * DEADLINE + 3);
}

static void
test_silent (void)
{
  expect_failure ("silent", PHOTOSEAL_KEYSERVER_ERROR_UNREACHABLE, 3 * DEADLINE + 3);
}

static void
test_wrong (void)
{
  expect_failure ("wrong", PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL, 3 * DEADLINE);
}

static void
test_html (void)
{
  expect_failure ("html", PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL, 3 * DEADLINE);
}

/* The redirect leads to a server that answers well: following it would
 * succeed, and would have sent the token and signature there. */
static void
test_redirect (void)
{
  expect_failure ("redirect", PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL, 3 * DEADLINE);
}

/* A file whose photoseal stanza names the hostile server: psf open with
 * an access code asks it, and must fail in one line. */
static void
psf_open_against (const char *mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("photoseal-hostile-XXXXXX", &error);
  g_autofree char *file = g_build_filename (dir, "x.psf", NULL);
  g_autofree char *origin = origin_for (mode);
  g_autofree char *header = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  const char *zeros = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  gint64 start = g_get_monotonic_time ();

  header = g_strdup_printf ("age-encryption.org/v1\n-> photoseal AAECAwQFBgcICQoLDA0ODw %s\n%s\n"
                            "--- %s\n", origin, zeros, zeros);
  g_file_set_contents (file, header, -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "PHOTOSEAL_KEYSERVER_DEADLINE", "3", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, psf, "open", "--access-code",
                                         "ABCDE-FGHJK", "-o", dir, file, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_test_message ("psf open against %s: %s", mode, err);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_true (g_str_has_prefix (err, "psf: "));
  g_assert_cmpint (strchr (err, '\n') - err, ==, strlen (err) - 1);
  g_assert_cmpint ((g_get_monotonic_time () - start) / G_USEC_PER_SEC, <=, DEADLINE + 3);
  g_assert_cmpint (max_rss_kib (RUSAGE_CHILDREN), <, MAX_RSS_KIB);

  g_remove (file);
  g_rmdir (dir);
}

static void
test_psf (void)
{
  static const char * const modes[] = { "deep", "huge", "huge-declared", "slow", "wrong",
                                        "redirect" };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    psf_open_against (modes[i]);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  photoseal_crypto_init ();
  if (argc != 4)
    g_error ("usage: test-hostile-keyserver PYTHON HOSTILE-KEYSERVER.PY PSF");
  python = argv[1];
  fixture_script = argv[2];
  psf = argv[3];
  start_server ();

  g_test_add_func ("/hostile-keyserver/good", test_good);
  g_test_add_func ("/hostile-keyserver/deep", test_deep);
  g_test_add_func ("/hostile-keyserver/deep-error", test_deep_error);
  g_test_add_func ("/hostile-keyserver/huge", test_huge);
  g_test_add_func ("/hostile-keyserver/huge-declared", test_huge_declared);
  g_test_add_func ("/hostile-keyserver/slow", test_slow);
  g_test_add_func ("/hostile-keyserver/silent", test_silent);
  g_test_add_func ("/hostile-keyserver/wrong", test_wrong);
  g_test_add_func ("/hostile-keyserver/html", test_html);
  g_test_add_func ("/hostile-keyserver/redirect", test_redirect);
  g_test_add_func ("/hostile-keyserver/psf", test_psf);
  status = g_test_run ();

  g_output_stream_close (g_subprocess_get_stdin_pipe (server), NULL, NULL);
  g_subprocess_wait (server, NULL, NULL);
  g_clear_object (&server);
  g_hash_table_unref (ports);
  return status;
}
