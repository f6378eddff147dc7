/* keyserver-fixture.c
 *
 * Starts the real server binary on 127.0.0.1 with a fresh data folder and
 * a free port, which it reads from the server's first line of output.
 * With PHOTOSEAL_TEST_DATABASE set (by with-postgresql), the server keeps
 * its state in a fresh PostgreSQL database of that cluster instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <glib/gstdio.h>
#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#include "keyserver-fixture.h"
#include "photoseal-protocol.h"

#include <sodium.h>

#define LISTENING "photoseal-keyserver: listening on "

static const char *
server_binary (void)
{
  const char *path = g_getenv ("PHOTOSEAL_KEYSERVER");

  g_assert_nonnull (path);
  return path;
}

/* In the server process, before exec: a test that aborts on a failed
 * assertion takes its server with it instead of leaving it running. (The
 * signal comes when the thread that spawned it ends: the main thread.) */
static void
die_with_test (gpointer user_data)
{
  KeyserverFixture *fixture = user_data;

#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
  if (fixture->nofile_limit > 0)
    {
      struct rlimit limit = { fixture->nofile_limit, fixture->nofile_limit };
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

/* Spawns the server on the fixture's data dir with its options, and reads
 * the address from the first line it prints. Standard error is appended
 * to the log, not truncated, so that a restarted server's log follows the
 * first one's. */
static void
spawn_server (KeyserverFixture *fixture)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *prefix = NULL;
  const char *scheme;
  int log_fd;

  log_fd = g_open (fixture->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  g_assert_cmpint (log_fd, >=, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_take_stderr_fd (launcher, log_fd);
  g_subprocess_launcher_set_child_setup (launcher, die_with_test, fixture, NULL);

  g_ptr_array_add (argv, (char *) server_binary ());
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, fixture->data_dir);
  g_ptr_array_add (argv, (char *) "--registration");
  g_ptr_array_add (argv, fixture->registration);
  if (fixture->database != NULL)
    {
      g_ptr_array_add (argv, (char *) "--database");
      g_ptr_array_add (argv, fixture->database);
    }
  for (guint i = 0; fixture->extra_args && fixture->extra_args[i]; i++)
    g_ptr_array_add (argv, fixture->extra_args[i]);
  g_ptr_array_add (argv, NULL);

  fixture->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                   &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    g_error ("the server did not start: %s", keyserver_fixture_read_log (fixture));

  scheme = fixture->extra_args && g_strv_contains ((const char * const *) fixture->extra_args,
                                                   "--tls-cert") ? "https" : "http";
  prefix = g_strdup_printf ("%s%s://127.0.0.1:", LISTENING, scheme);
  if (!g_str_has_prefix (line, prefix))
    g_error ("unexpected first line from the server: %s", line);
  fixture->base_url = g_strdup (line + strlen (LISTENING));
  if (g_str_has_suffix (fixture->base_url, "/"))
    fixture->base_url[strlen (fixture->base_url) - 1] = '\0';

  fixture->session = soup_session_new_with_options ("timeout", 30, NULL);
}

gboolean
keyserver_fixture_uses_postgresql (void)
{
  return g_getenv ("PHOTOSEAL_TEST_DATABASE") != NULL;
}

/* Runs @sql (no results) on database @name of the test cluster. */
void
keyserver_test_database_exec (const char *name,
                              const char *sql)
{
#ifdef HAVE_LIBPQ
  g_autofree char *uri = g_strdup_printf ("%s/%s", g_getenv ("PHOTOSEAL_TEST_DATABASE"), name);
  PGconn *conn = PQconnectdb (uri);
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("could not connect to the test cluster: %s", PQerrorMessage (conn));
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
  PQfinish (conn);
#else
  g_error ("PHOTOSEAL_TEST_DATABASE is set, but the tests were built without libpq");
#endif
}

/**
 * keyserver_test_database_new:
 * @name: (out): the database's name, for keyserver_test_database_drop()
 *
 * A fresh database of the test cluster, so that tests never see each
 * other's rows. Returns: its URI
 */
char *
keyserver_test_database_new (char **name)
{
  static gint counter;
  g_autofree char *create = NULL;

  *name = g_strdup_printf ("photoseal_test_%d_%d", (int) getpid (),
                           g_atomic_int_add (&counter, 1));
  create = g_strdup_printf ("CREATE DATABASE %s", *name);
  keyserver_test_database_exec ("postgres", create);
  return g_strdup_printf ("%s/%s", g_getenv ("PHOTOSEAL_TEST_DATABASE"), *name);
}

void
keyserver_test_database_drop (const char *name)
{
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", name);

  keyserver_test_database_exec ("postgres", drop);
}

/**
 * keyserver_fixture_sql:
 *
 * Runs SQL straight on the server's database, behind its back, as an
 * administrator (or an attacker with access to the database) could: the
 * SQLite form with the sqlite3 tool, or the PostgreSQL one.
 */
void
keyserver_fixture_sql (KeyserverFixture *fixture,
                       const char       *sqlite_sql,
                       const char       *postgresql_sql)
{
  g_autofree char *database = g_build_filename (fixture->data_dir, "keyserver.db", NULL);
  g_autofree char *sqlite = g_find_program_in_path ("sqlite3");
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (fixture->database != NULL)
    {
      g_assert_nonnull (fixture->database_name);
      keyserver_test_database_exec (fixture->database_name, postgresql_sql);
      return;
    }
  if (sqlite == NULL)
    g_error ("sqlite3 is not installed (Debian package sqlite3)");
  {
    const char *argv[] = { sqlite, database, sqlite_sql, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                  &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

void
keyserver_fixture_start (KeyserverFixture *fixture,
                         const char       *registration)
{
  keyserver_fixture_start_full (fixture, registration, NULL);
}

/* @extra_args go after the fixture's own options, such as --tls-cert. */
void
keyserver_fixture_start_full (KeyserverFixture   *fixture,
                              const char         *registration,
                              const char * const *extra_args)
{
  g_autoptr(GError) error = NULL;

  fixture->data_dir = g_dir_make_tmp ("photoseal-keyserver-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->log_path = g_build_filename (fixture->data_dir, "server.log", NULL);
  fixture->registration = g_strdup (registration);
  fixture->extra_args = g_strdupv ((char **) extra_args);
  if (keyserver_fixture_uses_postgresql ())
    fixture->database = keyserver_test_database_new (&fixture->database_name);
  spawn_server (fixture);
}

/**
 * keyserver_fixture_start_node:
 * @node: an empty fixture
 * @first: a running server on PostgreSQL
 *
 * Starts a second node on @first's database, with @first's master key
 * and its own data dir and log, as a load balancer would have beside it.
 */
void
keyserver_fixture_start_node (KeyserverFixture *node,
                              KeyserverFixture *first)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *master_key = g_build_filename (first->data_dir, "master.key", NULL);
  const char *args[] = { "--master-key-file", master_key, NULL };

  g_assert_nonnull (first->database);
  node->data_dir = g_dir_make_tmp ("photoseal-keyserver-XXXXXX", &error);
  g_assert_no_error (error);
  node->log_path = g_build_filename (node->data_dir, "server.log", NULL);
  node->registration = g_strdup (first->registration);
  node->extra_args = g_strdupv ((char **) args);
  node->database = g_strdup (first->database);
  spawn_server (node);
}

/* Starts a new server process on the same data dir, with the same options
 * and log, as a supervisor would after a crash. The caller ends the old
 * process first, however it likes (g_subprocess_force_exit for a crash);
 * the port changes, and so does base_url. */
void
keyserver_fixture_restart (KeyserverFixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (fixture->process);
  g_subprocess_wait (fixture->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->process);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->base_url, g_free);
  spawn_server (fixture);
}

void
keyserver_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      for (const char *name; (name = g_dir_read_name (dir));)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          keyserver_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Stops the server as systemd would, and checks it stops cleanly. */
void
keyserver_fixture_stop (KeyserverFixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->session);
  if (fixture->process != NULL)
    {
      g_subprocess_send_signal (fixture->process, SIGTERM);
      g_subprocess_wait (fixture->process, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (fixture->process));
      g_assert_cmpint (g_subprocess_get_exit_status (fixture->process), ==, 0);
      g_clear_object (&fixture->process);
    }
  if (fixture->database_name != NULL)
    keyserver_test_database_drop (fixture->database_name);
  keyserver_remove_tree (fixture->data_dir);
  g_clear_pointer (&fixture->database, g_free);
  g_clear_pointer (&fixture->database_name, g_free);
  g_clear_pointer (&fixture->data_dir, g_free);
  g_clear_pointer (&fixture->log_path, g_free);
  g_clear_pointer (&fixture->base_url, g_free);
  g_clear_pointer (&fixture->registration, g_free);
  g_clear_pointer (&fixture->extra_args, g_strfreev);
}

char *
keyserver_fixture_read_log (KeyserverFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (fixture->log_path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Runs "photoseal-keyserver ARGS… --data-dir DIR" with PHOTOSEAL_PASSWORD. */
int
keyserver_fixture_admin (KeyserverFixture *fixture,
                         const char       *password,
                         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) server_binary ());
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, fixture->data_dir);
  if (fixture->database != NULL)
    {
      g_ptr_array_add (argv, (char *) "--database");
      g_ptr_array_add (argv, fixture->database);
    }
  /* The master key the server was given keys the audit chain. */
  for (guint i = 0; fixture->extra_args && fixture->extra_args[i]; i++)
    if (g_str_equal (fixture->extra_args[i], "--master-key-file") && fixture->extra_args[i + 1])
      {
        g_ptr_array_add (argv, fixture->extra_args[i]);
        g_ptr_array_add (argv, fixture->extra_args[i + 1]);
      }
  va_start (args, password);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  if (password != NULL)
    g_subprocess_launcher_setenv (launcher, "PHOTOSEAL_PASSWORD", password, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

Reply *
keyserver_request (KeyserverFixture *fixture,
                   const char       *method,
                   const char       *path,
                   const char       *token,
                   const char       *body)
{
  g_autoptr(GError) error = NULL;
  Reply *reply = keyserver_session_request (fixture->session, fixture->base_url, method, path,
                                            token, body, &error);

  g_assert_no_error (error);
  return reply;
}

/* The device keys of the tokens tests signed in with: a request with such
 * a token that changes something is signed with its key, as the client
 * library does. A token never registered goes unsigned, as a thief's. */
static GHashTable *device_keys;
G_LOCK_DEFINE_STATIC (device_keys);

void
keyserver_remember_device_key (const char   *token,
                               const guint8 *device_secret)
{
  G_LOCK (device_keys);
  if (device_keys == NULL)
    device_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (device_keys, g_strdup (token),
                       g_memdup2 (device_secret, crypto_sign_SECRETKEYBYTES));
  G_UNLOCK (device_keys);
}

/* Signs @msg with @device_secret over @target and @body (DESIGN "Request
 * signatures"); with @timestamp_shift seconds added to the time. */
void
keyserver_sign_request (SoupMessage  *msg,
                        const char   *target,
                        GBytes       *body,
                        const guint8 *device_secret,
                        gint64        timestamp_shift)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  gint64 timestamp = g_get_real_time () / G_USEC_PER_SEC + timestamp_shift;
  guint8 nonce[PHOTOSEAL_PROTOCOL_NONCE_SIZE];
  guint8 signature[crypto_sign_BYTES];
  char nonce_text[sodium_base64_ENCODED_LEN (sizeof nonce, sodium_base64_VARIANT_ORIGINAL)];
  char signature_text[sodium_base64_ENCODED_LEN (sizeof signature,
                                                 sodium_base64_VARIANT_ORIGINAL)];
  g_autofree char *timestamp_text = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp);
  g_autoptr(GBytes) message = NULL;

  randombytes_buf (nonce, sizeof nonce);
  message = photoseal_protocol_request_message (soup_message_get_method (msg), target, body,
                                                timestamp, nonce);
  crypto_sign_detached (signature, NULL, g_bytes_get_data (message, NULL),
                        g_bytes_get_size (message), device_secret);
  sodium_bin2base64 (nonce_text, sizeof nonce_text, nonce, sizeof nonce,
                     sodium_base64_VARIANT_ORIGINAL);
  sodium_bin2base64 (signature_text, sizeof signature_text, signature, sizeof signature,
                     sodium_base64_VARIANT_ORIGINAL);
  soup_message_headers_replace (headers, PHOTOSEAL_PROTOCOL_TIMESTAMP_HEADER, timestamp_text);
  soup_message_headers_replace (headers, PHOTOSEAL_PROTOCOL_NONCE_HEADER, nonce_text);
  soup_message_headers_replace (headers, PHOTOSEAL_PROTOCOL_SIGNATURE_HEADER, signature_text);
}

static void
sign_if_known (SoupMessage *msg,
               const char  *path,
               const char  *token,
               GBytes      *body)
{
  g_autofree guint8 *secret = NULL;

  G_LOCK (device_keys);
  if (device_keys != NULL && g_hash_table_contains (device_keys, token))
    secret = g_memdup2 (g_hash_table_lookup (device_keys, token), crypto_sign_SECRETKEYBYTES);
  G_UNLOCK (device_keys);
  if (secret != NULL)
    keyserver_sign_request (msg, path, body, secret, 0);
}

static Reply *send_request (SoupSession  *session,
                            const char   *base_url,
                            const char   *method,
                            const char   *path,
                            const char   *token,
                            const char   *body,
                            gboolean      sign_as_token,
                            const guint8 *device_secret,
                            gint64        timestamp_shift,
                            GError      **error);

/* Thread-safe as long as each thread has its own @session; returns %NULL
 * when no answer came back (or it was not JSON), which a test running
 * clients against a dying server needs to see rather than abort on. */
Reply *
keyserver_session_request (SoupSession *session,
                           const char  *base_url,
                           const char  *method,
                           const char  *path,
                           const char  *token,
                           const char  *body,
                           GError     **error)
{
  return send_request (session, base_url, method, path, token, body, TRUE, NULL, 0, error);
}

/**
 * keyserver_request_signed_by:
 * @device_secret: (nullable): the key to sign with, whatever the token's;
 *   %NULL to send the request unsigned
 *
 * For tests of what a stolen token can do without its device key.
 */
Reply *
keyserver_request_signed_by (KeyserverFixture *fixture,
                             const char       *method,
                             const char       *path,
                             const char       *token,
                             const char       *body,
                             const guint8     *device_secret,
                             gint64            timestamp_shift)
{
  g_autoptr(GError) error = NULL;
  Reply *reply = send_request (fixture->session, fixture->base_url, method, path, token, body,
                               FALSE, device_secret, timestamp_shift, &error);

  g_assert_no_error (error);
  return reply;
}

static Reply *
send_request (SoupSession  *session,
              const char   *base_url,
              const char   *method,
              const char   *path,
              const char   *token,
              const char   *body,
              gboolean      sign_as_token,
              const guint8 *device_secret,
              gint64        timestamp_shift,
              GError      **error)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(Reply) reply = g_new0 (Reply, 1);
  g_autoptr(GBytes) request_body = NULL;
  SoupMessageHeaders *headers;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (body != NULL)
    {
      request_body = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    }
  if (sign_as_token && token != NULL && strcmp (method, "GET") != 0)
    sign_if_known (msg, path, token, request_body);
  else if (device_secret != NULL)
    keyserver_sign_request (msg, path, request_body, device_secret, timestamp_shift);

  bytes = soup_session_send_and_read (session, msg, NULL, error);
  if (bytes == NULL)
    return NULL;

  headers = soup_message_get_response_headers (msg);
  reply->status = soup_message_get_status (msg);
  reply->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  reply->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  reply->text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (g_bytes_get_size (bytes) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (!json_parser_load_from_data (parser, reply->text, -1, error))
        return NULL;
      reply->json = json_node_copy (json_parser_get_root (parser));
    }
  return g_steal_pointer (&reply);
}

void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply->text);
  g_free (reply->content_type);
  g_free (reply->retry_after);
  g_free (reply);
}

/* The error code of an error reply, checking its whole shape on the way. */
const char *
reply_error_code (Reply *reply)
{
  JsonObject *error;

  g_assert_cmpuint (reply->status, >=, 400);
  g_assert_cmpstr (reply->content_type, ==, "application/json");
  g_assert_nonnull (reply->json);
  error = json_object_get_object_member (json_node_get_object (reply->json), "error");
  g_assert_nonnull (error);
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  return json_object_get_string_member (error, "code");
}

const char *
reply_string (Reply      *reply,
              const char *member)
{
  g_assert_nonnull (reply->json);
  return json_object_get_string_member (json_node_get_object (reply->json), member);
}

void
keyserver_fixture_set_up_open (KeyserverFixture *fixture,
                               gconstpointer     data)
{
  keyserver_fixture_start (fixture, "open");
}

void
keyserver_fixture_set_up_closed (KeyserverFixture *fixture,
                                 gconstpointer     data)
{
  keyserver_fixture_start (fixture, "closed");
}

void
keyserver_fixture_tear_down (KeyserverFixture *fixture,
                             gconstpointer     data)
{
  keyserver_fixture_stop (fixture);
}

/* Adds @test at @path, on a fresh server open to registration. */
void
keyserver_test_add (const char        *path,
                    KeyserverTestFunc  test)
{
  g_test_add_vtable (path, sizeof (KeyserverFixture), NULL,
                     (GTestFixtureFunc) keyserver_fixture_set_up_open, (GTestFixtureFunc) test,
                     (GTestFixtureFunc) keyserver_fixture_tear_down);
}

/* Runs openssl in @dir, failing with its own words if it fails. */
static void
run_openssl (const char *dir,
             ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *errors = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) "openssl");
  va_start (args, dir);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &errors, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("openssl %s failed: %s", (const char *) argv->pdata[1], errors);
}

/* A throw-away CA, and a certificate it signed for IP 127.0.0.1 only. */
void
keyserver_make_certificates (const char *dir)
{
  g_autofree char *extensions = g_build_filename (dir, "server.ext", NULL);
  g_autoptr(GError) error = NULL;

  run_openssl (dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
               "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
               "-subj", "/CN=Photoseal test CA", NULL);
  /* RSA, so that the TLS tests can show a static-RSA key exchange refused. */
  run_openssl (dir, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
               "-out", "server.csr", "-subj", "/CN=127.0.0.1", NULL);
  g_file_set_contents (extensions, "subjectAltName = IP:127.0.0.1\n"
                                   "basicConstraints = critical, CA:FALSE\n"
                                   "keyUsage = critical, digitalSignature\n"
                                   "extendedKeyUsage = serverAuth\n", -1, &error);
  g_assert_no_error (error);
  run_openssl (dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
               "-set_serial", "2", "-days", "2", "-extfile", "server.ext", "-out", "server.pem",
               NULL);
}
