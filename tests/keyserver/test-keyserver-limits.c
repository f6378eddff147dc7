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

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>

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
try_connect (KeyserverFixture *fixture,
             guint             timeout,
             GError          **error)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, fixture_port (fixture));

  if (socket == NULL)
    return NULL;
  g_socket_set_timeout (socket, timeout);
  if (!g_socket_connect (socket, address, NULL, error))
    return NULL;
  return g_steal_pointer (&socket);
}

static GSocket *
raw_connect (KeyserverFixture *fixture,
             guint             timeout)
{
  g_autoptr(GError) error = NULL;
  GSocket *socket = try_connect (fixture, timeout, &error);

  g_assert_no_error (error);
  return socket;
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

/* Connections ************************************************************/

/* Half a request, and then nothing: the server must not wait for ever. */
static void
test_half_sent_request_times_out (KeyserverFixture *fixture,
                                  gconstpointer     data)
{
  g_autoptr(GSocket) socket = raw_connect (fixture, 15);
  const char *half = "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  gint64 start = g_get_monotonic_time ();
  g_autofree char *answer = NULL;
  double waited;

  raw_send (socket, half, strlen (half));
  answer = raw_read_to_close (socket);
  waited = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("a half-sent request was dropped after %.1f s", waited);
  if (answer == NULL)
    g_error ("a half-sent request still held its connection after 15 s");
  g_assert_cmpfloat (waited, <, 12.0);
}

/* The connections one address may hold are capped, and the next one is
 * told so in JSON; connections from elsewhere are not affected. */
static void
test_connections_per_address_capped (void)
{
  const char * const args[] = { "--max-connections-per-address", "4", NULL };
  KeyserverFixture fixture = { 0 };
  GSocket *held[4];
  g_autofree char *answer = NULL;

  keyserver_fixture_start_full (&fixture, "open", args);
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    held[i] = raw_connect (&fixture, PROMPT);
  {
    g_autoptr(GSocket) refused = raw_connect (&fixture, PROMPT);

    answer = raw_read_to_close (refused);
    g_assert_nonnull (answer);
    if (!g_str_has_prefix (answer, "HTTP/1.1 429 "))
      g_error ("expected a 429 past the cap, got: %.200s", answer);
    g_assert_nonnull (strstr (answer, "\"too_many_connections\""));
  }
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    g_object_unref (held[i]);

  {
    g_autoptr(Reply) health = NULL;
    gint64 deadline = g_get_monotonic_time () + PROMPT * G_USEC_PER_SEC;

    /* The server learns of the closes from its main loop. */
    do
      {
        g_clear_pointer (&health, reply_free);
        health = keyserver_session_request (fixture.session, fixture.base_url, "GET",
                                            "/v1/health", NULL, NULL, NULL);
      }
    while ((health == NULL || health->status != 200) && g_get_monotonic_time () < deadline);
    g_assert_nonnull (health);
    g_assert_cmpuint (health->status, ==, 200);
  }
  keyserver_fixture_stop (&fixture);
}

/* Opens @n TCP connections at once, non-blocking, sends each a health
 * check, and counts the 200s that come back within @seconds. */
static guint
simultaneous_health_checks (KeyserverFixture *fixture,
                            guint             n,
                            guint             seconds)
{
  const char *request = "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (fixture_port (fixture)),
                                 .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, n);
  g_autofree gboolean *sent = g_new0 (gboolean, n);
  g_autofree GString **answers = g_new0 (GString *, n);
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint open = n, answered = 0;

  for (guint i = 0; i < n; i++)
    {
      fds[i].fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      g_assert_cmpint (fds[i].fd, >=, 0);
      if (connect (fds[i].fd, (struct sockaddr *) &address, sizeof address) != 0)
        g_assert_cmpint (errno, ==, EINPROGRESS);
      fds[i].events = POLLOUT;
      answers[i] = g_string_new (NULL);
    }
  while (open > 0 && g_get_monotonic_time () < deadline)
    {
      if (poll (fds, n, 100) <= 0)
        continue;
      for (guint i = 0; i < n; i++)
        {
          char buffer[4096];
          gssize got;

          if (fds[i].fd < 0 || fds[i].revents == 0)
            continue;
          if (!sent[i] && (fds[i].revents & POLLOUT))
            {
              sent[i] = write (fds[i].fd, request, strlen (request)) == (gssize) strlen (request);
              fds[i].events = POLLIN;
              continue;
            }
          got = read (fds[i].fd, buffer, sizeof buffer);
          if (got > 0)
            {
              g_string_append_len (answers[i], buffer, got);
              continue;
            }
          if (got < 0 && errno == EAGAIN)
            continue;
          answered += g_str_has_prefix (answers[i]->str, "HTTP/1.1 200 ");
          close (fds[i].fd);
          fds[i].fd = -1;
          open--;
        }
    }
  for (guint i = 0; i < n; i++)
    {
      if (fds[i].fd >= 0)
        close (fds[i].fd);
      g_string_free (answers[i], TRUE);
    }
  return answered;
}

/* With a listen backlog of 10, a burst of connections overflows the
 * queue, and the clients whose SYNs were dropped wait seconds. */
static void
test_simultaneous_health_checks (void)
{
  const char * const args[] = { "--max-connections-per-address", "1000", NULL };
  KeyserverFixture fixture = { 0 };
  guint answered;

  keyserver_fixture_start_full (&fixture, "open", args);
  answered = simultaneous_health_checks (&fixture, 500, 5);
  g_test_message ("%u of 500 simultaneous health checks answered within 5 s", answered);
  g_assert_cmpuint (answered, ==, 500);
  keyserver_fixture_stop (&fixture);
}

/* Once out of descriptors, libsoup 3.2's own listener never accepted
 * again; the server must answer again as soon as they are released. */
static void
test_descriptor_exhaustion_recovers (void)
{
  KeyserverFixture fixture = { .nofile_limit = 32 };
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(Reply) health = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *log = NULL;
  gint64 released;
  double took;

  keyserver_fixture_start (&fixture, "open");
  health = keyserver_request (&fixture, "GET", "/v1/health", NULL, NULL);
  g_assert_cmpuint (health->status, ==, 200);
  /* Until the limit and the listen queue are full, or 100 are open. */
  for (guint i = 0; i < 100; i++)
    {
      GSocket *socket = try_connect (&fixture, 2, NULL);

      if (socket == NULL)
        break;
      g_ptr_array_add (held, socket);
    }
  g_test_message ("%u connections opened", held->len);
  /* Let the server run into the limit. */
  g_usleep (500 * 1000);
  g_ptr_array_set_size (held, 0);
  released = g_get_monotonic_time ();

  session = soup_session_new_with_options ("timeout", 2, NULL);
  while (g_get_monotonic_time () - released < 2 * G_USEC_PER_SEC)
    {
      g_clear_pointer (&health, reply_free);
      health = keyserver_session_request (session, fixture.base_url, "GET", "/v1/health", NULL,
                                          NULL, NULL);
      if (health != NULL && health->status == 200)
        break;
      g_usleep (50 * 1000);
    }
  took = (g_get_monotonic_time () - released) / (double) G_USEC_PER_SEC;
  log = keyserver_fixture_read_log (&fixture);
  g_test_message ("answered again %.2f s after the descriptors were released", took);
  g_assert_nonnull (health);
  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpfloat (took, <, 2.0);
  /* It did run out: the test tested something. */
  g_assert_nonnull (strstr (log, "out of file descriptors"));
  keyserver_fixture_stop (&fixture);
}

/* Under systemd (Type=notify, WatchdogSec=), the server says when it is
 * ready and then keeps telling the watchdog it is alive. */
static void
test_systemd_watchdog_fed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("photoseal-notify-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "notify", NULL);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);
  KeyserverFixture fixture = { 0 };
  gboolean ready = FALSE;
  guint fed = 0;
  gint64 deadline;

  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (socket, 1);
  g_setenv ("NOTIFY_SOCKET", path, TRUE);
  g_setenv ("WATCHDOG_USEC", "200000", TRUE);
  keyserver_fixture_start (&fixture, "open");
  g_unsetenv ("NOTIFY_SOCKET");
  g_unsetenv ("WATCHDOG_USEC");

  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline && fed < 4)
    {
      char buffer[256] = { 0 };
      gssize n = g_socket_receive (socket, buffer, sizeof buffer - 1, NULL, NULL);

      if (n <= 0)
        continue;
      ready |= strstr (buffer, "READY=1") != NULL;
      fed += strstr (buffer, "WATCHDOG=1") != NULL;
    }
  g_assert_true (ready);
  g_assert_cmpuint (fed, >=, 4);
  keyserver_fixture_stop (&fixture);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);

#define ADD(path, func) \
  g_test_add (path, KeyserverFixture, NULL, keyserver_fixture_set_up_open, func, \
              keyserver_fixture_tear_down)
  ADD ("/keyserver/limits/declared-length-refused-unread", test_declared_length_refused_unread);
  ADD ("/keyserver/limits/chunked-body-over-limit", test_chunked_body_over_limit);
  ADD ("/keyserver/limits/chunked-body-under-limit", test_chunked_body_under_limit);
  ADD ("/keyserver/limits/half-sent-request-times-out", test_half_sent_request_times_out);
#undef ADD
  g_test_add_func ("/keyserver/limits/connections-per-address-capped",
                   test_connections_per_address_capped);
  g_test_add_func ("/keyserver/limits/simultaneous-health-checks", test_simultaneous_health_checks);
  g_test_add_func ("/keyserver/limits/descriptor-exhaustion-recovers",
                   test_descriptor_exhaustion_recovers);
  g_test_add_func ("/keyserver/limits/systemd-watchdog-fed", test_systemd_watchdog_fed);

  return g_test_run ();
}
