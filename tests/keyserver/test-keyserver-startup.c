/* test-keyserver-startup.c: what the server needs to start, and refuses
 *
 * The master key decides whether every stored key can be opened: where
 * the server finds it (a symlink, systemd's credentials folder), and
 * when it refuses to start rather than guess.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "keyserver-fixture.h"

static char *
make_key_file (const char *dir,
               const char *name,
               int         mode)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  guint8 key[32];
  g_autoptr(GError) error = NULL;

  randombytes_buf (key, sizeof key);
  g_file_set_contents (path, (const char *) key, sizeof key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
  return g_steal_pointer (&path);
}

/* Runs the server with @args (NULL-terminated) and expects it to refuse
 * to start: returns what it printed on standard error. */
static char *
expect_refusal (const char *first_arg,
                ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *errors = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) "timeout");
  g_ptr_array_add (argv, (char *) "10");
  g_ptr_array_add (argv, (char *) g_getenv ("PHOTOSEAL_KEYSERVER"));
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &errors, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  /* 124: timeout ended a server that started after all. */
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  return g_steal_pointer (&errors);
}

static void
assert_healthy (KeyserverFixture *fixture)
{
  g_autoptr(Reply) health = keyserver_request (fixture, "GET", "/v1/health", NULL, NULL);

  g_assert_cmpuint (health->status, ==, 200);
}

/* Kubernetes secrets and systemd credentials are symlinks: one to a file
 * only the service can read is fine. */
static void
test_master_key_symlink_allowed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("photoseal-secret-XXXXXX", &error);
  g_autofree char *target = make_key_file (dir, "key-0400", 0400);
  g_autofree char *link = g_build_filename (dir, "master.key", NULL);
  const char *args[] = { "--master-key-file", link, NULL };
  KeyserverFixture fixture = { 0 };

  g_assert_cmpint (symlink ("key-0400", link), ==, 0);
  keyserver_fixture_start_full (&fixture, "open", args);
  assert_healthy (&fixture);
  keyserver_fixture_stop (&fixture);
  keyserver_remove_tree (dir);
}

/* What the symlink leads to is what counts: a key others can read is
 * refused, through a symlink or not. */
static void
test_master_key_symlink_to_readable_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("photoseal-secret-XXXXXX", &error);
  g_autofree char *target = make_key_file (dir, "key-0644", 0644);
  g_autofree char *link = g_build_filename (dir, "master.key", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *errors = NULL;

  g_assert_cmpint (symlink ("key-0644", link), ==, 0);
  errors = expect_refusal ("--data-dir", data_dir, "--master-key-file", link, NULL);
  g_assert_nonnull (strstr (errors, "master key"));
  g_assert_nonnull (strstr (errors, "only it can read"));
  keyserver_remove_tree (dir);
}

/* LoadCredential=master.key:… hands the key over in
 * $CREDENTIALS_DIRECTORY; none is made in the data folder then. */
static void
test_master_key_from_credentials_directory (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("photoseal-credentials-XXXXXX", &error);
  g_autofree char *key = make_key_file (dir, "master.key", 0400);
  g_autofree char *made = NULL;
  KeyserverFixture fixture = { 0 };

  g_setenv ("CREDENTIALS_DIRECTORY", dir, TRUE);
  keyserver_fixture_start (&fixture, "open");
  g_unsetenv ("CREDENTIALS_DIRECTORY");
  assert_healthy (&fixture);
  made = g_build_filename (fixture.data_dir, "master.key", NULL);
  g_assert_false (g_file_test (made, G_FILE_TEST_EXISTS));
  keyserver_fixture_stop (&fixture);
  keyserver_remove_tree (dir);
}

/* The demo's order: an administrator adds the first accounts to a new
 * data folder, then starts the server on it. The master key is made with
 * the first account (before, the folder then held data but no key, and
 * the server refused to start). */
static void
test_first_account_by_admin_makes_master_key (void)
{
  g_autofree char *dir = g_dir_make_tmp ("photoseal-startup-XXXXXX", NULL);
  g_autofree char *key = g_build_filename (dir, "master.key", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) admin = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_subprocess_launcher_setenv (launcher, "PHOTOSEAL_PASSWORD", "correct horse", TRUE);
  admin = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PHOTOSEAL_KEYSERVER"),
                                       "--data-dir", dir, "user", "add", "alice@example.org",
                                       NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (admin, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (key, G_FILE_TEST_IS_REGULAR));

  server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PHOTOSEAL_KEYSERVER"),
                                        "--listen", "127.0.0.1:0", "--data-dir", dir, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "listening on"));
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  keyserver_remove_tree (dir);
}

/* A server that has made its master key and holds an account, stopped
 * but with its data folder kept: returns that folder. */
static char *
used_data_dir (void)
{
  KeyserverFixture fixture = { 0 };
  g_autoptr(Reply) created = NULL;
  g_autoptr(GError) error = NULL;

  keyserver_fixture_start (&fixture, "open");
  created = keyserver_request (&fixture, "POST", "/v1/accounts", NULL,
                               "{\"email\":\"alice@example.org\",\"password\":\"correct horse\","
                               "\"name\":\"Alice\"}");
  g_assert_cmpuint (created->status, ==, 201);
  g_subprocess_send_signal (fixture.process, SIGTERM);
  g_subprocess_wait (fixture.process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture.process);
  g_clear_object (&fixture.session);
  g_clear_pointer (&fixture.log_path, g_free);
  g_clear_pointer (&fixture.base_url, g_free);
  g_clear_pointer (&fixture.registration, g_free);
  g_clear_pointer (&fixture.extra_args, g_strfreev);
  return g_steal_pointer (&fixture.data_dir);
}

/* Issue 11, item 7: with master.key gone, the server made a new one and
 * said it was healthy; every stored key then failed. */
static void
test_missing_master_key_refused (void)
{
  g_autofree char *dir = used_data_dir ();
  g_autofree char *key = g_build_filename (dir, "master.key", NULL);
  g_autofree char *errors = NULL;

  g_assert_cmpint (g_unlink (key), ==, 0);
  errors = expect_refusal ("--data-dir", dir, NULL);
  g_assert_nonnull (strstr (errors, "master key"));
  g_assert_nonnull (strstr (errors, "is missing"));
  g_assert_false (g_file_test (key, G_FILE_TEST_EXISTS));
  keyserver_remove_tree (dir);
}

/* A typo in --master-key-file is the same mistake. */
static void
test_mistyped_master_key_file_refused (void)
{
  g_autofree char *dir = used_data_dir ();
  g_autofree char *typo = g_build_filename (dir, "master.kye", NULL);
  g_autofree char *errors = expect_refusal ("--data-dir", dir, "--master-key-file", typo, NULL);

  g_assert_nonnull (strstr (errors, "is missing"));
  g_assert_false (g_file_test (typo, G_FILE_TEST_EXISTS));
  keyserver_remove_tree (dir);
}

/* Another key where the first was: SQLite keeps a check value too, as
 * PostgreSQL did, and it must open. Also for a database from before the
 * check value, which holds keys: the key must open one of them. */
static void
test_other_master_key_refused (void)
{
  g_autofree char *dir = used_data_dir ();
  g_autofree char *key = g_build_filename (dir, "master.key", NULL);
  g_autofree char *errors = NULL;

  g_assert_cmpint (g_unlink (key), ==, 0);
  g_free (make_key_file (dir, "master.key", 0600));
  errors = expect_refusal ("--data-dir", dir, NULL);
  g_assert_nonnull (strstr (errors, "not the one"));
  keyserver_remove_tree (dir);
}

/* Anyone may claim anyone's address under open registration: it stays on
 * this machine, and says so in the log. */
static void
test_open_registration_refused_off_loopback (void)
{
  /* A data dir of its own: the user's default one may hold anything. */
  g_autofree char *dir = g_dir_make_tmp ("photoseal-startup-XXXXXX", NULL);
  g_autofree char *errors = expect_refusal ("--registration", "open", "--listen", "0.0.0.0:0",
                                            "--data-dir", dir, NULL);
  KeyserverFixture fixture = { 0 };
  g_autofree char *log = NULL;

  g_assert_nonnull (strstr (errors, "registration open"));
  keyserver_remove_tree (dir);
  keyserver_fixture_start (&fixture, "open");
  log = keyserver_fixture_read_log (&fixture);
  g_assert_nonnull (strstr (log, "warning: registration is open"));
  keyserver_fixture_stop (&fixture);
}

static void
test_verified_registration_needs_relay (void)
{
  g_autofree char *errors = expect_refusal ("--registration", "verified", NULL);
  g_autofree char *directory = expect_refusal ("--directory", "maybe", NULL);
  g_autofree char *domains = expect_refusal ("--allowed-domains", "not a@domain", NULL);

  g_assert_nonnull (strstr (errors, "--smtp-url"));
  g_assert_nonnull (strstr (directory, "directory must be on or off"));
  g_assert_nonnull (strstr (domains, "allowed-domains"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("photoseal-startup-home-XXXXXX", NULL);
  int status;

  g_test_init (&argc, &argv, NULL);
  /* A server refused before it starts may still have made its default data
   * dir: that is a private one here, never the user's. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  if (sodium_init () < 0)
    return 1;

  g_test_add_func ("/keyserver/startup/master-key-symlink-allowed",
                   test_master_key_symlink_allowed);
  g_test_add_func ("/keyserver/startup/master-key-symlink-to-readable-refused",
                   test_master_key_symlink_to_readable_refused);
  g_test_add_func ("/keyserver/startup/master-key-from-credentials-directory",
                   test_master_key_from_credentials_directory);

  g_test_add_func ("/keyserver/startup/missing-master-key-refused",
                   test_missing_master_key_refused);
  g_test_add_func ("/keyserver/startup/mistyped-master-key-file-refused",
                   test_mistyped_master_key_file_refused);
  g_test_add_func ("/keyserver/startup/other-master-key-refused", test_other_master_key_refused);
  g_test_add_func ("/keyserver/startup/first-account-by-admin-makes-master-key",
                   test_first_account_by_admin_makes_master_key);
  g_test_add_func ("/keyserver/startup/open-registration-refused-off-loopback",
                   test_open_registration_refused_off_loopback);
  g_test_add_func ("/keyserver/startup/verified-registration-needs-relay",
                   test_verified_registration_needs_relay);

  status = g_test_run ();
  keyserver_remove_tree (data_home);
  return status;
}
