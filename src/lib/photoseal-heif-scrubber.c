/* photoseal-heif-scrubber.c
 *
 * Removes EXIF and XMP from a HEIF file (the HEIC photos of iPhones) or
 * an AVIF file without decoding it. Both are ISO base media files: a run
 * of boxes (a 32-bit size, a four-letter type, a payload), of which `ftyp`
 * comes first, `meta` lists the items and `mdat` holds their bytes. The
 * meta box, tens of kilobytes, is gathered whole and rewritten by
 * photoseal-heif-meta.c without the metadata items, at its old length;
 * the boxes after it stream through with the removed items' bytes zeroed.
 * No byte of the image moves, so every offset in the file stays right and
 * the pixels are the camera's, bit for bit. Boxes that are neither image
 * structure nor metadata Photoseal knows are blanked into `free` boxes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-heif-scrubber"

#include "config.h"

#include <string.h>

#include "photoseal-exif.h"
#include "photoseal-heif-meta.h"
#include "photoseal-heif-scrubber.h"
#include "photoseal-scrubber-private.h"

#define BOX_HEAD_SIZE 8
#define LARGE_BOX_HEAD_SIZE 16

/* Real meta boxes hold a few hundred items at most; a bigger one is not
 * held in memory. */
#define META_MAX_SIZE (16 * 1024 * 1024)

/* EXIF is tens of kilobytes; a bigger item is zeroed without being read
 * for the GPS flag. */
#define EXIF_MAX_SIZE (1024 * 1024)

/* The length of the last box when its size field says "to the end". */
#define UNTIL_END G_MAXUINT64

typedef enum
{
  STATE_FTYP,
  STATE_BOX,
  STATE_META,
  STATE_BODY,
} State;

struct _PhotosealHeifScrubber
{
  PhotosealScrubber parent_instance;

  State state;

  /* What is left of the box being copied, and whether it is blanked. */
  guint64 body_remaining;
  gboolean blank;

  GByteArray *meta;
  gboolean seen_meta;

  /* Where the removed items' bytes are, in order, and the first of them
   * not yet behind us. */
  GArray *ranges;
  guint next_range;

  /* The EXIF item being zeroed, read on the way to tell the user whether
   * it held a location. */
  GByteArray *exif;
};

G_DEFINE_FINAL_TYPE (PhotosealHeifScrubber, photoseal_heif_scrubber, PHOTOSEAL_TYPE_SCRUBBER)

/* Top-level boxes that hold the image or say how to find it. */
static const char kept_boxes[][5] = {
  "ftyp", "mdat", "moov", "moof", "mfra", "sidx", "styp", "pdin",
};

static guint64
read_be (const guint8 *p,
         guint         size)
{
  guint64 value = 0;

  for (guint i = 0; i < size; i++)
    value = (value << 8) | p[i];
  return value;
}

static gboolean
is_kept_box (const guint8 *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (kept_boxes); i++)
    if (memcmp (type, kept_boxes[i], 4) == 0)
      return TRUE;
  return FALSE;
}

static PhotosealScrubStep
begin_meta (PhotosealHeifScrubber *self,
            guint64                size,
            GError               **error)
{
  PhotosealScrubber *scrubber = PHOTOSEAL_SCRUBBER (self);

  if (self->seen_meta)
    return photoseal_scrubber_invalid (scrubber, error, "it has more than one meta box");
  if (size == 0 || size > META_MAX_SIZE)
    return photoseal_scrubber_invalid (scrubber, error,
                                       "its meta box is too large to read (%" G_GUINT64_FORMAT
                                       " bytes)", size);

  self->seen_meta = TRUE;
  self->meta = g_byte_array_sized_new (size);
  self->state = STATE_META;
  return photoseal_scrubber_gather (scrubber, self->meta, size);
}

/* Unknown boxes and free space may hold anything; they keep their size
 * but lose their contents. */
static PhotosealScrubStep
begin_blank (PhotosealHeifScrubber *self,
             PhotosealScrubCursor  *c,
             guint64                size,
             gsize                  head_len)
{
  guint8 head[LARGE_BOX_HEAD_SIZE];

  memcpy (head, photoseal_scrub_cursor_peek (c), head_len);
  if (memcmp (head + 4, "free", 4) != 0 && memcmp (head + 4, "skip", 4) != 0)
    photoseal_scrubber_add_removed (PHOTOSEAL_SCRUBBER (self), PHOTOSEAL_METADATA_OTHER);
  memcpy (head + 4, "free", 4);
  photoseal_scrubber_write (PHOTOSEAL_SCRUBBER (self), head, head_len);
  c->read += head_len;

  self->state = STATE_BODY;
  self->blank = TRUE;
  self->body_remaining = size == 0 ? UNTIL_END : size - head_len;
  return PHOTOSEAL_SCRUB_STEP_PROGRESS;
}

static PhotosealScrubStep
step_box (PhotosealHeifScrubber *self,
          PhotosealScrubCursor  *c,
          GError               **error)
{
  PhotosealScrubber *scrubber = PHOTOSEAL_SCRUBBER (self);
  const guint8 *p = photoseal_scrub_cursor_peek (c);
  gsize avail = photoseal_scrub_cursor_avail (c);
  gsize head_len = BOX_HEAD_SIZE;
  guint64 size;

  if (avail == 0 && c->at_end && self->state == STATE_BOX)
    return PHOTOSEAL_SCRUB_STEP_FINISHED;
  if (avail < BOX_HEAD_SIZE)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;

  if (self->state == STATE_FTYP && memcmp (p + 4, "ftyp", 4) != 0)
    return photoseal_scrubber_invalid (scrubber, error, "it does not start with an ftyp box");
  size = read_be (p, 4);
  if (size == 1)
    {
      if (avail < LARGE_BOX_HEAD_SIZE)
        return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;
      size = read_be (p + BOX_HEAD_SIZE, 8);
      head_len = LARGE_BOX_HEAD_SIZE;
    }
  if (size != 0 && size < head_len)
    return photoseal_scrubber_invalid (scrubber, error,
                                       "the box at byte %" G_GUINT64_FORMAT " has an invalid size",
                                       photoseal_scrubber_get_position (scrubber, c));

  if (memcmp (p + 4, "meta", 4) == 0)
    return begin_meta (self, size, error);
  if (!is_kept_box (p + 4))
    return begin_blank (self, c, size, head_len);

  self->state = STATE_BODY;
  self->blank = FALSE;
  self->body_remaining = size == 0 ? UNTIL_END : size;
  return PHOTOSEAL_SCRUB_STEP_PROGRESS;
}

static PhotosealScrubStep
finish_meta (PhotosealHeifScrubber *self,
             PhotosealScrubCursor  *c,
             GError               **error)
{
  PhotosealScrubber *scrubber = PHOTOSEAL_SCRUBBER (self);
  g_autoptr(GBytes) meta = g_byte_array_free_to_bytes (g_steal_pointer (&self->meta));
  g_autoptr(GBytes) scrubbed = NULL;
  g_autoptr(GError) local_error = NULL;
  PhotosealMetadata removed = PHOTOSEAL_METADATA_NONE;
  const PhotosealHeifRange *first;

  scrubbed = photoseal_heif_meta_scrub (meta, self->ranges, &removed, &local_error);
  if (scrubbed == NULL)
    return photoseal_scrubber_invalid (scrubber, error, "%s", local_error->message);

  /* Bytes already passed on cannot be blanked any more. */
  first = self->ranges->len > 0 ? &g_array_index (self->ranges, PhotosealHeifRange, 0) : NULL;
  if (first != NULL && first->start < photoseal_scrubber_get_position (scrubber, c))
    return photoseal_scrubber_invalid (scrubber, error,
                                       "its metadata is stored before the end of its meta box");

  photoseal_scrubber_add_removed (scrubber, removed);
  photoseal_scrubber_write (scrubber, g_bytes_get_data (scrubbed, NULL),
                            g_bytes_get_size (scrubbed));
  self->state = STATE_BOX;
  return PHOTOSEAL_SCRUB_STEP_PROGRESS;
}

/* An EXIF item starts with the offset of its TIFF header past those
 * first 4 bytes. */
static void
look_for_gps (PhotosealHeifScrubber *self)
{
  const guint8 *data = self->exif->data;
  gsize len = self->exif->len;
  gboolean has_gps = FALSE;

  if (len > 4 && read_be (data, 4) < len - 4)
    photoseal_exif_get_orientation (data + 4 + read_be (data, 4), len - 4 - read_be (data, 4),
                                    &has_gps);
  if (has_gps)
    photoseal_scrubber_add_removed (PHOTOSEAL_SCRUBBER (self), PHOTOSEAL_METADATA_GPS);
  g_byte_array_set_size (self->exif, 0);
}

/* Zeroes the next @n bytes of an EXIF item, reading what is there
 * first; @range_end is where the item's bytes end. */
static PhotosealScrubStep
zero_exif (PhotosealHeifScrubber *self,
           PhotosealScrubCursor  *c,
           guint64                n,
           guint64                range_end)
{
  guint64 position = photoseal_scrubber_get_position (PHOTOSEAL_SCRUBBER (self), c);

  n = MIN (n, photoseal_scrub_cursor_avail (c));
  if (n == 0)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;

  if (self->exif->len + n <= EXIF_MAX_SIZE)
    g_byte_array_append (self->exif, photoseal_scrub_cursor_peek (c), n);
  if (position + n == range_end)
    look_for_gps (self);
  if (self->body_remaining != UNTIL_END)
    self->body_remaining -= n;
  return photoseal_scrubber_zero (PHOTOSEAL_SCRUBBER (self), n);
}

/* Copies the next piece of a box, up to where a removed item's bytes
 * begin or end. */
static PhotosealScrubStep
step_body (PhotosealHeifScrubber *self,
           PhotosealScrubCursor  *c)
{
  PhotosealScrubber *scrubber = PHOTOSEAL_SCRUBBER (self);
  guint64 position = photoseal_scrubber_get_position (scrubber, c);
  gsize avail = photoseal_scrub_cursor_avail (c);
  gboolean until_end = self->body_remaining == UNTIL_END;
  guint64 n = until_end ? avail : self->body_remaining;
  PhotosealHeifRange *range = NULL;

  if (self->body_remaining == 0)
    {
      self->state = STATE_BOX;
      return PHOTOSEAL_SCRUB_STEP_PROGRESS;
    }
  if (until_end && avail == 0)
    return c->at_end ? PHOTOSEAL_SCRUB_STEP_FINISHED : PHOTOSEAL_SCRUB_STEP_NEED_INPUT;

  for (; self->next_range < self->ranges->len; self->next_range++)
    {
      range = &g_array_index (self->ranges, PhotosealHeifRange, self->next_range);
      if (range->start + range->length > position)
        break;
      range = NULL;
    }

  if (range != NULL && range->start <= position)
    {
      n = MIN (n, range->start + range->length - position);
      if (!self->blank && range->kind == PHOTOSEAL_METADATA_EXIF)
        return zero_exif (self, c, n, range->start + range->length);
    }
  else if (range != NULL)
    n = MIN (n, range->start - position);

  if (!until_end)
    self->body_remaining -= n;
  if (self->blank || (range != NULL && range->start <= position))
    return photoseal_scrubber_zero (scrubber, n);
  return photoseal_scrubber_copy (scrubber, n);
}

static PhotosealScrubStep
photoseal_heif_scrubber_step (PhotosealScrubber    *scrubber,
                              PhotosealScrubCursor *c,
                              GError              **error)
{
  PhotosealHeifScrubber *self = PHOTOSEAL_HEIF_SCRUBBER (scrubber);

  g_assert (PHOTOSEAL_IS_HEIF_SCRUBBER (self));

  switch (self->state)
    {
    case STATE_FTYP:
    case STATE_BOX:
      return step_box (self, c, error);
    case STATE_META:
      return finish_meta (self, c, error);
    case STATE_BODY:
      return step_body (self, c);
    default:
      g_assert_not_reached ();
    }
}

static const char *
photoseal_heif_scrubber_describe_truncation (PhotosealScrubber          *scrubber,
                                             const PhotosealScrubCursor *c)
{
  PhotosealHeifScrubber *self = PHOTOSEAL_HEIF_SCRUBBER (scrubber);

  g_assert (PHOTOSEAL_IS_HEIF_SCRUBBER (self));

  if (self->state == STATE_FTYP)
    return "it does not start with an ftyp box";
  if (self->state == STATE_BOX && !photoseal_scrubber_is_busy (scrubber))
    return "the file ends in the middle of a box header";
  return "the file ends in the middle of a box";
}

static void
photoseal_heif_scrubber_reset (PhotosealScrubber *scrubber)
{
  PhotosealHeifScrubber *self = PHOTOSEAL_HEIF_SCRUBBER (scrubber);

  g_assert (PHOTOSEAL_IS_HEIF_SCRUBBER (self));

  self->state = STATE_FTYP;
  self->body_remaining = 0;
  self->blank = FALSE;
  g_clear_pointer (&self->meta, g_byte_array_unref);
  self->seen_meta = FALSE;
  g_array_set_size (self->ranges, 0);
  self->next_range = 0;
  g_byte_array_set_size (self->exif, 0);
}

static void
photoseal_heif_scrubber_finalize (GObject *object)
{
  PhotosealHeifScrubber *self = PHOTOSEAL_HEIF_SCRUBBER (object);

  g_clear_pointer (&self->meta, g_byte_array_unref);
  g_clear_pointer (&self->ranges, g_array_unref);
  g_clear_pointer (&self->exif, g_byte_array_unref);

  G_OBJECT_CLASS (photoseal_heif_scrubber_parent_class)->finalize (object);
}

static void
photoseal_heif_scrubber_class_init (PhotosealHeifScrubberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PhotosealScrubberClass *scrubber_class = PHOTOSEAL_SCRUBBER_CLASS (klass);

  object_class->finalize = photoseal_heif_scrubber_finalize;

  scrubber_class->format_name = "HEIF";
  scrubber_class->step = photoseal_heif_scrubber_step;
  scrubber_class->describe_truncation = photoseal_heif_scrubber_describe_truncation;
  scrubber_class->reset = photoseal_heif_scrubber_reset;
}

static void
photoseal_heif_scrubber_init (PhotosealHeifScrubber *self)
{
  self->ranges = g_array_new (FALSE, FALSE, sizeof (PhotosealHeifRange));
  self->exif = g_byte_array_new ();
  photoseal_heif_scrubber_reset (PHOTOSEAL_SCRUBBER (self));
}

PhotosealHeifScrubber *
photoseal_heif_scrubber_new (void)
{
  return g_object_new (PHOTOSEAL_TYPE_HEIF_SCRUBBER, NULL);
}
