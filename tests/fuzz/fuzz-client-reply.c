/* fuzz-client-reply.c: the key-server client's reply parsing, in process
 *
 * A SoupServer on a thread of the harness answers every request with the
 * input: the first byte picks the HTTP status, the second the client call
 * (a plain request, a release, a key creation, a sign-in, a recipient
 * lookup), the rest is
 * the body. The client must turn any of it into a result or a
 * PHOTOSEAL_KEYSERVER_ERROR, and never crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <sodium.h>

#include "fuzz-server-thread.h"
#include "photoseal.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const guint statuses[] = { 200, 201, 204, 400, 401, 403, 404, 409, 410, 413, 429, 500 };

static GMutex reply_mutex;
static guint reply_status;
static GBytes *reply_body;
static PhotosealKeyserverClient *client;

static void
answer (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  gsize len;
  const char *data;

  g_mutex_lock (&reply_mutex);
  data = g_bytes_get_data (reply_body, &len);
  soup_server_message_set_status (msg, reply_status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, data, len);
  g_mutex_unlock (&reply_mutex);
  /* libsoup 3.2's server never closes a kept-alive connection the client
   * hung up on (it stays in CLOSE_WAIT): without this the harness ran out
   * of descriptors after a few minutes. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
}

static char *
serve (void)
{
  g_autoptr(GError) error = NULL;
  SoupServer *server = soup_server_new (NULL, NULL);
  GSList *uris;
  char *origin;

  soup_server_add_handler (server, NULL, answer, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  origin = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return origin;
}

static void
start (void)
{
  g_autofree char *origin = NULL;
  g_autoptr(GError) error = NULL;
  guint8 device[crypto_sign_PUBLICKEYBYTES], secret[crypto_sign_SECRETKEYBYTES];

  photoseal_crypto_init ();
  origin = fuzz_server_thread_start (serve);
  /* The client's blocking calls run the caller's thread-default context;
   * the server thread runs the global one, so this thread needs its own. */
  g_main_context_push_thread_default (g_main_context_new ());
  client = photoseal_keyserver_client_new (origin, &error);
  g_assert_no_error (error);
  crypto_sign_keypair (device, secret);
  photoseal_keyserver_client_set_session (client, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                          secret);
}

static void
call (guint    which,
      GError **error)
{
  static const char * const recipients[] = { "bob@example.org", NULL };
  g_autoptr(GListModel) keys = NULL;
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(GListModel) found = NULL;

  switch (which % 5)
    {
    case 0:
      keys = photoseal_keyserver_client_list_keys (client, NULL, error);
      break;
    case 1:
      key = photoseal_keyserver_client_release (client, "AAAAAAAAAAAAAAAAAAAAAA", NULL, NULL,
                                                error);
      break;
    case 2:
      key = photoseal_keyserver_client_create_key (client, recipients, NULL, TRUE, NULL, error);
      break;
    case 3:
      photoseal_keyserver_client_sign_in (client, "alice@example.org", "correct horse", "fuzz",
                                          NULL, error);
      break;
    default:
      found = photoseal_keyserver_client_lookup_recipients (client, recipients, NULL, error);
      break;
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;

  if (client == NULL)
    start ();
  if (size < 2)
    return 0;

  g_mutex_lock (&reply_mutex);
  g_clear_pointer (&reply_body, g_bytes_unref);
  reply_body = g_bytes_new (data + 2, size - 2);
  reply_status = statuses[data[0] % G_N_ELEMENTS (statuses)];
  g_mutex_unlock (&reply_mutex);

  call (data[1], &error);
  if (error != NULL && error->domain != PHOTOSEAL_KEYSERVER_ERROR)
    g_error ("a reply gave an error outside the key-server domain: %s", error->message);
  return 0;
}
