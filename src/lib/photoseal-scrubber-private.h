/* photoseal-scrubber-private.h: what a scrubber subclass fills in and uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-scrubber.h"

G_BEGIN_DECLS

/* The buffers of one g_converter_convert() call and how far it got. */
struct _PhotosealScrubCursor
{
  const guint8 *in;
  gsize in_len;
  gsize read;
  guint8 *out;
  gsize out_len;
  gsize written;
  gboolean at_end;
};

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

PhotosealScrubStep photoseal_scrubber_invalid       (PhotosealScrubber          *self,
                                                     GError                    **error,
                                                     const char                 *format,
                                                     ...) G_GNUC_PRINTF (3, 4);
guint64            photoseal_scrubber_get_position  (PhotosealScrubber          *self,
                                                     const PhotosealScrubCursor *c);
gboolean           photoseal_scrubber_is_busy       (PhotosealScrubber          *self);
void               photoseal_scrubber_add_removed   (PhotosealScrubber          *self,
                                                     PhotosealMetadata           removed);
void               photoseal_scrubber_write         (PhotosealScrubber          *self,
                                                     const guint8               *data,
                                                     gsize                       len);
PhotosealScrubStep photoseal_scrubber_copy          (PhotosealScrubber          *self,
                                                     guint64                     len);
PhotosealScrubStep photoseal_scrubber_skip          (PhotosealScrubber          *self,
                                                     guint64                     len);
PhotosealScrubStep photoseal_scrubber_zero          (PhotosealScrubber          *self,
                                                     guint64                     len);
PhotosealScrubStep photoseal_scrubber_gather        (PhotosealScrubber          *self,
                                                     GByteArray                 *into,
                                                     guint64                     len);
PhotosealScrubStep photoseal_scrubber_trailer       (PhotosealScrubber          *self,
                                                     PhotosealScrubCursor       *c);

G_END_DECLS
