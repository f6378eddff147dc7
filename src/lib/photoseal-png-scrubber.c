/* photoseal-png-scrubber.c
 *
 * Removes metadata from a PNG without decoding it. A PNG is a signature
 * and a run of chunks (length, type, data, CRC). The type says what a
 * chunk is for: an uppercase first letter marks a critical chunk, which a
 * decoder needs; a handful of ancillary ones change how the pixels look
 * (transparency, gamma, colour profile, animation). Those are copied; text,
 * timestamps, EXIF and private chunks are skipped. Chunks are copied and
 * skipped a piece at a time, so an IDAT of any size streams through in
 * constant memory; only an eXIf chunk is gathered whole, to read its
 * orientation, and only up to EXIF_MAX_SIZE.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-png-scrubber"

#include "config.h"

#include <string.h>

#include <zlib.h>

#include "photoseal-exif.h"
#include "photoseal-png-scrubber.h"
#include "photoseal-scrubber-private.h"

#define SIGNATURE_SIZE 8
#define CHUNK_HEAD_SIZE 8
#define CHUNK_CRC_SIZE 4
#define CHUNK_MAX_LENGTH G_MAXINT32

/* Real EXIF is tens of kilobytes; a bigger eXIf is dropped unread rather
 * than held in memory. */
#define EXIF_MAX_SIZE (1024 * 1024)

/* A text chunk's keyword is 1 to 79 bytes and a NUL. */
#define KEYWORD_MAX_SIZE 80

typedef enum
{
  STATE_SIGNATURE,
  STATE_CHUNK,
  STATE_EXIF,
  STATE_TRAILER,
} State;

struct _PhotosealPngScrubber
{
  PhotosealScrubber parent_instance;

  State state;

  /* The data and CRC of the eXIf chunk being gathered. */
  GByteArray *exif;

  gboolean orientation_kept;
};

G_DEFINE_FINAL_TYPE (PhotosealPngScrubber, photoseal_png_scrubber, PHOTOSEAL_TYPE_SCRUBBER)

static const guint8 png_signature[SIGNATURE_SIZE] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

/* Ancillary chunks that change how the image is displayed. */
static const char kept_chunks[][5] = {
  "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "bKGD", "pHYs", "hIST", "sPLT",
  "cICP", "mDCv", "cLLi", "acTL", "fcTL", "fdAT",
};

/* Text chunks whose keyword says they hold more than words. ImageMagick
 * and ExifTool store EXIF, IPTC and XMP in PNG this way. */
static const struct
{
  const char *keyword;
  PhotosealMetadata flag;
} text_keywords[] = {
  { "XML:com.adobe.xmp", PHOTOSEAL_METADATA_XMP },
  { "Raw profile type xmp", PHOTOSEAL_METADATA_XMP },
  { "Raw profile type exif", PHOTOSEAL_METADATA_EXIF },
  { "Raw profile type APP1", PHOTOSEAL_METADATA_EXIF },
  { "Raw profile type iptc", PHOTOSEAL_METADATA_IPTC },
  { "Raw profile type 8bim", PHOTOSEAL_METADATA_IPTC },
  { "Comment", PHOTOSEAL_METADATA_COMMENT },
};

static guint32
read_u32_be (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
write_u32_be (guint8 *p,
              guint32 value)
{
  p[0] = value >> 24;
  p[1] = value >> 16;
  p[2] = value >> 8;
  p[3] = value;
}

/* The base class copies or skips @length bytes; the scrubber waits in
 * @next until they are through. */
static PhotosealScrubStep
copy_then (PhotosealPngScrubber *self,
           guint64               length,
           State                 next)
{
  self->state = next;
  return photoseal_scrubber_copy (PHOTOSEAL_SCRUBBER (self), length);
}

static PhotosealScrubStep
skip_then (PhotosealPngScrubber *self,
           guint64               length,
           State                 next)
{
  self->state = next;
  return photoseal_scrubber_skip (PHOTOSEAL_SCRUBBER (self), length);
}

static PhotosealScrubStep
step_signature (PhotosealPngScrubber *self,
                PhotosealScrubCursor *c,
                GError              **error)
{
  gsize avail = MIN (photoseal_scrub_cursor_avail (c), SIGNATURE_SIZE);

  if (avail == 0)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;
  /* Say no as soon as a byte is wrong, not at the end of the file. */
  if (memcmp (photoseal_scrub_cursor_peek (c), png_signature, avail) != 0)
    return photoseal_scrubber_invalid (PHOTOSEAL_SCRUBBER (self), error,
                                       "it does not start with the PNG signature");
  if (avail < SIGNATURE_SIZE)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;

  return copy_then (self, SIGNATURE_SIZE, STATE_CHUNK);
}

static gboolean
is_chunk_type (const guint8 *type)
{
  for (guint i = 0; i < 4; i++)
    if (!g_ascii_isalpha (type[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_kept_chunk (const guint8 *type)
{
  /* Bit 5 of the first letter clear (uppercase) marks a critical chunk. */
  if (!(type[0] & 0x20))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (kept_chunks); i++)
    if (memcmp (type, kept_chunks[i], 4) == 0)
      return TRUE;
  return FALSE;
}

static PhotosealMetadata
classify_text (const guint8 *data,
               gsize         len)
{
  const guint8 *nul = memchr (data, '\0', len);
  gsize keyword_len = nul != NULL ? (gsize) (nul - data) : len;

  for (guint i = 0; i < G_N_ELEMENTS (text_keywords); i++)
    if (keyword_len == strlen (text_keywords[i].keyword)
        && memcmp (data, text_keywords[i].keyword, keyword_len) == 0)
      return text_keywords[i].flag;
  return PHOTOSEAL_METADATA_TEXT;
}

/* Drops an ancillary chunk, after a look at a text chunk's keyword to tell
 * the user what it held. */
static PhotosealScrubStep
skip_chunk (PhotosealPngScrubber *self,
            PhotosealScrubCursor *c,
            guint32               length)
{
  const guint8 *type = photoseal_scrub_cursor_peek (c) + 4;
  PhotosealMetadata found = PHOTOSEAL_METADATA_OTHER;

  if (memcmp (type, "tEXt", 4) == 0 || memcmp (type, "zTXt", 4) == 0
      || memcmp (type, "iTXt", 4) == 0)
    {
      gsize peek_len = MIN (length, KEYWORD_MAX_SIZE);

      if (photoseal_scrub_cursor_avail (c) < CHUNK_HEAD_SIZE + peek_len)
        return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;
      found = classify_text (photoseal_scrub_cursor_peek (c) + CHUNK_HEAD_SIZE, peek_len);
    }

  photoseal_scrubber_add_removed (PHOTOSEAL_SCRUBBER (self), found);
  return skip_then (self, (guint64) length + CHUNK_HEAD_SIZE + CHUNK_CRC_SIZE, STATE_CHUNK);
}

static PhotosealScrubStep
begin_exif (PhotosealPngScrubber *self,
            PhotosealScrubCursor *c,
            guint32               length)
{
  if (length > EXIF_MAX_SIZE)
    {
      photoseal_scrubber_add_removed (PHOTOSEAL_SCRUBBER (self), PHOTOSEAL_METADATA_EXIF);
      return skip_then (self, (guint64) length + CHUNK_HEAD_SIZE + CHUNK_CRC_SIZE, STATE_CHUNK);
    }

  c->read += CHUNK_HEAD_SIZE;
  self->exif = g_byte_array_sized_new (length + CHUNK_CRC_SIZE);
  self->state = STATE_EXIF;
  return photoseal_scrubber_gather (PHOTOSEAL_SCRUBBER (self), self->exif,
                                    length + CHUNK_CRC_SIZE);
}

static PhotosealScrubStep
step_chunk (PhotosealPngScrubber *self,
            PhotosealScrubCursor *c,
            GError              **error)
{
  const guint8 *head = photoseal_scrub_cursor_peek (c);
  guint64 offset = photoseal_scrubber_get_position (PHOTOSEAL_SCRUBBER (self), c);
  guint32 length;

  if (photoseal_scrub_cursor_avail (c) < CHUNK_HEAD_SIZE)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;

  length = read_u32_be (head);
  if (length > CHUNK_MAX_LENGTH)
    return photoseal_scrubber_invalid (PHOTOSEAL_SCRUBBER (self), error,
                                       "the chunk at byte %" G_GUINT64_FORMAT " is too long",
                                       offset);
  if (!is_chunk_type (head + 4))
    return photoseal_scrubber_invalid (PHOTOSEAL_SCRUBBER (self), error,
                                       "the chunk at byte %" G_GUINT64_FORMAT " has no valid type",
                                       offset);

  if (memcmp (head + 4, "IEND", 4) == 0)
    return copy_then (self, (guint64) length + CHUNK_HEAD_SIZE + CHUNK_CRC_SIZE, STATE_TRAILER);
  if (is_kept_chunk (head + 4))
    return copy_then (self, (guint64) length + CHUNK_HEAD_SIZE + CHUNK_CRC_SIZE, STATE_CHUNK);
  if (memcmp (head + 4, "eXIf", 4) == 0)
    return begin_exif (self, c, length);
  return skip_chunk (self, c, length);
}

static void
write_exif_chunk (PhotosealPngScrubber *self,
                  GBytes               *tiff)
{
  gsize tiff_len = g_bytes_get_size (tiff);
  g_autofree guint8 *chunk = g_malloc (CHUNK_HEAD_SIZE + tiff_len + CHUNK_CRC_SIZE);

  write_u32_be (chunk, tiff_len);
  memcpy (chunk + 4, "eXIf", 4);
  memcpy (chunk + CHUNK_HEAD_SIZE, g_bytes_get_data (tiff, NULL), tiff_len);
  /* The CRC covers the type and the data. */
  write_u32_be (chunk + CHUNK_HEAD_SIZE + tiff_len, crc32 (0, chunk + 4, 4 + tiff_len));
  photoseal_scrubber_write (PHOTOSEAL_SCRUBBER (self), chunk,
                            CHUNK_HEAD_SIZE + tiff_len + CHUNK_CRC_SIZE);
}

/* EXIF goes, but its orientation is written back in a minimal eXIf chunk,
 * or the photo would display on its side. A chunk that is already just
 * that, from an earlier scrub, is written back the same and not counted. */
static void
finish_exif (PhotosealPngScrubber *self)
{
  g_autoptr(GByteArray) exif = g_steal_pointer (&self->exif);
  gsize tiff_len = exif->len - CHUNK_CRC_SIZE;
  gboolean has_gps = FALSE;
  guint orientation;

  orientation = photoseal_exif_get_orientation (exif->data, tiff_len, &has_gps);
  if (orientation != 0 && !self->orientation_kept)
    {
      g_autoptr(GBytes) minimal = photoseal_exif_new_orientation_only (orientation);

      self->orientation_kept = TRUE;
      write_exif_chunk (self, minimal);
      if (tiff_len == g_bytes_get_size (minimal)
          && memcmp (exif->data, g_bytes_get_data (minimal, NULL), tiff_len) == 0)
        return;
    }

  photoseal_scrubber_add_removed (PHOTOSEAL_SCRUBBER (self), PHOTOSEAL_METADATA_EXIF);
  if (has_gps)
    photoseal_scrubber_add_removed (PHOTOSEAL_SCRUBBER (self), PHOTOSEAL_METADATA_GPS);
}

static PhotosealScrubStep
photoseal_png_scrubber_step (PhotosealScrubber    *scrubber,
                             PhotosealScrubCursor *c,
                             GError              **error)
{
  PhotosealPngScrubber *self = PHOTOSEAL_PNG_SCRUBBER (scrubber);

  g_assert (PHOTOSEAL_IS_PNG_SCRUBBER (self));

  switch (self->state)
    {
    case STATE_SIGNATURE:
      return step_signature (self, c, error);
    case STATE_CHUNK:
      return step_chunk (self, c, error);
    case STATE_EXIF:
      finish_exif (self);
      self->state = STATE_CHUNK;
      return PHOTOSEAL_SCRUB_STEP_PROGRESS;
    case STATE_TRAILER:
      /* Whatever follows IEND is no part of the image. */
      return photoseal_scrubber_trailer (scrubber, c);
    default:
      g_assert_not_reached ();
    }
}

static const char *
photoseal_png_scrubber_describe_truncation (PhotosealScrubber          *scrubber,
                                            const PhotosealScrubCursor *c)
{
  PhotosealPngScrubber *self = PHOTOSEAL_PNG_SCRUBBER (scrubber);

  g_assert (PHOTOSEAL_IS_PNG_SCRUBBER (self));

  if (self->state == STATE_SIGNATURE)
    return "it does not start with the PNG signature";
  if (self->state == STATE_CHUNK && !photoseal_scrubber_is_busy (scrubber)
      && photoseal_scrub_cursor_avail (c) == 0)
    return "the file ends before its IEND chunk";
  return "the file ends in the middle of a chunk";
}

static void
photoseal_png_scrubber_reset (PhotosealScrubber *scrubber)
{
  PhotosealPngScrubber *self = PHOTOSEAL_PNG_SCRUBBER (scrubber);

  g_assert (PHOTOSEAL_IS_PNG_SCRUBBER (self));

  self->state = STATE_SIGNATURE;
  g_clear_pointer (&self->exif, g_byte_array_unref);
  self->orientation_kept = FALSE;
}

static void
photoseal_png_scrubber_finalize (GObject *object)
{
  PhotosealPngScrubber *self = PHOTOSEAL_PNG_SCRUBBER (object);

  g_clear_pointer (&self->exif, g_byte_array_unref);

  G_OBJECT_CLASS (photoseal_png_scrubber_parent_class)->finalize (object);
}

static void
photoseal_png_scrubber_class_init (PhotosealPngScrubberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PhotosealScrubberClass *scrubber_class = PHOTOSEAL_SCRUBBER_CLASS (klass);

  object_class->finalize = photoseal_png_scrubber_finalize;

  scrubber_class->format_name = "PNG";
  scrubber_class->step = photoseal_png_scrubber_step;
  scrubber_class->describe_truncation = photoseal_png_scrubber_describe_truncation;
  scrubber_class->reset = photoseal_png_scrubber_reset;
}

static void
photoseal_png_scrubber_init (PhotosealPngScrubber *self)
{
  photoseal_png_scrubber_reset (PHOTOSEAL_SCRUBBER (self));
}

PhotosealPngScrubber *
photoseal_png_scrubber_new (void)
{
  return g_object_new (PHOTOSEAL_TYPE_PNG_SCRUBBER, NULL);
}
