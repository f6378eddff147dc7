/* photoseal-bounded-reply.c
 *
 * soup_session_send_and_read_async() keeps reading for as long as the
 * server keeps sending: an endless answer grows without limit, and one
 * trickled a byte every few seconds never ends, since libsoup's timeout
 * only covers each single read. Here the body is read in chunks and given
 * up once it passes @max_size, and the whole exchange, from connecting to
 * the last byte, must be over by a deadline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "photoseal-bounded-reply.h"

#define CHUNK_SIZE (64 * 1024)

typedef struct
{
  GByteArray *body;
  gsize max_size;
  GInputStream *stream;
  /* Ours, cancelled by the caller's cancellable or by the deadline. */
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong caller_handler;
  GSource *deadline;
  guint deadline_seconds;
  gboolean timed_out;
} Exchange;

static void
exchange_free (Exchange *exchange)
{
  if (exchange->deadline != NULL)
    {
      g_source_destroy (exchange->deadline);
      g_source_unref (exchange->deadline);
    }
  if (exchange->caller_cancellable != NULL)
    g_cancellable_disconnect (exchange->caller_cancellable, exchange->caller_handler);
  g_clear_object (&exchange->caller_cancellable);
  g_clear_object (&exchange->cancellable);
  g_clear_object (&exchange->stream);
  g_clear_pointer (&exchange->body, g_byte_array_unref);
  g_free (exchange);
}

static gboolean
deadline_passed_cb (gpointer user_data)
{
  Exchange *exchange = user_data;

  exchange->timed_out = TRUE;
  g_cancellable_cancel (exchange->cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* A cancellation by the deadline is a time-out, not a cancellation. */
static void
return_error (GTask  *task,
              GError *error)
{
  Exchange *exchange = g_task_get_task_data (task);

  if (exchange->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("No complete answer within %u seconds"),
                               exchange->deadline_seconds);
      return;
    }
  g_task_return_error (task, error);
}

static void
return_too_large (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);

  g_autofree char *limit = g_format_size_full (exchange->max_size, G_FORMAT_SIZE_IEC_UNITS);

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                           _("The answer is larger than %s"), limit);
}

static void read_next (GTask *task);

static void
chunk_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  if (!(chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error)))
    {
      return_error (task, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      g_input_stream_close (exchange->stream, NULL, NULL);
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&exchange->body)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (exchange->body->len + g_bytes_get_size (chunk) > exchange->max_size)
    {
      return_too_large (task);
      return;
    }
  g_byte_array_append (exchange->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (exchange->stream, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   exchange->cancellable, chunk_read_cb, task);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  GError *error = NULL;
  goffset declared;

  if (!(exchange->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error)))
    {
      return_error (task, error);
      return;
    }
  /* A declared length over the cap is refused before a byte is read. */
  declared = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
  if (declared > (goffset) exchange->max_size)
    {
      return_too_large (task);
      return;
    }
  read_next (g_steal_pointer (&task));
}

/**
 * photoseal_bounded_reply_send_async:
 * @max_size: the largest body accepted, in bytes
 * @deadline_seconds: when the whole exchange must be over
 *
 * Sends @msg and reads its answer's body. Fails with
 * %G_IO_ERROR_MESSAGE_TOO_LARGE past @max_size and %G_IO_ERROR_TIMED_OUT
 * past the deadline; the status is on @msg.
 */
void
photoseal_bounded_reply_send_async (SoupSession         *session,
                                    SoupMessage         *msg,
                                    gsize                max_size,
                                    guint                deadline_seconds,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (session, cancellable, callback, user_data);
  Exchange *exchange = g_new0 (Exchange, 1);

  g_task_set_source_tag (task, photoseal_bounded_reply_send_async);
  g_task_set_task_data (task, exchange, (GDestroyNotify) exchange_free);
  exchange->body = g_byte_array_new ();
  exchange->max_size = max_size;
  exchange->deadline_seconds = deadline_seconds;
  exchange->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      exchange->caller_cancellable = g_object_ref (cancellable);
      exchange->caller_handler = g_cancellable_connect (cancellable,
                                                        G_CALLBACK (caller_cancelled_cb),
                                                        g_object_ref (exchange->cancellable),
                                                        g_object_unref);
    }
  exchange->deadline = g_timeout_source_new_seconds (deadline_seconds);
  g_source_set_callback (exchange->deadline, deadline_passed_cb, exchange, NULL);
  g_source_attach (exchange->deadline, g_task_get_context (task));

  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, exchange->cancellable, sent_cb,
                           g_steal_pointer (&task));
}

/**
 * photoseal_bounded_reply_send_finish:
 *
 * Returns: (transfer full): the body
 */
GBytes *
photoseal_bounded_reply_send_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
