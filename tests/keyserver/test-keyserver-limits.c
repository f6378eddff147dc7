/* test-keyserver-limits.c: what one hostile client can cost the server
 *
 * Raw HTTP over plain sockets, since a well-behaved client library never
 * sends what these tests send: bodies larger than the server takes,
 * headers that promise a body never sent, and connections that are
 * opened and left.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "keyserver-fixture.h"

/* Seconds a test waits for an answer it expects to come promptly. */
#define PROMPT 3

static guint16
fixture_port (KeyserverFixture *fixture)
{
  const char *colon = strrchr (fixture->base_url, ':');

  g_assert_nonnull (colon);
  return (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
}

static GSocket *
raw_connect (KeyserverFixture *fixture,
             guint             timeout)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, fixture_port (fixture));

  g_assert_no_error (error);
  g_socket_set_timeout (socket, timeout);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&socket);
}

/* Sends what it can of @data: the server may stop reading, and close. */
static void
raw_send (GSocket    *socket,
          const char *data,
          gsize       len)
{
  while (len > 0)
    {
      gssize n = g_socket_send (socket, data, len, NULL, NULL);

      if (n <= 0)
        return;
      data += n;
      len -= n;
    }
}

/* Reads until the server closes, or @timeout seconds pass (then %NULL). */
static char *
raw_read_to_close (GSocket *socket)
{
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char buffer[4096];
  gssize n;

  while ((n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error)) > 0)
    g_string_append_len (answer, buffer, n);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return NULL;
  return g_string_free (g_steal_pointer (&answer), FALSE);
}

static void
assert_too_large (const char *answer)
{
  g_autofree char *lower = NULL;

  g_assert_nonnull (answer);
  lower = g_ascii_strdown (answer, -1);
  if (!g_str_has_prefix (answer, "HTTP/1.1 413 "))
    g_error ("expected a 413, got: %.200s", answer);
  g_assert_nonnull (strstr (lower, "\r\nconnection: close\r\n"));
  g_assert_nonnull (strstr (lower, "\r\ncontent-type: application/json"));
  g_assert_nonnull (strstr (answer, "\"too_large\""));
}

/* Body limits ************************************************************/

/* A bare header that promises 100 MB, and nothing after it: the answer
 * comes at once, and the connection is closed, before any body. */
static void
test_declared_length_refused_unread (KeyserverFixture *fixture,
                                     gconstpointer     data)
{
  g_autoptr(GSocket) socket = raw_connect (fixture, PROMPT);
  const char *request = "POST /v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n";
  g_autofree char *answer = NULL;
  g_autoptr(Reply) health = NULL;

  raw_send (socket, request, strlen (request));
  answer = raw_read_to_close (socket);
  if (answer == NULL)
    g_error ("no answer within %d s to a declared 100 MB body", PROMPT);
  assert_too_large (answer);

  health = keyserver_request (fixture, "GET", "/v1/health", NULL, NULL);
  g_assert_cmpuint (health->status, ==, 200);
}

/* A chunked body has no length up front: it is cut off at 64 KiB, not
 * read to its end (here there is no end: the client keeps sending). */
static void
test_chunked_body_over_limit (KeyserverFixture *fixture,
                              gconstpointer     data)
{
  g_autoptr(GSocket) socket = raw_connect (fixture, PROMPT);
  const char *headers = "POST /v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  g_autofree char *chunk_data = g_strnfill (4096, ' ');
  g_autofree char *chunk = g_strdup_printf ("1000\r\n%s\r\n", chunk_data);
  g_autofree char *answer = NULL;
  g_autoptr(Reply) health = NULL;

  raw_send (socket, headers, strlen (headers));
  /* 80 KiB: past the limit, and small enough to fit the socket buffers,
   * so that the client is reading when the answer comes. */
  for (guint i = 0; i < 20; i++)
    raw_send (socket, chunk, strlen (chunk));
  answer = raw_read_to_close (socket);
  if (answer == NULL)
    g_error ("no answer within %d s to an unending chunked body", PROMPT);
  assert_too_large (answer);

  health = keyserver_request (fixture, "GET", "/v1/health", NULL, NULL);
  g_assert_cmpuint (health->status, ==, 200);
}

/* A body under the limit is still read and judged on its merits. */
static void
test_chunked_body_under_limit (KeyserverFixture *fixture,
                               gconstpointer     data)
{
  g_autoptr(GSocket) socket = raw_connect (fixture, PROMPT);
  const char *request = "POST /v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "2\r\n{}\r\n0\r\n\r\n";
  g_autofree char *answer = NULL;

  raw_send (socket, request, strlen (request));
  answer = raw_read_to_close (socket);
  g_assert_nonnull (answer);
  if (!g_str_has_prefix (answer, "HTTP/1.1 400 "))
    g_error ("expected a 400, got: %.200s", answer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);

#define ADD(path, func) g_test_add (path, KeyserverFixture, NULL, keyserver_fixture_set_up_open, func, keyserver_fixture_tear_down)
  ADD ("/keyserver/limits/declared-length-refused-unread", test_declared_length_refused_unread);
  ADD ("/keyserver/limits/chunked-body-over-limit", test_chunked_body_over_limit);
  ADD ("/keyserver/limits/chunked-body-under-limit", test_chunked_body_under_limit);
#undef ADD

  return g_test_run ();
}
