/* photoseal-scrubber-private.h: what the JPEG and PNG scrubbers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-metadata.h"

G_BEGIN_DECLS

/* What one step of a scrubber's state machine came to. */
typedef enum
{
  PHOTOSEAL_SCRUB_STEP_PROGRESS,
  PHOTOSEAL_SCRUB_STEP_NEED_INPUT,
  PHOTOSEAL_SCRUB_STEP_NEED_SPACE,
  PHOTOSEAL_SCRUB_STEP_FINISHED,
  PHOTOSEAL_SCRUB_STEP_ERROR,
} PhotosealScrubStep;

/* The buffers of one g_converter_convert() call and how far it got. */
typedef struct
{
  const guint8 *in;
  gsize in_len;
  gsize read;
  guint8 *out;
  gsize out_len;
  gsize written;
  gboolean at_end;
} PhotosealScrubCursor;

/* A segment or chunk written in place of a removed one. */
typedef struct
{
  guint8 data[64];
  gsize len;
  gsize pos;
} PhotosealScrubPending;

typedef PhotosealScrubStep (*PhotosealScrubStepFunc) (gpointer              scrubber,
                                                      PhotosealScrubCursor *c,
                                                      GError              **error);
typedef const char *(*PhotosealScrubTruncationFunc) (gpointer                    scrubber,
                                                     const PhotosealScrubCursor *c);

/* What photoseal_scrub_run() needs to know of a scrubber. */
typedef struct
{
  /* The image format, as in "not a valid JPEG image". */
  const char *name;
  /* Moves the scrubber on by one step. */
  PhotosealScrubStepFunc step;
  /* Says why the input cannot end where it stopped. */
  PhotosealScrubTruncationFunc describe_truncation;
} PhotosealScrubFormat;

static inline const guint8 *
photoseal_scrub_cursor_peek (const PhotosealScrubCursor *c)
{
  return c->in + c->read;
}

static inline gsize
photoseal_scrub_cursor_avail (const PhotosealScrubCursor *c)
{
  return c->in_len - c->read;
}

static inline gsize
photoseal_scrub_cursor_space (const PhotosealScrubCursor *c)
{
  return c->out_len - c->written;
}

static inline gboolean
photoseal_scrub_pending_is_empty (const PhotosealScrubPending *pending)
{
  return pending->pos >= pending->len;
}

static inline void
photoseal_scrub_pending_clear (PhotosealScrubPending *pending)
{
  pending->len = 0;
  pending->pos = 0;
}

PhotosealScrubStep photoseal_scrub_invalid       (GError                    **error,
                                                  const char                 *format_name,
                                                  const char                 *format,
                                                  ...) G_GNUC_PRINTF (3, 4);
void               photoseal_scrub_pending_set   (PhotosealScrubPending      *pending,
                                                  const guint8               *head,
                                                  gsize                       head_len,
                                                  const guint8               *body,
                                                  gsize                       body_len);
PhotosealScrubStep photoseal_scrub_pending_write (PhotosealScrubPending      *pending,
                                                  PhotosealScrubCursor       *c);
PhotosealScrubStep photoseal_scrub_copy          (PhotosealScrubCursor       *c,
                                                  guint64                    *remaining);
PhotosealScrubStep photoseal_scrub_skip          (PhotosealScrubCursor       *c,
                                                  guint64                    *remaining);
PhotosealScrubStep photoseal_scrub_trailer       (PhotosealScrubCursor       *c,
                                                  PhotosealMetadata          *removed);
GConverterResult   photoseal_scrub_run           (const PhotosealScrubFormat *format,
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
                                                  GError                    **error);

G_END_DECLS
