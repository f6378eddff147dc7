/* photoseal-scrubber-private.c
 *
 * The machinery the JPEG and PNG scrubbers share. Each is a streaming
 * state machine whose steps read from and write to a cursor over the
 * buffers of one g_converter_convert() call; what differs between them is
 * how a file is laid out, not how bytes are copied, skipped or replaced,
 * nor how a step's outcome becomes a GConverterResult.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-scrubber"

#include "config.h"

#include <string.h>

#include "photoseal-scrubber-private.h"

/* Sets @error to say the input is not a valid @format_name image, and
 * why. */
PhotosealScrubStep
photoseal_scrub_invalid (GError    **error,
                         const char *format_name,
                         const char *format,
                         ...)
{
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a valid %s image: %s",
               format_name, why);
  return PHOTOSEAL_SCRUB_STEP_ERROR;
}

void
photoseal_scrub_pending_set (PhotosealScrubPending *pending,
                             const guint8          *head,
                             gsize                  head_len,
                             const guint8          *body,
                             gsize                  body_len)
{
  g_assert (head_len + body_len <= sizeof pending->data);

  memcpy (pending->data, head, head_len);
  memcpy (pending->data + head_len, body, body_len);
  pending->len = head_len + body_len;
  pending->pos = 0;
}

PhotosealScrubStep
photoseal_scrub_pending_write (PhotosealScrubPending *pending,
                               PhotosealScrubCursor  *c)
{
  gsize n = MIN (pending->len - pending->pos, photoseal_scrub_cursor_space (c));

  if (n == 0)
    return PHOTOSEAL_SCRUB_STEP_NEED_SPACE;

  memcpy (c->out + c->written, pending->data + pending->pos, n);
  pending->pos += n;
  c->written += n;
  return PHOTOSEAL_SCRUB_STEP_PROGRESS;
}

/* Copies as much of the @remaining bytes as the buffers allow. Callers
 * move on to their next state themselves once @remaining is 0. */
PhotosealScrubStep
photoseal_scrub_copy (PhotosealScrubCursor *c,
                      guint64              *remaining)
{
  gsize avail = photoseal_scrub_cursor_avail (c);
  gsize n = MIN (*remaining, MIN (avail, photoseal_scrub_cursor_space (c)));

  g_assert (*remaining > 0);

  if (n == 0)
    return avail == 0 ? PHOTOSEAL_SCRUB_STEP_NEED_INPUT : PHOTOSEAL_SCRUB_STEP_NEED_SPACE;

  memcpy (c->out + c->written, photoseal_scrub_cursor_peek (c), n);
  c->read += n;
  c->written += n;
  *remaining -= n;
  return PHOTOSEAL_SCRUB_STEP_PROGRESS;
}

/* Drops as much of the @remaining bytes as the input holds. */
PhotosealScrubStep
photoseal_scrub_skip (PhotosealScrubCursor *c,
                      guint64              *remaining)
{
  gsize n = MIN (*remaining, photoseal_scrub_cursor_avail (c));

  g_assert (*remaining > 0);

  if (n == 0)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;

  c->read += n;
  *remaining -= n;
  return PHOTOSEAL_SCRUB_STEP_PROGRESS;
}

/* Drops all that comes after the end of the image, and finishes when the
 * input does. */
PhotosealScrubStep
photoseal_scrub_trailer (PhotosealScrubCursor *c,
                         PhotosealMetadata    *removed)
{
  if (photoseal_scrub_cursor_avail (c) > 0)
    {
      *removed |= PHOTOSEAL_METADATA_TRAILER;
      c->read = c->in_len;
      return PHOTOSEAL_SCRUB_STEP_PROGRESS;
    }

  return c->at_end ? PHOTOSEAL_SCRUB_STEP_FINISHED : PHOTOSEAL_SCRUB_STEP_NEED_INPUT;
}

/* Turns where the steps stopped into what GConverter callers expect. A
 * call that got somewhere reports that; the reason it stopped comes back
 * on the next call, which then gets nowhere. Steps check their input
 * before they consume it, so an error found after progress is found
 * again. @offset counts the bytes consumed by earlier calls; @pending is
 * written out before each step. */
GConverterResult
photoseal_scrub_run (const PhotosealScrubFormat *format,
                     gpointer                    scrubber,
                     guint64                    *offset,
                     PhotosealScrubPending      *pending,
                     const void                 *inbuf,
                     gsize                       inbuf_size,
                     void                       *outbuf,
                     gsize                       outbuf_size,
                     GConverterFlags             flags,
                     gsize                      *bytes_read,
                     gsize                      *bytes_written,
                     GError                    **error)
{
  PhotosealScrubCursor c = { inbuf, inbuf_size, 0, outbuf, outbuf_size, 0,
                             (flags & G_CONVERTER_INPUT_AT_END) != 0 };
  g_autoptr(GError) local_error = NULL;
  gboolean progress;
  PhotosealScrubStep result;

  do
    {
      /* A replacement goes out whole before the scrubber takes another step. */
      if (!photoseal_scrub_pending_is_empty (pending))
        result = photoseal_scrub_pending_write (pending, &c);
      else
        result = format->step (scrubber, &c, &local_error);
    }
  while (result == PHOTOSEAL_SCRUB_STEP_PROGRESS);

  *bytes_read = c.read;
  *bytes_written = c.written;
  *offset += c.read;
  progress = c.read > 0 || c.written > 0;

  switch (result)
    {
    case PHOTOSEAL_SCRUB_STEP_FINISHED:
      return G_CONVERTER_FINISHED;
    case PHOTOSEAL_SCRUB_STEP_NEED_INPUT:
      if ((flags & G_CONVERTER_FLUSH) && c.read == c.in_len)
        return G_CONVERTER_FLUSHED;
      if (progress)
        return G_CONVERTER_CONVERTED;
      if (c.at_end)
        photoseal_scrub_invalid (error, format->name, "%s",
                                 format->describe_truncation (scrubber, &c));
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "Need more input");
      return G_CONVERTER_ERROR;
    case PHOTOSEAL_SCRUB_STEP_NEED_SPACE:
      if (progress)
        return G_CONVERTER_CONVERTED;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "Not enough space in the output");
      return G_CONVERTER_ERROR;
    case PHOTOSEAL_SCRUB_STEP_ERROR:
      if (progress)
        return G_CONVERTER_CONVERTED;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return G_CONVERTER_ERROR;
    case PHOTOSEAL_SCRUB_STEP_PROGRESS:
    default:
      g_assert_not_reached ();
    }
}
