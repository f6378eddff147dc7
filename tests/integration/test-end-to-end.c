/* test-end-to-end.c: a sealed file travels from Alice to Bob through a real key server
 *
 * libphotoseal's sealer and opener with the photoseal stanza, and its
 * key-server client, against a real photoseal-keyserver on 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "keyserver-fixture.h"
#include "photoseal.h"

static PhotosealKeyserverClient *
client_for (KeyserverFixture *fixture,
            const char       *email)
{
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  g_autoptr(Reply) created = NULL;

  account = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"correct horse\",\"name\":\"%s\"}",
                             email, email);
  created = keyserver_request (fixture, "POST", "/v1/accounts", NULL, account);
  g_assert_cmpuint (created->status, ==, 201);

  client = photoseal_keyserver_client_new (fixture->base_url, &error);
  g_assert_no_error (error);
  photoseal_keyserver_client_sign_in (client, email, "correct horse", "test device", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (photoseal_keyserver_client_get_token (client));
  return g_steal_pointer (&client);
}

static GFile *
write_photo (const char *dir,
             const char *name,
             gsize       size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GError) error = NULL;

  randombytes_buf (data, size);
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GBytes *
seal_for (PhotosealKeyserverClient *client,
          PhotosealSealedKey       *key,
          GFile                   **photos,
          guint                     n_photos)
{
  g_autoptr(PhotosealSealer) sealer = photoseal_sealer_new ();
  g_autoptr(PhotosealServerKeyRecipient) recipient = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  recipient = photoseal_server_key_recipient_new (key->key_id,
                                                  photoseal_keyserver_client_get_origin (client),
                                                  key->server_key, &error);
  g_assert_no_error (error);
  photoseal_sealer_add_recipient (sealer, PHOTOSEAL_RECIPIENT (recipient));
  for (guint i = 0; i < n_photos; i++)
    photoseal_sealer_add_file (sealer, photos[i]);
  photoseal_sealer_seal (sealer, out, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* What a recipient's app does: read the stanza, ask that server, open. */
static GFile *
open_as (PhotosealKeyserverClient *client,
         GBytes                   *sealed,
         const char               *access_code,
         const char               *out_dir,
         GError                  **error)
{
  g_autoptr(GInputStream) header_in = g_memory_input_stream_new_from_bytes (sealed);
  g_autoptr(GInputStream) buffered = g_buffered_input_stream_new (header_in);
  g_autoptr(PhotosealAgeHeader) header = NULL;
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(PhotosealServerKeyIdentity) identity = NULL;
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (sealed);
  g_autoptr(PhotosealOpener) opener = NULL;
  g_autoptr(GFile) parent = g_file_new_for_path (out_dir);
  g_autofree char *key_id = NULL;
  g_autofree char *origin = NULL;
  GPtrArray *stanzas;

  header = photoseal_age_header_read (G_BUFFERED_INPUT_STREAM (buffered), NULL, error);
  g_assert_nonnull (header);
  stanzas = photoseal_age_header_get_stanzas (header);
  g_assert_cmpuint (stanzas->len, ==, 1);
  g_assert_true (photoseal_server_key_stanza_parse (g_ptr_array_index (stanzas, 0), &key_id,
                                                    &origin, NULL));
  g_assert_cmpstr (origin, ==, photoseal_keyserver_client_get_origin (client));

  if (!(key = photoseal_keyserver_client_release (client, key_id, access_code, NULL, error)))
    return NULL;
  identity = photoseal_server_key_identity_new (key->key_id, key->server_key);
  g_ptr_array_add (identities, g_steal_pointer (&identity));
  opener = photoseal_opener_new (in, identities, NULL, error);
  g_assert_nonnull (opener);
  return photoseal_opener_extract (opener, parent, "opened", NULL, error);
}

static void
assert_same_file (GFile      *expected,
                  GFile      *folder,
                  const char *item)
{
  g_autofree char *path = g_build_filename (g_file_peek_path (folder), "photos", item, NULL);
  g_autofree char *a = NULL, *b = NULL;
  gsize a_len = 0, b_len = 0;

  g_assert_true (g_file_get_contents (g_file_peek_path (expected), &a, &a_len, NULL));
  g_assert_true (g_file_get_contents (path, &b, &b_len, NULL));
  g_assert_cmpmem (a, a_len, b, b_len);
}

static void
test_alice_to_bob (KeyserverFixture *fixture,
                   gconstpointer     data)
{
  g_autoptr(PhotosealKeyserverClient) alice = client_for (fixture, "alice@example.org");
  g_autoptr(PhotosealKeyserverClient) bob = client_for (fixture, "bob@example.org");
  g_autoptr(PhotosealKeyserverClient) carol = client_for (fixture, "carol@example.org");
  g_autoptr(PhotosealKeyserverClient) stranger = NULL;
  const char *recipients[] = { "Bob@Example.org", NULL };
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(GFile) one = write_photo (fixture->data_dir, "wound.jpg", 300000);
  g_autoptr(GFile) two = write_photo (fixture->data_dir, "scan.dcm", 70000);
  GFile *photos[] = { one, two };
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bob_dir = g_build_filename (fixture->data_dir, "bob", NULL);
  g_autofree char *code_dir = g_build_filename (fixture->data_dir, "code", NULL);
  g_autofree char *carol_dir = g_build_filename (fixture->data_dir, "carol", NULL);

  key = photoseal_keyserver_client_create_key (alice, recipients, NULL, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key->access_code);
  sealed = seal_for (alice, key, photos, 2);

  /* Bob, a named recipient, opens it: the same bytes come out. */
  {
    g_autoptr(GFile) folder = open_as (bob, sealed, NULL, bob_dir, &error);
    g_assert_no_error (error);
    assert_same_file (one, folder, "01-wound.jpg");
    assert_same_file (two, folder, "02-scan.dcm");
  }

  /* Carol is signed in, but was not named. */
  {
    g_autoptr(GFile) folder = open_as (carol, sealed, NULL, carol_dir, &error);
    g_assert_null (folder);
    g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_NOT_A_RECIPIENT);
    g_clear_error (&error);
    g_assert_false (g_file_test (carol_dir, G_FILE_TEST_EXISTS));
  }

  /* Someone without an account uses the access code. */
  stranger = photoseal_keyserver_client_new (fixture->base_url, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GFile) folder = open_as (stranger, sealed, key->access_code, code_dir, &error);
    g_assert_no_error (error);
    assert_same_file (one, folder, "01-wound.jpg");
  }
  {
    g_autoptr(GFile) folder = open_as (stranger, sealed, "22222-22222", code_dir, &error);
    g_assert_null (folder);
    g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_BAD_ACCESS_CODE);
    g_clear_error (&error);
  }

  /* Alice revokes: every copy of the file is now unreadable. */
  {
    g_autoptr(GFile) folder = NULL;

    g_assert_true (photoseal_keyserver_client_revoke_key (alice, key->key_id, NULL, &error));
    g_assert_no_error (error);
    folder = open_as (bob, sealed, NULL, bob_dir, &error);
    g_assert_null (folder);
    g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_REVOKED);
  }
}

static void
test_client_errors (KeyserverFixture *fixture,
                    gconstpointer     data)
{
  g_autoptr(PhotosealKeyserverClient) alice = client_for (fixture, "alice@example.org");
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(PhotosealKeyserverClient) closed = NULL;
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autofree char *closed_origin = NULL;

  /* Plain HTTP is for this computer only. */
  g_assert_null (photoseal_keyserver_client_new ("http://keys.example.org", &error));
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY);
  g_clear_error (&error);

  client = photoseal_keyserver_client_new (fixture->base_url, &error);
  g_assert_no_error (error);
  g_assert_false (photoseal_keyserver_client_sign_in (client, "alice@example.org", "wrong horse!",
                                                      "test", NULL, &error));
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);

  key = photoseal_keyserver_client_release (client, "AAAAAAAAAAAAAAAAAAAAAA", NULL, NULL, &error);
  g_assert_null (key);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  key = photoseal_keyserver_client_release (alice, "AAAAAAAAAAAAAAAAAAAAAA", NULL, NULL, &error);
  g_assert_null (key);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A port nobody listens on: bind one, learn its number, close it. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GSocketAddress) bound = g_socket_get_local_address (socket, &error);
    guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

    closed_origin = g_strdup_printf ("http://127.0.0.1:%u", port);
  }
  g_socket_close (socket, NULL);
  closed = photoseal_keyserver_client_new (closed_origin, &error);
  g_assert_no_error (error);
  g_assert_false (photoseal_keyserver_client_sign_in (closed, "a@example.org", "correct horse", "x",
                                                      NULL, &error));
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNREACHABLE);
}

/* Whether the server answered @client at all: a sign-in with a wrong
 * password is refused by the server, a distrusted certificate by TLS. */
static void
assert_answered (PhotosealKeyserverClient *client,
                 GQuark                    domain,
                 int                       code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (photoseal_keyserver_client_sign_in (client, "nobody@example.org",
                                                      "wrong horse!", "test", NULL, &error));
  g_assert_error (error, domain, code);
}

/* The TLS checks, against a server the fixture started with a test CA's
 * certificate; @ca is that CA. */
static void
check_tls (KeyserverFixture *fixture,
           const char       *ca)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (fixture->base_url, "https://127.0.0.1:"));
  /* With the test CA configured, the server is trusted … */
  {
    g_autoptr(PhotosealKeyserverClient) client = NULL;

    client = photoseal_keyserver_client_new (fixture->base_url, &error);
    g_assert_no_error (error);
    g_assert_true (photoseal_keyserver_client_set_ca_file (client, ca, &error));
    assert_answered (client, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_BAD_CREDENTIALS);
  }
  /* … also through PHOTOSEAL_CA_FILE … */
  {
    g_autoptr(PhotosealKeyserverClient) client = NULL;

    g_setenv ("PHOTOSEAL_CA_FILE", ca, TRUE);
    client = photoseal_keyserver_client_new (fixture->base_url, &error);
    g_unsetenv ("PHOTOSEAL_CA_FILE");
    g_assert_no_error (error);
    assert_answered (client, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_BAD_CREDENTIALS);
  }
  /* … and without it, it is not: no way to turn verification off. */
  {
    g_autoptr(PhotosealKeyserverClient) client = NULL;

    client = photoseal_keyserver_client_new (fixture->base_url, &error);
    g_assert_no_error (error);
    assert_answered (client, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_TLS);
  }
}

/* Starts a TLS server through the fixture, so that it goes when the test
 * goes, however it ends. */
static void
start_tls_server (KeyserverFixture *fixture,
                  const char       *dir)
{
  g_autofree char *cert = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  const char * const tls_args[] = { "--tls-cert", cert, "--tls-key", key, NULL };

  keyserver_make_certificates (dir);
  keyserver_fixture_start_full (fixture, "open", tls_args);
}

static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("photoseal-tls-XXXXXX", &error);
  g_autofree char *ca = g_build_filename (dir, "ca.pem", NULL);
  KeyserverFixture fixture = { 0 };

  g_assert_no_error (error);
  start_tls_server (&fixture, dir);
  check_tls (&fixture, ca);
  keyserver_fixture_stop (&fixture);
  keyserver_remove_tree (dir);
}

/* Run only through g_test_trap_subprocess(): starts the TLS server, says
 * which process it is, and fails an assertion the way a broken check
 * would. */
static void
test_tls_failing (void)
{
  g_autofree char *dir = g_dir_make_tmp ("photoseal-tls-XXXXXX", NULL);
  KeyserverFixture fixture = { 0 };

  start_tls_server (&fixture, dir);
  g_file_set_contents (g_getenv ("PHOTOSEAL_TEST_PID_FILE"),
                       g_subprocess_get_identifier (fixture.process), -1, NULL);
  keyserver_remove_tree (dir);
  g_assert_cmpstr (fixture.base_url, ==, "a failed check");
}

static gboolean
process_is_gone (const char *pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *stat = NULL;
  const char *state;

  /* A zombie nobody reaps is gone too: it runs nothing and holds no port. */
  if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
    return TRUE;
  state = strrchr (stat, ')');
  return state != NULL && state[1] == ' ' && state[2] == 'Z';
}

/* A test that fails an assertion does not leave its key server running. */
static void
test_tls_failure_stops_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("photoseal-pid-XXXXXX", &error);
  g_autofree char *pid_file = g_build_filename (dir, "pid", NULL);
  g_autofree char *pid = NULL;
  gint64 deadline;

  g_assert_no_error (error);
  g_setenv ("PHOTOSEAL_TEST_PID_FILE", pid_file, TRUE);
  g_test_trap_subprocess ("/integration/tls/subprocess/failing", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_assert_true (g_file_get_contents (pid_file, &pid, NULL, NULL));

  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (!process_is_gone (pid) && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  if (!process_is_gone (pid))
    {
      kill (atoi (pid), SIGKILL);
      g_error ("the key server %s outlived its failed test", pid);
    }
  keyserver_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  photoseal_crypto_init ();

  keyserver_test_add ("/integration/alice-to-bob", test_alice_to_bob);
  keyserver_test_add ("/integration/client-errors", test_client_errors);
  g_test_add_func ("/integration/tls", test_tls);
  g_test_add_func ("/integration/tls/failure-stops-server", test_tls_failure_stops_server);
  g_test_add_func ("/integration/tls/subprocess/failing", test_tls_failing);
  return g_test_run ();
}
