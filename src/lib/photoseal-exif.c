/* photoseal-exif.c
 *
 * An EXIF blob is a little TIFF file: a byte-order mark, the offset of the
 * first image file directory (IFD0), and directories of 12-byte entries
 * that point at each other. Metadata removal only needs two facts from it,
 * both in IFD0: the Orientation, which must survive so that a photo still
 * displays upright, and whether a GPS directory exists, which the user is
 * told about. Everything here is read from untrusted files, so every offset
 * is checked against the blob's length before it is followed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-exif"

#include "config.h"

#include <string.h>

#include "photoseal-exif.h"

#define TIFF_HEADER_SIZE 8
#define IFD_ENTRY_SIZE 12

#define TAG_ORIENTATION 0x0112
#define TAG_GPS_IFD 0x8825
#define TYPE_SHORT 3

static guint16
read_u16 (const guint8 *p,
          gboolean      big_endian)
{
  return big_endian ? (p[0] << 8) | p[1] : (p[1] << 8) | p[0];
}

static guint32
read_u32 (const guint8 *p,
          gboolean      big_endian)
{
  if (big_endian)
    return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
  return ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

/* Returns the orientation an IFD0 entry holds, or 0 when it holds none. */
static guint
entry_orientation (const guint8 *entry,
                   gboolean      big_endian)
{
  guint value;

  if (read_u16 (entry + 2, big_endian) != TYPE_SHORT || read_u32 (entry + 4, big_endian) != 1)
    return 0;

  /* A single SHORT sits in the first two bytes of the value field. */
  value = read_u16 (entry + 8, big_endian);
  return value >= 1 && value <= 8 ? value : 0;
}

/**
 * photoseal_exif_get_orientation:
 * @tiff: (array length=len): an EXIF blob, starting with its TIFF header
 * @len: the length of @tiff
 * @has_gps: (out) (optional): whether IFD0 points at a GPS directory
 *
 * Returns: the EXIF orientation, 1 to 8, or 0 when it is absent or the blob
 *   is not valid
 */
guint
photoseal_exif_get_orientation (const guint8 *tiff,
                                gsize         len,
                                gboolean     *has_gps)
{
  gboolean big_endian;
  guint32 ifd;
  guint n_entries;
  guint orientation = 0;

  if (has_gps != NULL)
    *has_gps = FALSE;

  g_return_val_if_fail (tiff != NULL || len == 0, 0);

  if (len < TIFF_HEADER_SIZE)
    return 0;
  if (memcmp (tiff, "MM\0*", 4) == 0)
    big_endian = TRUE;
  else if (memcmp (tiff, "II*\0", 4) == 0)
    big_endian = FALSE;
  else
    return 0;

  /* The directory must lie after the header and its entry count inside the
   * blob; the entries themselves are checked against what remains. */
  ifd = read_u32 (tiff + 4, big_endian);
  if (ifd < TIFF_HEADER_SIZE || ifd > len - 2)
    return 0;
  n_entries = read_u16 (tiff + ifd, big_endian);
  if (n_entries > (len - ifd - 2) / IFD_ENTRY_SIZE)
    return 0;

  for (guint i = 0; i < n_entries; i++)
    {
      const guint8 *entry = tiff + ifd + 2 + (gsize) i * IFD_ENTRY_SIZE;
      guint16 tag = read_u16 (entry, big_endian);

      if (tag == TAG_ORIENTATION)
        orientation = entry_orientation (entry, big_endian);
      else if (tag == TAG_GPS_IFD && has_gps != NULL)
        *has_gps = TRUE;
    }

  return orientation;
}

/**
 * photoseal_exif_new_orientation_only:
 * @orientation: an EXIF orientation, 1 to 8
 *
 * Builds the smallest EXIF blob that still tells viewers how to turn the
 * photo: a TIFF header and an IFD0 holding the Orientation alone. It is
 * always the same bytes for the same orientation, which lets the scrubbers
 * recognise their own output and leave it alone.
 *
 * Returns: (transfer full): the blob, without JPEG's "Exif\0\0" prefix
 */
GBytes *
photoseal_exif_new_orientation_only (guint orientation)
{
  guint8 tiff[] = {
    /* Little-endian TIFF header; IFD0 follows it at offset 8. */
    'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00,
    /* One entry: Orientation, SHORT, count 1, value (patched below). */
    0x01, 0x00,
    0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* No next IFD. */
    0x00, 0x00, 0x00, 0x00,
  };

  g_return_val_if_fail (orientation >= 1 && orientation <= 8, NULL);

  tiff[18] = orientation;
  return g_bytes_new (tiff, sizeof tiff);
}
