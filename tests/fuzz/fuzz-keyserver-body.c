/* fuzz-keyserver-body.c: the key server's request bodies, in process
 *
 * The real server (its routes, body parsing and field checks, on SQLite in
 * a temporary folder) runs on a thread of the harness, so that libFuzzer
 * sees its coverage. Each input is one request: the first byte picks the
 * route, the rest is the body. Whatever the body, the answer is never a
 * 5xx, and an error is the documented JSON error object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "fuzz-server-thread.h"
#include "photoseal-keyserver.h"
#include "photoseal-sqlite-store.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

typedef struct
{
  const char *method;
  const char *path;
  gboolean with_token;
} Route;

static const Route routes[] = {
  { "POST", "/v1/accounts", FALSE },
  { "POST", "/v1/sessions", FALSE },
  { "POST", "/v1/keys", TRUE },
  { "POST", "/v1/keys/AAAAAAAAAAAAAAAAAAAAAA/release", FALSE },
  { "POST", "/v1/keys/AAAAAAAAAAAAAAAAAAAAAA/release", TRUE },
  { "PATCH", "/v1/keys/AAAAAAAAAAAAAAAAAAAAAA", TRUE },
  { "POST", "/v1/accounts/verification", FALSE },
  { "POST", "/v1/recipients/lookup", TRUE },
};

static char *base_url;
static char *token;
static SoupSession *session;

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static char *
serve (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("photoseal-fuzz-XXXXXX", &error);
  g_autofree char *database = g_build_filename (dir, "keyserver.db", NULL);
  g_autofree char *master = g_build_filename (dir, "master.key", NULL);
  guint port = free_port ();
  /* Kept where the leak checker sees them: the server lives until exit. */
  static PhotosealKeyserverOptions *options;
  static PhotosealSqliteStore *store;
  static PhotosealKeyserver *server;

  options = g_new0 (PhotosealKeyserverOptions, 1);
  options->listen = g_strdup_printf ("127.0.0.1:%u", port);
  options->data_dir = g_strdup (dir);
  options->registration = g_strdup ("open");
  /* The defaults the daemon gets from its command line. */
  g_assert_true (photoseal_keyserver_options_validate (options, &error));
  store = photoseal_sqlite_store_open (database, &error);
  g_assert_no_error (error);
  /* A new, empty store: its master key is made here, as the server does. */
  g_assert_true (photoseal_master_key_create (master, &error));
  server = photoseal_keyserver_new (PHOTOSEAL_STORE (store),
                                    photoseal_master_key_load (master, &error), options);
  g_assert_no_error (error);
  g_assert_true (photoseal_keyserver_listen (server, &error));
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

static guint
send (const Route  *route,
      const guint8 *body,
      gsize         len,
      GBytes      **reply)
{
  g_autofree char *url = g_strconcat (base_url, route->path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (route->method, url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, len);
  g_autoptr(GError) error = NULL;

  if (route->with_token && token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    authorization);
    }
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  *reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

/* An account and a session, so that the token routes read their bodies. */
static void
sign_in (void)
{
  static const char account[] = "{\"email\":\"fuzz@example.org\",\"password\":\"correct horse\","
                                "\"name\":\"Fuzz\"}";
  guint8 device[crypto_sign_PUBLICKEYBYTES], secret[crypto_sign_SECRETKEYBYTES];
  char device_text[sodium_base64_ENCODED_LEN (crypto_sign_PUBLICKEYBYTES,
                                              sodium_base64_VARIANT_ORIGINAL)];
  g_autofree char *body = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  crypto_sign_keypair (device, secret);
  sodium_bin2base64 (device_text, sizeof device_text, device, sizeof device,
                     sodium_base64_VARIANT_ORIGINAL);
  g_assert_cmpuint (send (&routes[0], (const guint8 *) account, strlen (account), &reply), ==, 201);
  g_clear_pointer (&reply, g_bytes_unref);
  body = g_strdup_printf ("{\"email\":\"fuzz@example.org\",\"password\":\"correct horse\","
                          "\"device\":{\"name\":\"fuzz\",\"public_key\":\"%s\"}}", device_text);
  g_assert_cmpuint (send (&routes[1], (const guint8 *) body, strlen (body), &reply), ==, 201);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL),
                                             g_bytes_get_size (reply), NULL));
  token = g_strdup (json_object_get_string_member (json_node_get_object (
                                                     json_parser_get_root (parser)), "token"));
}

static void
start (void)
{
  g_assert_cmpint (sodium_init (), >=, 0);
  base_url = fuzz_server_thread_start (serve);
  session = soup_session_new_with_options ("timeout", 30, NULL);
  sign_in ();
}

static void
check_error_body (guint   status,
                  GBytes *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *error;

  if (status < 400)
    return;
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL),
                                             g_bytes_get_size (reply), NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (root, "error"));
  error = json_object_get_object_member (root, "error");
  g_assert_nonnull (error);
  g_assert_nonnull (json_object_get_string_member (error, "code"));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) reply = NULL;
  guint status;

  if (base_url == NULL)
    start ();
  if (size < 1)
    return 0;

  status = send (&routes[data[0] % G_N_ELEMENTS (routes)], data + 1, size - 1, &reply);
  if (status >= 500)
    g_error ("HTTP %u for %s %s: %.*s", status, routes[data[0] % G_N_ELEMENTS (routes)].method,
             routes[data[0] % G_N_ELEMENTS (routes)].path, (int) g_bytes_get_size (reply),
             (const char *) g_bytes_get_data (reply, NULL));
  check_error_body (status, reply);
  return 0;
}
