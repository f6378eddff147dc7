/* photoseal-keyserver-listener.c
 *
 * Accepts connections itself and hands them to the SoupServer, because
 * libsoup 3.2's own listener stops accepting for good once accept() has
 * failed with EMFILE. Here accepting pauses and resumes, and every
 * connection is held to a budget: a whole request within
 * PHOTOSEAL_KEYSERVER_REQUEST_TIMEOUT seconds of being accepted (or of
 * its first byte on a kept-alive connection), at most
 * PHOTOSEAL_KEYSERVER_IDLE_TIMEOUT seconds idle between requests, and a
 * cap on connections per client address and in all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "photoseal-keyserver.h"
#include "photoseal-keyserver-listener.h"
#include "photoseal-keyserver-options.h"

/* How long accepting pauses when the process is out of descriptors. */
#define ACCEPT_RETRY_MS 100

typedef struct
{
  guint64 id;
  GSocket *socket;
  GSocketConnection *connection;   /* weak */
  char *address;
  gint64 deadline;                 /* monotonic µs; 0 for none */
} Connection;

struct _PhotosealKeyserverListener
{
  GObject parent_instance;

  SoupServer *server;
  GTlsCertificate *certificate;
  guint max_connections;
  guint max_per_address;
  /* Exempt from the per-address cap: every client comes through them. */
  GPtrArray *trusted_proxies;

  GSocket *socket;
  GSource *accept_source;
  guint retry_id;
  guint sweep_id;
  gboolean out_of_files;

  guint64 next_id;
  GHashTable *connections;         /* id → Connection */
  GHashTable *per_address;         /* address → count */
};

G_DEFINE_FINAL_TYPE (PhotosealKeyserverListener, photoseal_keyserver_listener, G_TYPE_OBJECT)

static GQuark connection_quark;

static void on_connection_gone (gpointer data,
                                GObject *where_it_was);

static void
connection_free (Connection *connection)
{
  if (connection->connection != NULL)
    g_object_weak_unref (G_OBJECT (connection->connection), on_connection_gone, connection);
  g_object_unref (connection->socket);
  g_free (connection->address);
  g_free (connection);
}

static void
forget_connection (PhotosealKeyserverListener *self,
                   Connection                 *connection)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, connection->address));

  if (count <= 1)
    g_hash_table_remove (self->per_address, connection->address);
  else
    g_hash_table_insert (self->per_address, g_strdup (connection->address),
                         GUINT_TO_POINTER (count - 1));
  g_hash_table_remove (self->connections, &connection->id);
}

static void
on_connection_gone (gpointer data,
                    GObject *where_it_was)
{
  Connection *connection = data;
  PhotosealKeyserverListener *self = g_object_get_qdata (G_OBJECT (connection->socket),
                                                         connection_quark);

  connection->connection = NULL;
  forget_connection (self, connection);
}

/* The connection a message came on, found through the remote address
 * given to libsoup, which is one object per connection. */
static Connection *
message_connection (PhotosealKeyserverListener *self,
                    SoupServerMessage          *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);
  guint64 *id = address ? g_object_get_qdata (G_OBJECT (address), connection_quark) : NULL;

  return id ? g_hash_table_lookup (self->connections, id) : NULL;
}

static void
set_deadline (PhotosealKeyserverListener *self,
              SoupServerMessage          *msg,
              guint                       seconds)
{
  Connection *connection = message_connection (self, msg);

  if (connection != NULL)
    connection->deadline = seconds ? g_get_monotonic_time () + seconds * G_USEC_PER_SEC : 0;
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  set_deadline (user_data, msg, PHOTOSEAL_KEYSERVER_REQUEST_TIMEOUT);
}

/* The server's own work has no deadline here: it answers or fails. */
static void
on_request_read (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  set_deadline (user_data, msg, 0);
}

static void
on_request_finished (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  set_deadline (user_data, msg, PHOTOSEAL_KEYSERVER_IDLE_TIMEOUT);
}

/* Shutting the socket down, not closing it, lets libsoup see the end of
 * the stream and clean up as for any client that went away; a closed
 * descriptor could be reused under its feet. */
static gboolean
sweep (gpointer user_data)
{
  PhotosealKeyserverListener *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Connection *connection;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &connection))
    if (connection->deadline != 0 && now > connection->deadline)
      {
        photoseal_keyserver_log ("addr=%s connection timed out", connection->address);
        connection->deadline = 0;
        g_socket_shutdown (connection->socket, TRUE, TRUE, NULL);
      }
  return G_SOURCE_CONTINUE;
}

static void
hand_over (PhotosealKeyserverListener *self,
           GIOStream                  *stream,
           GSocketConnection          *connection)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  Connection *record = g_object_get_qdata (G_OBJECT (connection), connection_quark);

  if (local == NULL || remote == NULL || record == NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      return;
    }
  g_object_set_qdata_full (G_OBJECT (remote), connection_quark,
                           g_memdup2 (&record->id, sizeof record->id), g_free);
  soup_server_accept_iostream (self->server, stream, local, remote, NULL);
}

static void
on_handshake_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PhotosealKeyserverListener) self = user_data;
  g_autoptr(GIOStream) tls = G_IO_STREAM (source);
  g_autoptr(GIOStream) base = NULL;

  g_object_get (tls, "base-io-stream", &base, NULL);
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (tls), result, NULL))
    {
      g_io_stream_close (tls, NULL, NULL);
      return;
    }
  hand_over (self, tls, G_SOCKET_CONNECTION (base));
}

/* Over a cap: a plain connection is told so, a TLS one is closed (an
 * answer would cost a handshake, which is what the cap saves). */
static void
refuse (PhotosealKeyserverListener *self,
        GSocket                    *socket,
        const char                 *address)
{
#define TOO_MANY "{\"error\":{\"code\":\"too_many_connections\"," \
                 "\"message\":\"Too many connections; try again\"}}"
  static const char answer[] =
    "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
    "Content-Length: 85\r\nConnection: close\r\nRetry-After: 1\r\n\r\n" TOO_MANY;

  G_STATIC_ASSERT (sizeof TOO_MANY - 1 == 85);
#undef TOO_MANY
  if (self->certificate == NULL)
    g_socket_send (socket, answer, sizeof answer - 1, NULL, NULL);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  g_socket_close (socket, NULL);
  photoseal_keyserver_log ("addr=%s connection refused: too many connections", address);
}

static char *
socket_address (GSocket *socket)
{
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return g_strdup ("-");
  return g_inet_address_to_string (
           g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
}

static void
take (PhotosealKeyserverListener *self,
      GSocket                    *socket)
{
  g_autofree char *address = socket_address (socket);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, address));
  g_autoptr(GSocketConnection) connection = NULL;
  Connection *record;

  if (g_hash_table_size (self->connections) >= self->max_connections
      || (count >= self->max_per_address
          && !photoseal_keyserver_proxies_match (self->trusted_proxies, address)))
    {
      refuse (self, socket, address);
      return;
    }

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  connection = g_socket_connection_factory_create_connection (socket);
  record = g_new0 (Connection, 1);
  record->id = ++self->next_id;
  record->socket = g_object_ref (socket);
  record->connection = connection;
  record->address = g_strdup (address);
  record->deadline = g_get_monotonic_time ()
                     + PHOTOSEAL_KEYSERVER_REQUEST_TIMEOUT * G_USEC_PER_SEC;
  g_object_set_qdata (G_OBJECT (socket), connection_quark, self);
  g_object_set_qdata (G_OBJECT (connection), connection_quark, record);
  g_object_weak_ref (G_OBJECT (connection), on_connection_gone, record);
  g_hash_table_insert (self->connections, &record->id, record);
  g_hash_table_insert (self->per_address, g_steal_pointer (&address), GUINT_TO_POINTER (count + 1));

  if (self->certificate != NULL)
    {
      g_autoptr(GError) error = NULL;
      GIOStream *tls = g_tls_server_connection_new (G_IO_STREAM (connection), self->certificate,
                                                    &error);

      if (tls == NULL)
        {
          photoseal_keyserver_log ("TLS is unavailable: %s", error->message);
          g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
          return;
        }
      g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, NULL,
                                        on_handshake_done, g_object_ref (self));
    }
  else
    hand_over (self, G_IO_STREAM (connection), connection);
}

static gboolean on_acceptable (GSocket      *socket,
                               GIOCondition  condition,
                               gpointer      user_data);

static void
watch_listening_socket (PhotosealKeyserverListener *self)
{
  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (on_acceptable), self, NULL);
  g_source_attach (self->accept_source, NULL);
}

static gboolean
resume_accepting (gpointer user_data)
{
  PhotosealKeyserverListener *self = user_data;

  self->retry_id = 0;
  watch_listening_socket (self);
  return G_SOURCE_REMOVE;
}

/* Out of descriptors, accept() fails at once for as long as the queue
 * is not empty: accepting pauses instead of spinning, and resumes. */
static void
pause_accepting (PhotosealKeyserverListener *self)
{
  if (!self->out_of_files)
    photoseal_keyserver_log ("out of file descriptors: accepting paused (%u connections open)",
                             g_hash_table_size (self->connections));
  self->out_of_files = TRUE;
  g_source_destroy (self->accept_source);
  g_clear_pointer (&self->accept_source, g_source_unref);
  self->retry_id = g_timeout_add (ACCEPT_RETRY_MS, resume_accepting, self);
}

static gboolean
on_acceptable (GSocket      *socket,
               GIOCondition  condition,
               gpointer      user_data)
{
  PhotosealKeyserverListener *self = user_data;

  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = g_socket_accept (self->socket, NULL, &error);

      if (client != NULL)
        {
          if (self->out_of_files)
            photoseal_keyserver_log ("accepting again");
          self->out_of_files = FALSE;
          take (self, client);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          pause_accepting (self);
          return G_SOURCE_REMOVE;
        }
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        photoseal_keyserver_log ("accept failed: %s", error->message);
      break;
    }
  return G_SOURCE_CONTINUE;
}

/**
 * photoseal_keyserver_listener_listen:
 *
 * Binds @address with a listen backlog of
 * %PHOTOSEAL_KEYSERVER_LISTEN_BACKLOG and starts accepting.
 */
gboolean
photoseal_keyserver_listener_listen (PhotosealKeyserverListener *self,
                                     GSocketAddress             *address,
                                     GError                    **error)
{
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (PHOTOSEAL_IS_KEYSERVER_LISTENER (self), FALSE);
  g_return_val_if_fail (self->socket == NULL, FALSE);

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_listen_backlog (socket, PHOTOSEAL_KEYSERVER_LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;

  self->socket = g_steal_pointer (&socket);
  watch_listening_socket (self);
  self->sweep_id = g_timeout_add_seconds (1, sweep, self);
  return TRUE;
}

/* Like libsoup's: "http://127.0.0.1:8443/", "https://[::1]:8443/". */
char *
photoseal_keyserver_listener_get_uri (PhotosealKeyserverListener *self)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (self->socket, NULL);
  GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (local);
  g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
  gboolean v6 = g_socket_address_get_family (local) == G_SOCKET_FAMILY_IPV6;

  return g_strdup_printf ("%s://%s%s%s:%u/", self->certificate ? "https" : "http", v6 ? "[" : "",
                          host, v6 ? "]" : "", g_inet_socket_address_get_port (inet));
}

/* Stops accepting; connections already open carry on. */
void
photoseal_keyserver_listener_close (PhotosealKeyserverListener *self)
{
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_LISTENER (self));

  if (self->accept_source != NULL)
    g_source_destroy (self->accept_source);
  g_clear_pointer (&self->accept_source, g_source_unref);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
}

static void
photoseal_keyserver_listener_finalize (GObject *object)
{
  PhotosealKeyserverListener *self = (PhotosealKeyserverListener *) object;

  photoseal_keyserver_listener_close (self);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_object (&self->socket);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_pointer (&self->per_address, g_hash_table_unref);
  g_clear_object (&self->certificate);
  g_clear_object (&self->server);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);

  G_OBJECT_CLASS (photoseal_keyserver_listener_parent_class)->finalize (object);
}

static void
photoseal_keyserver_listener_class_init (PhotosealKeyserverListenerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_keyserver_listener_finalize;
  connection_quark = g_quark_from_static_string ("photoseal-keyserver-connection");
}

static void
photoseal_keyserver_listener_init (PhotosealKeyserverListener *self)
{
  self->connections = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                             (GDestroyNotify) connection_free);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * photoseal_keyserver_listener_new:
 * @certificate: (nullable): for TLS; %NULL for plain HTTP
 * @trusted_proxies: (element-type GInetAddressMask): kept
 */
PhotosealKeyserverListener *
photoseal_keyserver_listener_new (SoupServer      *server,
                                  GTlsCertificate *certificate,
                                  guint            max_connections,
                                  guint            max_per_address,
                                  GPtrArray       *trusted_proxies)
{
  PhotosealKeyserverListener *self = g_object_new (PHOTOSEAL_TYPE_KEYSERVER_LISTENER, NULL);

  self->server = g_object_ref (server);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  self->max_connections = max_connections;
  self->max_per_address = max_per_address;
  self->trusted_proxies = g_ptr_array_ref (trusted_proxies);
  g_signal_connect_object (server, "request-started", G_CALLBACK (on_request_started), self, 0);
  g_signal_connect_object (server, "request-read", G_CALLBACK (on_request_read), self, 0);
  g_signal_connect_object (server, "request-finished", G_CALLBACK (on_request_finished), self, 0);
  g_signal_connect_object (server, "request-aborted", G_CALLBACK (on_request_finished), self, 0);
  return self;
}
