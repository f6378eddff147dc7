/* photoseal-keyserver-body-limit.c
 *
 * Bodies over PHOTOSEAL_KEYSERVER_MAX_BODY are refused before libsoup
 * reads them: from their Content-Length in the early handler, or once a
 * chunked body grows past the limit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "photoseal-keyserver-private.h"

/* A refused body is never read: a 413 goes straight onto the connection,
 * taken from libsoup, which would otherwise read (and keep) all of it
 * before any handler could answer. Whatever the client keeps sending is
 * drained for a moment, so that closing does not reset the connection
 * before the client has read the answer. */
#define DRAIN_LIMIT (1024 * 1024)
#define DRAIN_SECONDS 2

typedef struct
{
  GIOStream *stream;
  char *answer;
  GCancellable *timeout;
  guint timeout_id;
  gsize drained;
  char buffer[8192];
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  g_clear_handle_id (&refusal->timeout_id, g_source_remove);
  g_io_stream_close_async (refusal->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (refusal->stream);
  g_object_unref (refusal->timeout);
  g_free (refusal->answer);
  g_free (refusal);
}

static gboolean
on_refusal_timeout (gpointer data)
{
  Refusal *refusal = data;

  refusal->timeout_id = 0;
  g_cancellable_cancel (refusal->timeout);
  return G_SOURCE_REMOVE;
}

static void
on_refusal_drained (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  Refusal *refusal = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || (refusal->drained += n) > DRAIN_LIMIT)
    {
      refusal_free (refusal);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), refusal->buffer, sizeof refusal->buffer,
                             G_PRIORITY_DEFAULT, refusal->timeout, on_refusal_drained, refusal);
}

/* The socket under libsoup's stream, and under TLS if there is TLS. */
static GSocket *
stream_socket (GIOStream *stream)
{
  g_autoptr(GIOStream) base = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (stream), "base-iostream") != NULL)
    g_object_get (stream, "base-iostream", &base, NULL);
  if (G_IS_TLS_CONNECTION (base))
    {
      GIOStream *inner = NULL;

      g_object_get (base, "base-io-stream", &inner, NULL);
      g_object_unref (base);
      base = inner;
    }
  return G_IS_SOCKET_CONNECTION (base) ? g_socket_connection_get_socket (G_SOCKET_CONNECTION (base))
                                       : NULL;
}

static void
on_refusal_written (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  Refusal *refusal = data;
  GSocket *socket = stream_socket (refusal->stream);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refusal_free (refusal);
      return;
    }
  /* The client learns at once that nothing more will come. */
  if (socket != NULL)
    g_socket_shutdown (socket, FALSE, TRUE, NULL);
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream), refusal->buffer,
                             sizeof refusal->buffer, G_PRIORITY_DEFAULT, refusal->timeout,
                             on_refusal_drained, refusal);
}

static char *
too_large_answer (PhotosealKeyserver *self,
                  SoupServerMessage  *msg)
{
  g_autoptr(PhotosealRequest) request = photoseal_request_new (self, msg);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *body = NULL;
  gsize body_len = 0;

  photoseal_request_fail (request, 413, "too_large", "The request body is larger than 64 KiB");
  json_generator_set_root (generator, request->reply);
  body = json_generator_to_data (generator, &body_len);
  photoseal_keyserver_log ("req=%s addr=%s \"%s %s\" 413 (body not read)", request->request_id,
                           request->address, request->method, request->path);
  return g_strdup_printf ("HTTP/1.1 413 Payload Too Large\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n"
                          "X-Request-Id: %s\r\n"
                          "\r\n%s", body_len, request->request_id, body);
}

static gboolean
refuse_body_now (gpointer data)
{
  g_autoptr(SoupServerMessage) msg = data;
  PhotosealKeyserver *self = g_object_get_data (G_OBJECT (msg), "photoseal-server");
  g_autofree char *answer = too_large_answer (self, msg);
  GIOStream *stream = soup_server_message_steal_connection (msg);
  Refusal *refusal;

  /* Taken, the message never finishes. */
  photoseal_keyserver_request_done (self, msg);
  if (stream == NULL)
    return G_SOURCE_REMOVE;

  refusal = g_new0 (Refusal, 1);
  refusal->stream = stream;
  refusal->answer = g_steal_pointer (&answer);
  refusal->timeout = g_cancellable_new ();
  refusal->timeout_id = g_timeout_add_seconds (DRAIN_SECONDS, on_refusal_timeout, refusal);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), refusal->answer,
                                   strlen (refusal->answer), G_PRIORITY_DEFAULT, refusal->timeout,
                                   on_refusal_written, refusal);
  return G_SOURCE_REMOVE;
}

/* Called from libsoup's reading: the connection is taken once that has
 * unwound, with the message paused meanwhile. */
static void
refuse_body (PhotosealKeyserver *self,
             SoupServerMessage  *msg)
{
  if (g_object_get_data (G_OBJECT (msg), "photoseal-refused") != NULL)
    return;
  g_object_set_data (G_OBJECT (msg), "photoseal-refused", GINT_TO_POINTER (1));
  g_object_set_data (G_OBJECT (msg), "photoseal-server", self);
  soup_server_message_pause (msg);
  g_idle_add (refuse_body_now, g_object_ref (msg));
}

/* Refuses large bodies from their Content-Length, before reading them. */
void
photoseal_body_limit_handle_early (SoupServer        *server,
                                   SoupServerMessage *msg,
                                   const char        *path,
                                   GHashTable        *query,
                                   gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > PHOTOSEAL_KEYSERVER_MAX_BODY)
    refuse_body (user_data, msg);
}

/* A chunked body has no length to refuse early: it is cut off once it
 * has grown past the limit. */
void
photoseal_body_limit_on_got_chunk (SoupServerMessage *msg,
                                   GBytes            *chunk,
                                   gpointer           user_data)
{
  if (soup_server_message_get_request_body (msg)->length > PHOTOSEAL_KEYSERVER_MAX_BODY)
    refuse_body (user_data, msg);
}
