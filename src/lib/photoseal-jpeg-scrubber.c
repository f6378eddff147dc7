/* photoseal-jpeg-scrubber.c
 *
 * Removes metadata from a JPEG without decoding it, so the pixels stay
 * bit for bit what the camera wrote. A JPEG is a run of marker segments
 * (0xFF, a marker byte, a 16-bit length, a payload) until a start-of-scan,
 * whose entropy-coded data has no length and runs until the next marker
 * that is not a restart or a stuffed 0xFF00. The scrubber walks that
 * structure as a streaming state machine: it copies the segments a decoder
 * needs, skips the application segments and comments that only describe
 * the photo, and copies entropy-coded data untouched. Memory stays constant
 * whatever the file's size; the largest thing it ever looks at whole is one
 * EXIF segment (at most 65537 bytes), which it asks its caller to buffer
 * with G_IO_ERROR_PARTIAL_INPUT, as the GConverter contract intends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-jpeg-scrubber"

#include "config.h"

#include <string.h>

#include "photoseal-exif.h"
#include "photoseal-jpeg-scrubber.h"
#include "photoseal-scrubber-private.h"

#define MARKER_TEM 0x01
#define MARKER_RST0 0xd0
#define MARKER_RST7 0xd7
#define MARKER_SOI 0xd8
#define MARKER_EOI 0xd9
#define MARKER_SOS 0xda
#define MARKER_APP0 0xe0
#define MARKER_APP1 0xe1
#define MARKER_APP2 0xe2
#define MARKER_APP13 0xed
#define MARKER_APP14 0xee
#define MARKER_APP15 0xef
#define MARKER_COM 0xfe

#define IS_RST(m) ((m) >= MARKER_RST0 && (m) <= MARKER_RST7)
#define IS_APP(m) ((m) >= MARKER_APP0 && (m) <= MARKER_APP15)

/* Marker, length and enough payload to tell every identifier below apart;
 * the longest is extended XMP's. */
#define SEGMENT_HEAD_SIZE (4 + sizeof XMP_EXTENSION_ID - 1)

#define EXIF_ID "Exif\0"
#define EXIF_PREFIX_SIZE 6
#define JFIF_ID "JFIF\0"
#define JFXX_ID "JFXX\0"
#define XMP_ID "http://ns.adobe.com/xap/1.0/\0"
#define XMP_EXTENSION_ID "http://ns.adobe.com/xmp/extension/\0"
#define ICC_ID "ICC_PROFILE\0"
#define ADOBE_ID "Adobe"

/* The JFIF header after its identifier: version (2), density unit (1),
 * densities (2 + 2), thumbnail width and height (1 + 1); a thumbnail's
 * pixels follow it. */
#define JFIF_HEADER_SIZE 9
#define JFIF_SEGMENT_LENGTH (2 + sizeof JFIF_ID - 1 + JFIF_HEADER_SIZE)

typedef enum
{
  STATE_SOI,
  STATE_MARKER,
  STATE_ENTROPY,
  STATE_TRAILER,
} State;

struct _PhotosealJpegScrubber
{
  PhotosealScrubber parent_instance;

  State state;
  gboolean orientation_kept;
};

G_DEFINE_FINAL_TYPE (PhotosealJpegScrubber, photoseal_jpeg_scrubber, PHOTOSEAL_TYPE_SCRUBBER)

static gboolean
has_prefix (const guint8 *data,
            gsize         len,
            const char   *prefix,
            gsize         prefix_len)
{
  return len >= prefix_len && memcmp (data, prefix, prefix_len) == 0;
}

#define HAS_ID(data, len, id) has_prefix ((data), (len), (id), sizeof (id) - 1)

/* The base class copies or skips @length bytes; the scrubber waits in
 * @next until they are through. */
static PhotosealScrubStep
copy_then (PhotosealJpegScrubber *self,
           guint64                length,
           State                  next)
{
  self->state = next;
  return photoseal_scrubber_copy (PHOTOSEAL_SCRUBBER (self), length);
}

static PhotosealScrubStep
skip_then (PhotosealJpegScrubber *self,
           guint64                length,
           State                  next)
{
  self->state = next;
  return photoseal_scrubber_skip (PHOTOSEAL_SCRUBBER (self), length);
}

static PhotosealScrubStep
step_soi (PhotosealJpegScrubber *self,
          PhotosealScrubCursor  *c,
          GError               **error)
{
  static const guint8 soi[2] = { 0xff, MARKER_SOI };
  gsize avail = MIN (photoseal_scrub_cursor_avail (c), sizeof soi);

  if (avail == 0)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;
  /* Say no as soon as the first byte is wrong, not at the end of the file. */
  if (memcmp (photoseal_scrub_cursor_peek (c), soi, avail) != 0)
    return photoseal_scrubber_invalid (PHOTOSEAL_SCRUBBER (self), error,
                                       "it does not start with a start-of-image marker");
  if (avail < sizeof soi)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;

  return copy_then (self, sizeof soi, STATE_MARKER);
}

/* Returns how many bytes at the start of @data are entropy-coded data:
 * everything up to a marker, where 0xFF00 (a stuffed 0xFF) and restart
 * markers count as data. */
static gsize
scan_entropy (const guint8 *data,
              gsize         len,
              gboolean     *at_marker)
{
  gsize n = 0;

  *at_marker = FALSE;
  while (n < len)
    {
      const guint8 *ff = memchr (data + n, 0xff, len - n);

      if (ff == NULL)
        return len;

      n = ff - data;
      /* The byte after 0xFF decides what it is; wait for it. */
      if (n + 1 == len)
        return n;
      if (data[n + 1] != 0x00 && !IS_RST (data[n + 1]))
        {
          *at_marker = TRUE;
          return n;
        }
      n += 2;
    }

  return len;
}

static PhotosealScrubStep
step_entropy (PhotosealJpegScrubber *self,
              PhotosealScrubCursor  *c)
{
  gsize avail = photoseal_scrub_cursor_avail (c);
  gsize space = photoseal_scrub_cursor_space (c);
  gsize window;
  gboolean at_marker;
  gsize n;

  if (avail == 0)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;

  /* Look no further than what fits in the output, plus the one byte that
   * tells whether a final 0xFF starts a marker: a caller reading a byte at
   * a time must not make every call scan the whole input buffer. */
  window = space < avail ? space + 1 : avail;
  n = MIN (scan_entropy (photoseal_scrub_cursor_peek (c), window, &at_marker), space);

  if (n > 0)
    return copy_then (self, n, STATE_ENTROPY);
  if (at_marker)
    {
      self->state = STATE_MARKER;
      return PHOTOSEAL_SCRUB_STEP_PROGRESS;
    }
  return space == 0 ? PHOTOSEAL_SCRUB_STEP_NEED_SPACE : PHOTOSEAL_SCRUB_STEP_NEED_INPUT;
}

/* Returns the metadata an application segment or comment holds, or
 * PHOTOSEAL_METADATA_NONE for the few that decoders need. */
static PhotosealMetadata
classify_segment (guint8        marker,
                  const guint8 *id,
                  gsize         id_len)
{
  switch (marker)
    {
    case MARKER_COM:
      return PHOTOSEAL_METADATA_COMMENT;
    case MARKER_APP0:
      return HAS_ID (id, id_len, JFXX_ID) ? PHOTOSEAL_METADATA_THUMBNAIL : PHOTOSEAL_METADATA_OTHER;
    case MARKER_APP1:
      if (HAS_ID (id, id_len, XMP_ID) || HAS_ID (id, id_len, XMP_EXTENSION_ID))
        return PHOTOSEAL_METADATA_XMP;
      return PHOTOSEAL_METADATA_OTHER;
    case MARKER_APP2:
      /* The colour profile changes how the pixels look; MPF and FlashPix don't. */
      return HAS_ID (id, id_len, ICC_ID) ? PHOTOSEAL_METADATA_NONE : PHOTOSEAL_METADATA_OTHER;
    case MARKER_APP13:
      return PHOTOSEAL_METADATA_IPTC;
    case MARKER_APP14:
      /* Adobe's segment says whether CMYK data is inverted or YCCK. */
      return HAS_ID (id, id_len, ADOBE_ID) ? PHOTOSEAL_METADATA_NONE : PHOTOSEAL_METADATA_OTHER;
    default:
      return PHOTOSEAL_METADATA_OTHER;
    }
}

/* A JFIF segment carries the pixel density, which viewers use for the
 * aspect ratio, and sometimes a thumbnail, which is a picture of the
 * patient like any other. One with a thumbnail is written again without. */
static PhotosealScrubStep
step_jfif (PhotosealJpegScrubber *self,
           PhotosealScrubCursor  *c,
           gsize                  length)
{
  static const guint8 head[4] = { 0xff, MARKER_APP0, 0x00, JFIF_SEGMENT_LENGTH };
  guint8 header[sizeof JFIF_ID - 1 + JFIF_HEADER_SIZE];

  if (length <= JFIF_SEGMENT_LENGTH)
    return copy_then (self, length + 2, STATE_MARKER);

  memcpy (header, photoseal_scrub_cursor_peek (c) + 4, sizeof header);
  header[sizeof header - 2] = 0;
  header[sizeof header - 1] = 0;
  photoseal_scrubber_write (PHOTOSEAL_SCRUBBER (self), head, sizeof head);
  photoseal_scrubber_write (PHOTOSEAL_SCRUBBER (self), header, sizeof header);

  photoseal_scrubber_add_removed (PHOTOSEAL_SCRUBBER (self), PHOTOSEAL_METADATA_THUMBNAIL);
  return skip_then (self, length + 2, STATE_MARKER);
}

/* EXIF goes, but its orientation is written back in a minimal EXIF
 * segment, or the photo would display on its side. */
static PhotosealScrubStep
step_exif (PhotosealJpegScrubber *self,
           PhotosealScrubCursor  *c,
           gsize                  length)
{
  const guint8 *tiff = photoseal_scrub_cursor_peek (c) + 4 + EXIF_PREFIX_SIZE;
  gsize tiff_len = length >= 2 + EXIF_PREFIX_SIZE ? length - 2 - EXIF_PREFIX_SIZE : 0;
  gboolean has_gps = FALSE;
  guint orientation;

  if (photoseal_scrub_cursor_avail (c) < length + 2)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;

  orientation = photoseal_exif_get_orientation (tiff, tiff_len, &has_gps);
  if (orientation != 0 && !self->orientation_kept)
    {
      g_autoptr(GBytes) minimal = photoseal_exif_new_orientation_only (orientation);
      gsize minimal_len = g_bytes_get_size (minimal);
      gsize new_length = 2 + EXIF_PREFIX_SIZE + minimal_len;
      const guint8 head[] = {
        0xff, MARKER_APP1, new_length >> 8, new_length & 0xff, 'E', 'x', 'i', 'f', 0, 0,
      };

      self->orientation_kept = TRUE;

      /* Our own output, scrubbed before: leave it as it is. */
      if (tiff_len == minimal_len && memcmp (tiff, g_bytes_get_data (minimal, NULL), tiff_len) == 0)
        return copy_then (self, length + 2, STATE_MARKER);

      photoseal_scrubber_write (PHOTOSEAL_SCRUBBER (self), head, sizeof head);
      photoseal_scrubber_write (PHOTOSEAL_SCRUBBER (self), g_bytes_get_data (minimal, NULL),
                                minimal_len);
    }

  photoseal_scrubber_add_removed (PHOTOSEAL_SCRUBBER (self), PHOTOSEAL_METADATA_EXIF);
  if (has_gps)
    photoseal_scrubber_add_removed (PHOTOSEAL_SCRUBBER (self), PHOTOSEAL_METADATA_GPS);
  c->read += length + 2;
  return PHOTOSEAL_SCRUB_STEP_PROGRESS;
}

static PhotosealScrubStep
step_app_segment (PhotosealJpegScrubber *self,
                  PhotosealScrubCursor  *c,
                  gsize                  length)
{
  const guint8 *segment = photoseal_scrub_cursor_peek (c);
  gsize head_len = MIN (length + 2, SEGMENT_HEAD_SIZE);
  const guint8 *id = segment + 4;
  gsize id_len = head_len - 4;
  PhotosealMetadata found;

  if (photoseal_scrub_cursor_avail (c) < head_len)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;

  if (segment[1] == MARKER_APP1 && HAS_ID (id, id_len, EXIF_ID))
    return step_exif (self, c, length);
  if (segment[1] == MARKER_APP0 && HAS_ID (id, id_len, JFIF_ID))
    return step_jfif (self, c, length);

  found = classify_segment (segment[1], id, id_len);
  if (found == PHOTOSEAL_METADATA_NONE)
    return copy_then (self, length + 2, STATE_MARKER);

  photoseal_scrubber_add_removed (PHOTOSEAL_SCRUBBER (self), found);
  return skip_then (self, length + 2, STATE_MARKER);
}

static PhotosealScrubStep
step_marker (PhotosealJpegScrubber *self,
             PhotosealScrubCursor  *c,
             GError               **error)
{
  const guint8 *p = photoseal_scrub_cursor_peek (c);
  guint64 offset = photoseal_scrubber_get_position (PHOTOSEAL_SCRUBBER (self), c);
  gsize length;

  if (photoseal_scrub_cursor_avail (c) < 2)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;
  if (p[0] != 0xff)
    return photoseal_scrubber_invalid (PHOTOSEAL_SCRUBBER (self), error,
                                       "expected a marker at byte %" G_GUINT64_FORMAT,
                                       offset);

  /* Any number of 0xFF may pad the space before a marker. */
  if (p[1] == 0xff)
    return copy_then (self, 1, STATE_MARKER);
  if (p[1] == MARKER_EOI)
    return copy_then (self, 2, STATE_TRAILER);
  if (IS_RST (p[1]) || p[1] == MARKER_TEM)
    return copy_then (self, 2, STATE_MARKER);
  if (p[1] == MARKER_SOI || p[1] == 0x00)
    return photoseal_scrubber_invalid (PHOTOSEAL_SCRUBBER (self), error,
                                       "unexpected marker 0x%02x at byte %" G_GUINT64_FORMAT, p[1],
                                       offset);

  if (photoseal_scrub_cursor_avail (c) < 4)
    return PHOTOSEAL_SCRUB_STEP_NEED_INPUT;
  length = (p[2] << 8) | p[3];
  if (length < 2)
    return photoseal_scrubber_invalid (PHOTOSEAL_SCRUBBER (self), error,
                                       "segment at byte %" G_GUINT64_FORMAT
                                       " has an invalid length", offset);

  if (IS_APP (p[1]) || p[1] == MARKER_COM)
    return step_app_segment (self, c, length);

  /* Tables, frame headers and the like: a decoder needs them all. */
  return copy_then (self, length + 2, p[1] == MARKER_SOS ? STATE_ENTROPY : STATE_MARKER);
}

static PhotosealScrubStep
photoseal_jpeg_scrubber_step (PhotosealScrubber    *scrubber,
                              PhotosealScrubCursor *c,
                              GError              **error)
{
  PhotosealJpegScrubber *self = PHOTOSEAL_JPEG_SCRUBBER (scrubber);

  g_assert (PHOTOSEAL_IS_JPEG_SCRUBBER (self));

  switch (self->state)
    {
    case STATE_SOI:
      return step_soi (self, c, error);
    case STATE_MARKER:
      return step_marker (self, c, error);
    case STATE_ENTROPY:
      return step_entropy (self, c);
    case STATE_TRAILER:
      /* Past the end-of-image marker come the secondary images of
       * multi-picture files (a depth map, a full-size preview) and vendors'
       * trailers: all go. */
      return photoseal_scrubber_trailer (scrubber, c);
    default:
      g_assert_not_reached ();
    }
}

static const char *
photoseal_jpeg_scrubber_describe_truncation (PhotosealScrubber          *scrubber,
                                             const PhotosealScrubCursor *c)
{
  PhotosealJpegScrubber *self = PHOTOSEAL_JPEG_SCRUBBER (scrubber);

  g_assert (PHOTOSEAL_IS_JPEG_SCRUBBER (self));

  if (self->state == STATE_SOI)
    return "it does not start with a start-of-image marker";
  if (!photoseal_scrubber_is_busy (scrubber)
      && (self->state == STATE_ENTROPY
          || (self->state == STATE_MARKER && photoseal_scrub_cursor_avail (c) == 0)))
    return "the file ends before its end-of-image marker";
  return "the file ends in the middle of a segment";
}

static void
photoseal_jpeg_scrubber_reset (PhotosealScrubber *scrubber)
{
  PhotosealJpegScrubber *self = PHOTOSEAL_JPEG_SCRUBBER (scrubber);

  g_assert (PHOTOSEAL_IS_JPEG_SCRUBBER (self));

  self->state = STATE_SOI;
  self->orientation_kept = FALSE;
}

static void
photoseal_jpeg_scrubber_class_init (PhotosealJpegScrubberClass *klass)
{
  PhotosealScrubberClass *scrubber_class = PHOTOSEAL_SCRUBBER_CLASS (klass);

  scrubber_class->format_name = "JPEG";
  scrubber_class->step = photoseal_jpeg_scrubber_step;
  scrubber_class->describe_truncation = photoseal_jpeg_scrubber_describe_truncation;
  scrubber_class->reset = photoseal_jpeg_scrubber_reset;
}

static void
photoseal_jpeg_scrubber_init (PhotosealJpegScrubber *self)
{
  photoseal_jpeg_scrubber_reset (PHOTOSEAL_SCRUBBER (self));
}

PhotosealJpegScrubber *
photoseal_jpeg_scrubber_new (void)
{
  return g_object_new (PHOTOSEAL_TYPE_JPEG_SCRUBBER, NULL);
}
