/* photoseal-scrubber.c
 *
 * The base class of the metadata scrubbers. Each scrubber is a streaming
 * state machine whose steps read from and write to a cursor over the
 * buffers of one g_converter_convert() call; what differs between formats
 * is how a file is laid out, not how bytes are copied, skipped, blanked or
 * replaced, nor how a step's outcome becomes a GConverterResult. That
 * machinery lives here, once: a subclass fills in the step and
 * describe_truncation vfuncs and hands runs of bytes back to the base
 * class, which moves them while the subclass waits in its next state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-scrubber"

#include "config.h"

#include <string.h>

#include "photoseal-scrubber-private.h"

typedef enum
{
  RUN_COPY,
  RUN_SKIP,
  RUN_ZERO,
  RUN_GATHER,
} Run;

typedef struct
{
  /* Bytes consumed by earlier calls, to say where a file goes wrong. */
  guint64 offset;

  /* Bytes written in place of removed ones; they go out whole before the
   * subclass takes another step. */
  GByteArray *pending;
  gsize pending_pos;

  /* A run of input bytes being copied, dropped, blanked or gathered. */
  Run run;
  guint64 remaining;
  GByteArray *gather;

  PhotosealMetadata removed;

  /* An error found in a call that had got somewhere first, for the next
   * call to report. */
  GError *error;
} PhotosealScrubberPrivate;

static void converter_iface_init (GConverterIface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (PhotosealScrubber, photoseal_scrubber, G_TYPE_OBJECT,
                                  G_ADD_PRIVATE (PhotosealScrubber)
                                  G_IMPLEMENT_INTERFACE (G_TYPE_CONVERTER, converter_iface_init))

/* Sets @error to say the input is not a valid image of @self's format,
 * and why. */
PhotosealScrubStep
photoseal_scrubber_invalid (PhotosealScrubber *self,
                            GError           **error,
                            const char        *format,
                            ...)
{
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a valid %s image: %s",
               photoseal_scrubber_get_format_name (self), why);
  return PHOTOSEAL_SCRUB_STEP_ERROR;
}

/* Returns the position in the whole input of the cursor's next byte. */
guint64
photoseal_scrubber_get_position (PhotosealScrubber          *self,
                                 const PhotosealScrubCursor *c)
{
  PhotosealScrubberPrivate *priv = photoseal_scrubber_get_instance_private (self);

  return priv->offset + c->read;
}

/* Whether a run of bytes handed to the base class is still under way. */
gboolean
photoseal_scrubber_is_busy (PhotosealScrubber *self)
{
  PhotosealScrubberPrivate *priv = photoseal_scrubber_get_instance_private (self);

  return priv->remaining > 0;
}

void
photoseal_scrubber_add_removed (PhotosealScrubber *self,
                                PhotosealMetadata  removed)
{
  PhotosealScrubberPrivate *priv = photoseal_scrubber_get_instance_private (self);

  priv->removed |= removed;
}

/* Queues @data to be written out before the next step. */
void
photoseal_scrubber_write (PhotosealScrubber *self,
                          const guint8      *data,
                          gsize              len)
{
  PhotosealScrubberPrivate *priv = photoseal_scrubber_get_instance_private (self);

  g_byte_array_append (priv->pending, data, len);
}

static PhotosealScrubStep
begin_run (PhotosealScrubber *self,
           Run                run,
           guint64            len)
{
  PhotosealScrubberPrivate *priv = photoseal_scrubber_get_instance_private (self);

  g_assert (priv->remaining == 0);

  priv->run = run;
  priv->remaining = len;
  return PHOTOSEAL_SCRUB_STEP_PROGRESS;
}

/* The next @len input bytes go out unchanged. */
PhotosealScrubStep
photoseal_scrubber_copy (PhotosealScrubber *self,
                         guint64            len)
{
  return begin_run (self, RUN_COPY, len);
}

/* The next @len input bytes are dropped. */
PhotosealScrubStep
photoseal_scrubber_skip (PhotosealScrubber *self,
                         guint64            len)
{
  return begin_run (self, RUN_SKIP, len);
}

/* The next @len input bytes go out as zeros, so nothing after them moves. */
PhotosealScrubStep
photoseal_scrubber_zero (PhotosealScrubber *self,
                         guint64            len)
{
  return begin_run (self, RUN_ZERO, len);
}

/* The next @len input bytes are appended to @into, for the subclass to
 * look at whole in its next step. */
PhotosealScrubStep
photoseal_scrubber_gather (PhotosealScrubber *self,
                           GByteArray        *into,
                           guint64            len)
{
  PhotosealScrubberPrivate *priv = photoseal_scrubber_get_instance_private (self);

  g_clear_pointer (&priv->gather, g_byte_array_unref);
  priv->gather = g_byte_array_ref (into);
  return begin_run (self, RUN_GATHER, len);
}

/* Drops all that comes after the end of the image, and finishes when the
 * input does. */
PhotosealScrubStep
photoseal_scrubber_trailer (PhotosealScrubber    *self,
                            PhotosealScrubCursor *c)
{
  if (photoseal_scrub_cursor_avail (c) > 0)
    {
      photoseal_scrubber_add_removed (self, PHOTOSEAL_METADATA_TRAILER);
      c->read = c->in_len;
      return PHOTOSEAL_SCRUB_STEP_PROGRESS;
    }

  return c->at_end ? PHOTOSEAL_SCRUB_STEP_FINISHED : PHOTOSEAL_SCRUB_STEP_NEED_INPUT;
}

static PhotosealScrubStep
write_pending (PhotosealScrubberPrivate *priv,
               PhotosealScrubCursor     *c)
{
  gsize n = MIN (priv->pending->len - priv->pending_pos, photoseal_scrub_cursor_space (c));

  if (n == 0)
    return PHOTOSEAL_SCRUB_STEP_NEED_SPACE;

  memcpy (c->out + c->written, priv->pending->data + priv->pending_pos, n);
  priv->pending_pos += n;
  c->written += n;
  if (priv->pending_pos == priv->pending->len)
    {
      g_byte_array_set_size (priv->pending, 0);
      priv->pending_pos = 0;
    }
  return PHOTOSEAL_SCRUB_STEP_PROGRESS;
}

/* Moves as much of the current run as the buffers allow. */
static PhotosealScrubStep
step_run (PhotosealScrubberPrivate *priv,
          PhotosealScrubCursor     *c)
{
  gsize avail = photoseal_scrub_cursor_avail (c);
  gboolean writes = priv->run == RUN_COPY || priv->run == RUN_ZERO;
  gsize space = writes ? photoseal_scrub_cursor_space (c) : avail;
  gsize n = MIN (priv->remaining, MIN (avail, space));

  if (n == 0)
    return avail == 0 ? PHOTOSEAL_SCRUB_STEP_NEED_INPUT : PHOTOSEAL_SCRUB_STEP_NEED_SPACE;

  if (priv->run == RUN_COPY)
    memcpy (c->out + c->written, photoseal_scrub_cursor_peek (c), n);
  else if (priv->run == RUN_ZERO)
    memset (c->out + c->written, 0, n);
  else if (priv->run == RUN_GATHER)
    g_byte_array_append (priv->gather, photoseal_scrub_cursor_peek (c), n);
  if (writes)
    c->written += n;
  c->read += n;
  priv->remaining -= n;
  if (priv->remaining == 0)
    g_clear_pointer (&priv->gather, g_byte_array_unref);
  return PHOTOSEAL_SCRUB_STEP_PROGRESS;
}

static PhotosealScrubStep
step (PhotosealScrubber    *self,
      PhotosealScrubCursor *c,
      GError              **error)
{
  PhotosealScrubberPrivate *priv = photoseal_scrubber_get_instance_private (self);

  if (priv->pending->len > 0)
    return write_pending (priv, c);
  if (priv->remaining > 0)
    return step_run (priv, c);
  return PHOTOSEAL_SCRUBBER_GET_CLASS (self)->step (self, c, error);
}

static const char *
describe_truncation (PhotosealScrubber          *self,
                     const PhotosealScrubCursor *c)
{
  return PHOTOSEAL_SCRUBBER_GET_CLASS (self)->describe_truncation (self, c);
}

/* Turns where the steps stopped into what GConverter callers expect. A
 * call that got somewhere reports that; the reason it stopped comes back
 * on the next call, which then gets nowhere. Steps check their input
 * before they consume it, so needing more input or space is found again;
 * an error is kept for the next call. */
static GConverterResult
finish_call (PhotosealScrubber          *self,
             PhotosealScrubStep          result,
             const PhotosealScrubCursor *c,
             GConverterFlags             flags,
             GError                    **local_error,
             GError                    **error)
{
  gboolean progress = c->read > 0 || c->written > 0;

  switch (result)
    {
    case PHOTOSEAL_SCRUB_STEP_FINISHED:
      return G_CONVERTER_FINISHED;
    case PHOTOSEAL_SCRUB_STEP_NEED_INPUT:
      if ((flags & G_CONVERTER_FLUSH) && c->read == c->in_len)
        return G_CONVERTER_FLUSHED;
      if (progress)
        return G_CONVERTER_CONVERTED;
      if (c->at_end)
        photoseal_scrubber_invalid (self, error, "%s", describe_truncation (self, c));
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "Need more input");
      return G_CONVERTER_ERROR;
    case PHOTOSEAL_SCRUB_STEP_NEED_SPACE:
      if (progress)
        return G_CONVERTER_CONVERTED;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           "Not enough space in the output");
      return G_CONVERTER_ERROR;
    case PHOTOSEAL_SCRUB_STEP_ERROR:
      if (progress)
        {
          PhotosealScrubberPrivate *priv = photoseal_scrubber_get_instance_private (self);

          priv->error = g_steal_pointer (local_error);
          return G_CONVERTER_CONVERTED;
        }
      g_propagate_error (error, g_steal_pointer (local_error));
      return G_CONVERTER_ERROR;
    case PHOTOSEAL_SCRUB_STEP_PROGRESS:
    default:
      g_assert_not_reached ();
    }
}

static GConverterResult
photoseal_scrubber_convert (GConverter     *converter,
                            const void     *inbuf,
                            gsize           inbuf_size,
                            void           *outbuf,
                            gsize           outbuf_size,
                            GConverterFlags flags,
                            gsize          *bytes_read,
                            gsize          *bytes_written,
                            GError        **error)
{
  PhotosealScrubber *self = PHOTOSEAL_SCRUBBER (converter);
  PhotosealScrubberPrivate *priv = photoseal_scrubber_get_instance_private (self);
  PhotosealScrubCursor c = { inbuf, inbuf_size, 0, outbuf, outbuf_size, 0,
                             (flags & G_CONVERTER_INPUT_AT_END) != 0 };
  g_autoptr(GError) local_error = NULL;
  PhotosealScrubStep result;

  g_assert (PHOTOSEAL_IS_SCRUBBER (self));

  *bytes_read = 0;
  *bytes_written = 0;
  if (priv->error != NULL)
    {
      g_propagate_error (error, g_error_copy (priv->error));
      return G_CONVERTER_ERROR;
    }

  do
    result = step (self, &c, &local_error);
  while (result == PHOTOSEAL_SCRUB_STEP_PROGRESS);

  *bytes_read = c.read;
  *bytes_written = c.written;
  priv->offset += c.read;
  return finish_call (self, result, &c, flags, &local_error, error);
}

static void
photoseal_scrubber_reset (GConverter *converter)
{
  PhotosealScrubber *self = PHOTOSEAL_SCRUBBER (converter);
  PhotosealScrubberPrivate *priv = photoseal_scrubber_get_instance_private (self);

  g_assert (PHOTOSEAL_IS_SCRUBBER (self));

  priv->offset = 0;
  g_byte_array_set_size (priv->pending, 0);
  priv->pending_pos = 0;
  priv->remaining = 0;
  g_clear_pointer (&priv->gather, g_byte_array_unref);
  priv->removed = PHOTOSEAL_METADATA_NONE;
  g_clear_error (&priv->error);
  PHOTOSEAL_SCRUBBER_GET_CLASS (self)->reset (self);
}

static void
converter_iface_init (GConverterIface *iface)
{
  iface->convert = photoseal_scrubber_convert;
  iface->reset = photoseal_scrubber_reset;
}

static void
photoseal_scrubber_finalize (GObject *object)
{
  PhotosealScrubber *self = PHOTOSEAL_SCRUBBER (object);
  PhotosealScrubberPrivate *priv = photoseal_scrubber_get_instance_private (self);

  g_clear_pointer (&priv->pending, g_byte_array_unref);
  g_clear_pointer (&priv->gather, g_byte_array_unref);
  g_clear_error (&priv->error);

  G_OBJECT_CLASS (photoseal_scrubber_parent_class)->finalize (object);
}

static void
photoseal_scrubber_real_reset (PhotosealScrubber *self)
{
}

static void
photoseal_scrubber_class_init (PhotosealScrubberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = photoseal_scrubber_finalize;

  klass->reset = photoseal_scrubber_real_reset;
}

static void
photoseal_scrubber_init (PhotosealScrubber *self)
{
  PhotosealScrubberPrivate *priv = photoseal_scrubber_get_instance_private (self);

  priv->pending = g_byte_array_new ();
}

/**
 * photoseal_scrubber_get_format_name:
 * @self: a #PhotosealScrubber
 *
 * Returns: the name of the image format @self scrubs, such as "JPEG"
 */
const char *
photoseal_scrubber_get_format_name (PhotosealScrubber *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_SCRUBBER (self), NULL);

  return PHOTOSEAL_SCRUBBER_GET_CLASS (self)->format_name;
}

/**
 * photoseal_scrubber_get_removed:
 * @scrubber: a scrubber from photoseal_scrubber_new_for_content_type()
 *
 * Declared in photoseal-metadata.h beside the constructor, which hands
 * scrubbers out as the #GConverter their callers stream through.
 *
 * Returns: the kinds of metadata @scrubber has removed since it was
 *   created or last reset
 */
PhotosealMetadata
photoseal_scrubber_get_removed (GConverter *scrubber)
{
  PhotosealScrubberPrivate *priv;

  g_return_val_if_fail (PHOTOSEAL_IS_SCRUBBER (scrubber), PHOTOSEAL_METADATA_NONE);

  priv = photoseal_scrubber_get_instance_private (PHOTOSEAL_SCRUBBER (scrubber));
  return priv->removed;
}
