/* test-scrubber.c: metadata removal from JPEG and PNG, and the table
 *
 * The images are made at test time: gdk-pixbuf draws and saves them, and
 * ExifTool writes the metadata a phone camera would. ExifTool then reads
 * the scrubbed files back, as an independent judge of what is left.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <zlib.h>

#include "scrubber-fixture.h"

#define CONVERT "/usr/bin/convert"

/* Helpers: ExifTool's verdict */

/* What a scrubbed file may still hold: file facts, the decoder's own
 * headers and the orientation. Anything else is a leak. */
static gboolean
is_allowed_tag (const char *name)
{
  static const char * const allowed_png[] = {
    /* IHDR, then what the rendering chunks hold. */
    "ImageWidth", "ImageHeight", "BitDepth", "ColorType", "Compression", "Filter", "Interlace",
    "SignificantBits", "Gamma", "SRGBRendering", "PixelsPerUnitX", "PixelsPerUnitY",
    "PixelUnits", "BackgroundColor", "Transparency", NULL,
  };
  g_auto(GStrv) parts = g_strsplit (name, ":", 2);

  if (g_strv_length (parts) == 1)
    return g_str_equal (name, "SourceFile");
  if (strstr (parts[1], "GPS") != NULL || g_str_equal (name, "File:Comment"))
    return FALSE;
  if (g_str_equal (parts[0], "System") || g_str_equal (parts[0], "File")
      || g_str_equal (parts[0], "JFIF") || g_str_equal (parts[0], "Composite"))
    return TRUE;
  if (g_str_equal (parts[0], "PNG"))
    return g_strv_contains (allowed_png, parts[1]);
  return g_str_equal (name, "ExifTool:ExifToolVersion") || g_str_equal (name, "IFD0:Orientation");
}

static void
assert_only_orientation_left (const char *exiftool,
                              const char *path)
{
  g_autoptr(JsonObject) tags = read_tags (exiftool, path);
  g_autoptr(GList) names = json_object_get_members (tags);

  for (GList *l = names; l != NULL; l = l->next)
    if (!is_allowed_tag (l->data))
      g_error ("%s still has %s", path, (const char *) l->data);

  g_assert_true (json_object_has_member (tags, "IFD0:Orientation"));
  g_assert_cmpint (json_object_get_int_member (tags, "IFD0:Orientation"), ==, 6);
}

/* Helpers: images */

static char *
make_camera_png (Fixture    *fixture,
                 const char *exiftool)
{
  g_autofree char *path = save_pixbuf (fixture, "camera.png", 96, 64);
  const char *argv[] = {
    exiftool, "-q", "-q", "-overwrite_original",
    "-GPSLatitude=48.8566", "-GPSLatitudeRef=N", "-GPSLongitude=2.3522", "-GPSLongitudeRef=E",
    "-Make=Canon", "-Model=Canon EOS 5D", "-DateTimeOriginal=2024:03:14 09:26:53",
    "-Orientation#=6", "-XMP-dc:Description=Wound, left forearm",
    "-PNG:Title=Patient 1234", "-PNG:Comment=Ward 7, bed 3",
    "-PNG:ModifyDate=2024:03:14 09:26:53", path, NULL,
  };
  const char * const expected[] = {
    "GPS:GPSLatitude", "IFD0:Make", "ExifIFD:DateTimeOriginal", "IFD0:Orientation",
    "XMP-dc:Description", "PNG:Title", "PNG:Comment", "PNG:ModifyDate", NULL,
  };

  run (argv);
  assert_has_tags (exiftool, path, expected);
  return g_steal_pointer (&path);
}

/* Helpers: building files by hand */

static void
append_segment (GByteArray *jpeg,
                guint8      marker,
                const char *id,
                gsize       id_len,
                gsize       filler)
{
  gsize length = 2 + id_len + filler;
  guint8 head[4] = { 0xff, marker, length >> 8, length & 0xff };

  g_byte_array_append (jpeg, head, sizeof head);
  g_byte_array_append (jpeg, (const guint8 *) id, id_len);
  for (gsize i = 0; i < filler; i++)
    g_byte_array_append (jpeg, (const guint8 *) "\x5a", 1);
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              gsize         len)
{
  guint8 word[4];
  guint32 crc;

  word[0] = len >> 24, word[1] = len >> 16, word[2] = len >> 8, word[3] = len;
  g_byte_array_append (png, word, 4);
  g_byte_array_append (png, (const guint8 *) type, 4);
  g_byte_array_append (png, data, len);
  /* zlib takes a NULL buffer as a request for the initial value. */
  crc = crc32 (0, (const guint8 *) type, 4);
  if (len > 0)
    crc = crc32 (crc, data, len);
  word[0] = crc >> 24, word[1] = crc >> 16, word[2] = crc >> 8, word[3] = crc;
  g_byte_array_append (png, word, 4);
}

/* Offset of the first marker @marker at or after @from, outside entropy
 * data (where 0xFF is always followed by 0x00 or a restart). */
static gsize
find_marker (GBytes *jpeg,
             guint8  marker,
             gsize   from)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (jpeg, &len);

  for (gsize i = from; i + 1 < len; i++)
    if (data[i] == 0xff && data[i + 1] == marker)
      return i;
  g_assert_not_reached ();
}

/* EXIF blobs */

static void
test_exif_little_endian (void)
{
  static const guint8 tiff[] = {
    'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00,
    0x03, 0x00,
    0x0f, 0x01, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x32, 0x00, 0x00, 0x00,
    0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00,
    0x25, 0x88, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
  };
  gboolean has_gps = FALSE;

  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, &has_gps), ==, 6);
  g_assert_true (has_gps);
  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, NULL), ==, 6);
}

static void
test_exif_big_endian (void)
{
  static const guint8 tiff[] = {
    'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x02,
    0x01, 0x10, 0x00, 0x02, 0x00, 0x00, 0x00, 0x04, 0x45, 0x4f, 0x53, 0x00,
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
  };
  gboolean has_gps = TRUE;

  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, &has_gps), ==, 8);
  g_assert_false (has_gps);
}

static void
test_exif_bounds (void)
{
  /* IFD0 with one entry, Orientation 3; the tests below break it. */
  static const guint8 good[] = {
    'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x01,
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00,
  };
  guint8 tiff[sizeof good];
  gboolean has_gps = TRUE;

  g_assert_cmpuint (photoseal_exif_get_orientation (good, sizeof good, NULL), ==, 3);

  g_assert_cmpuint (photoseal_exif_get_orientation (NULL, 0, &has_gps), ==, 0);
  g_assert_false (has_gps);
  /* Cut short: the entry, then the entry count, then the header. */
  for (gsize len = 0; len < sizeof good; len++)
    g_assert_cmpuint (photoseal_exif_get_orientation (good, len, NULL), ==, 0);

  memcpy (tiff, good, sizeof good);
  tiff[1] = 'I';
  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, NULL), ==, 0);

  /* IFD0 past the end, inside the header, and where 32-bit sums wrap. */
  memcpy (tiff, good, sizeof good);
  tiff[7] = sizeof good;
  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, NULL), ==, 0);
  tiff[7] = 4;
  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, NULL), ==, 0);
  tiff[4] = tiff[5] = tiff[6] = tiff[7] = 0xff;
  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, NULL), ==, 0);

  /* More entries than the blob holds. */
  memcpy (tiff, good, sizeof good);
  tiff[9] = 2;
  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, NULL), ==, 0);
  tiff[8] = tiff[9] = 0xff;
  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, NULL), ==, 0);

  /* Not a valid orientation: out of range, wrong type, wrong count. */
  memcpy (tiff, good, sizeof good);
  tiff[19] = 9;
  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, NULL), ==, 0);
  tiff[19] = 0;
  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, NULL), ==, 0);
  memcpy (tiff, good, sizeof good);
  tiff[13] = 4;
  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, NULL), ==, 0);
  memcpy (tiff, good, sizeof good);
  tiff[17] = 2;
  g_assert_cmpuint (photoseal_exif_get_orientation (tiff, sizeof tiff, NULL), ==, 0);
}

static void
test_exif_orientation_only (void)
{
  for (guint orientation = 1; orientation <= 8; orientation++)
    {
      g_autoptr(GBytes) tiff = photoseal_exif_new_orientation_only (orientation);
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (tiff, &len);
      gboolean has_gps = TRUE;

      g_assert_cmpuint (photoseal_exif_get_orientation (data, len, &has_gps), ==, orientation);
      g_assert_false (has_gps);
    }
}

/* Content types and descriptions */

static void
test_metadata_describe (void)
{
  g_autofree char *nothing = photoseal_metadata_describe (PHOTOSEAL_METADATA_NONE);
  g_autofree char *camera = photoseal_metadata_describe (PHOTOSEAL_METADATA_XMP
                                                         | PHOTOSEAL_METADATA_GPS
                                                         | PHOTOSEAL_METADATA_EXIF);
  g_autofree char *trailer = photoseal_metadata_describe (PHOTOSEAL_METADATA_TRAILER);

  g_assert_cmpstr (nothing, ==, "nothing");
  g_assert_cmpstr (camera, ==, "EXIF camera data, GPS location, XMP");
  g_assert_cmpstr (trailer, ==, "data after the image");
}

static void
test_metadata_formats (void)
{
  g_autofree char *formats = photoseal_metadata_describe_formats ();

  g_assert_cmpstr (formats, ==, "JPEG, PNG, HEIC and AVIF");
}

static void
test_metadata_content_type (void)
{
  static const struct
  {
    const char *content_type;
    const char *scrubber;
  } cases[] = {
    { "image/jpeg", "PhotosealJpegScrubber" },
    { "image/pjpeg", "PhotosealJpegScrubber" },
    { "image/png", "PhotosealPngScrubber" },
    { "image/heic", "PhotosealHeifScrubber" },
    { "image/heif", "PhotosealHeifScrubber" },
    { "image/avif", "PhotosealHeifScrubber" },
    { "image/gif", NULL },
    { "text/plain", NULL },
    { "application/octet-stream", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GConverter) scrubber = NULL;

      scrubber = photoseal_scrubber_new_for_content_type (cases[i].content_type);
      if (cases[i].scrubber == NULL)
        {
          g_assert_null (scrubber);
          g_assert_cmpint (photoseal_metadata_get_support (cases[i].content_type), ==,
                           g_str_has_prefix (cases[i].content_type, "image/")
                           ? PHOTOSEAL_SUPPORT_AS_IS : PHOTOSEAL_SUPPORT_NONE);
          continue;
        }
      g_assert_cmpstr (G_OBJECT_TYPE_NAME (scrubber), ==, cases[i].scrubber);
      g_assert_cmpint (photoseal_metadata_get_support (cases[i].content_type), ==,
                       PHOTOSEAL_SUPPORT_SCRUBBED);
      g_assert_cmpuint (photoseal_scrubber_get_removed (scrubber), ==, PHOTOSEAL_METADATA_NONE);
    }
}

/* JPEG */

static void
test_jpeg_camera (Fixture      *fixture,
                  gconstpointer data)
{
  const char *exiftool = require_exiftool ();
  g_autofree char *input = NULL;
  g_autofree char *output = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) output_bytes = NULL;
  g_autoptr(GBytes) again_bytes = NULL;
  g_autoptr(GError) error = NULL;
  PhotosealMetadata removed;

  if (exiftool == NULL)
    return;

  input = make_camera_jpeg (fixture, exiftool);
  output = scrub_to_file (fixture, input, "scrubbed.jpg", &removed);

  g_assert_cmpuint (removed, ==, PHOTOSEAL_METADATA_EXIF | PHOTOSEAL_METADATA_GPS
                                 | PHOTOSEAL_METADATA_XMP | PHOTOSEAL_METADATA_IPTC
                                 | PHOTOSEAL_METADATA_COMMENT);
  assert_only_orientation_left (exiftool, output);
  assert_same_pixels (input, output);

  /* gdk-pixbuf, like other viewers, still sees which way is up. */
  pixbuf = gdk_pixbuf_new_from_file (output, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gdk_pixbuf_get_option (pixbuf, "orientation"), ==, "6");

  /* A scrubbed file has nothing left to remove. */
  again = scrub_to_file (fixture, output, "again.jpg", &removed);
  g_assert_cmpuint (removed, ==, PHOTOSEAL_METADATA_NONE);
  output_bytes = read_bytes (output);
  again_bytes = read_bytes (again);
  assert_bytes_equal (again_bytes, output_bytes);
}

static void
test_jpeg_clean (Fixture      *fixture,
                 gconstpointer data)
{
  g_autofree char *input = save_pixbuf (fixture, "clean.jpg", 96, 64);
  g_autofree char *output = NULL;
  g_autoptr(GBytes) input_bytes = read_bytes (input);
  g_autoptr(GBytes) output_bytes = NULL;
  PhotosealMetadata removed;

  output = scrub_to_file (fixture, input, "scrubbed.jpg", &removed);
  output_bytes = read_bytes (output);

  g_assert_cmpuint (removed, ==, PHOTOSEAL_METADATA_NONE);
  assert_bytes_equal (output_bytes, input_bytes);
}

/* Every kind of application segment, kept or not, between SOI and the
 * frame. The expected output is built alongside. */
static void
test_jpeg_segments (Fixture      *fixture,
                    gconstpointer data)
{
  g_autofree char *clean = save_pixbuf (fixture, "clean.jpg", 96, 64);
  g_autoptr(GBytes) clean_bytes = read_bytes (clean);
  const guint8 *plain = g_bytes_get_data (clean_bytes, NULL);
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autoptr(GBytes) expected_bytes = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autofree char *path = NULL;
  g_autofree char *output_path = NULL;
  guint8 jfif[18 + 6];
  PhotosealMetadata removed;

  /* gdk-pixbuf writes SOI, then a JFIF segment with no thumbnail. */
  g_assert_cmpmem (plain, 6, "\xff\xd8\xff\xe0\x00\x10", 6);
  g_assert_cmpmem (plain + 6, 5, "JFIF\0", 5);

  /* The same JFIF segment with a 2 × 1 thumbnail. */
  memcpy (jfif, plain + 2, 18);
  jfif[3] = 16 + 6;
  jfif[16] = 2;
  jfif[17] = 1;
  memset (jfif + 18, 0x80, 6);

  g_byte_array_append (input, plain, 2);
  g_byte_array_append (input, jfif, sizeof jfif);
  append_segment (input, 0xe0, "JFXX\0\x10", 6, 40);
  append_segment (input, 0xe2, "ICC_PROFILE\0\x01\x01", 14, 30);
  append_segment (input, 0xe2, "MPF\0", 4, 50);
  append_segment (input, 0xee, "Adobe", 5, 7);
  append_segment (input, 0xe1, "http://example.com/vendor\0", 26, 10);
  append_segment (input, 0xef, "", 0, 0);
  append_segment (input, 0xe1, "Exif\0\0", 6, 0);
  g_byte_array_append (input, plain + 20, g_bytes_get_size (clean_bytes) - 20);

  g_byte_array_append (expected, plain, 20);
  append_segment (expected, 0xe2, "ICC_PROFILE\0\x01\x01", 14, 30);
  append_segment (expected, 0xee, "Adobe", 5, 7);
  g_byte_array_append (expected, plain + 20, g_bytes_get_size (clean_bytes) - 20);
  expected_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&expected));

  path = fixture_path (fixture, "segments.jpg");
  g_file_set_contents (path, (const char *) input->data, input->len, NULL);
  output_path = scrub_to_file (fixture, path, "scrubbed.jpg", &removed);
  output = read_bytes (output_path);

  g_assert_cmpuint (removed, ==, PHOTOSEAL_METADATA_THUMBNAIL | PHOTOSEAL_METADATA_OTHER
                                 | PHOTOSEAL_METADATA_EXIF);
  assert_bytes_equal (output, expected_bytes);
}

/* Progressive JPEGs have many scans, with tables (and sometimes
 * metadata) between them. */
static void
test_jpeg_progressive (Fixture      *fixture,
                       gconstpointer data)
{
  g_autofree char *clean = NULL;
  g_autofree char *progressive = NULL;
  g_autofree char *spliced = NULL;
  g_autofree char *output = NULL;
  g_autofree char *spliced_output = NULL;
  g_autoptr(GBytes) progressive_bytes = NULL;
  g_autoptr(GBytes) output_bytes = NULL;
  g_autoptr(GBytes) spliced_bytes = NULL;
  g_autoptr(GByteArray) with_metadata = g_byte_array_new ();
  const guint8 *bytes;
  gsize second_scan;
  PhotosealMetadata removed;

  if (!g_file_test (CONVERT, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("ImageMagick’s " CONVERT " is needed to write a progressive JPEG");
      return;
    }

  clean = save_pixbuf (fixture, "clean.jpg", 96, 64);
  progressive = fixture_path (fixture, "progressive.jpg");
  run ((const char *[]) { CONVERT, clean, "-interlace", "JPEG", progressive, NULL });
  progressive_bytes = read_bytes (progressive);
  bytes = g_bytes_get_data (progressive_bytes, NULL);

  /* A comment and XMP between the first and second scans. */
  second_scan = find_marker (progressive_bytes, 0xda, find_marker (progressive_bytes, 0xda, 2) + 2);
  g_byte_array_append (with_metadata, bytes, second_scan);
  append_segment (with_metadata, 0xfe, "between scans", 13, 0);
  append_segment (with_metadata, 0xe1, "http://ns.adobe.com/xap/1.0/\0", 29, 100);
  g_byte_array_append (with_metadata, bytes + second_scan,
                       g_bytes_get_size (progressive_bytes) - second_scan);
  spliced = fixture_path (fixture, "spliced.jpg");
  g_file_set_contents (spliced, (const char *) with_metadata->data, with_metadata->len, NULL);

  output = scrub_to_file (fixture, progressive, "scrubbed.jpg", &removed);
  assert_same_pixels (progressive, output);

  spliced_output = scrub_to_file (fixture, spliced, "spliced-scrubbed.jpg", &removed);
  g_assert_cmpuint (removed, ==, PHOTOSEAL_METADATA_COMMENT | PHOTOSEAL_METADATA_XMP);
  output_bytes = read_bytes (output);
  spliced_bytes = read_bytes (spliced_output);
  assert_bytes_equal (spliced_bytes, output_bytes);
}

static void
test_jpeg_trailer (Fixture      *fixture,
                   gconstpointer data)
{
  g_autofree char *clean = save_pixbuf (fixture, "clean.jpg", 96, 64);
  g_autoptr(GBytes) clean_bytes = read_bytes (clean);
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autoptr(GBytes) input_bytes = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autofree char *path = NULL;
  g_autofree char *output_path = NULL;
  PhotosealMetadata removed;

  /* A second image, as in multi-picture files, then a vendor's trailer. */
  g_byte_array_append (input, g_bytes_get_data (clean_bytes, NULL), g_bytes_get_size (clean_bytes));
  g_byte_array_append (input, g_bytes_get_data (clean_bytes, NULL), g_bytes_get_size (clean_bytes));
  g_byte_array_append (input, (const guint8 *) "VENDOR-TRAILER\xff\xd9", 16);
  input_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&input));
  path = write_bytes (fixture, "trailer.jpg", input_bytes);

  output_path = scrub_to_file (fixture, path, "scrubbed.jpg", &removed);
  output = read_bytes (output_path);
  g_assert_cmpuint (removed, ==, PHOTOSEAL_METADATA_TRAILER);
  assert_bytes_equal (output, clean_bytes);
}

static void
test_jpeg_truncated (Fixture      *fixture,
                     gconstpointer data)
{
  const char *exiftool = require_exiftool ();
  g_autofree char *camera = NULL;
  g_autoptr(GBytes) camera_bytes = NULL;
  gsize len;

  if (exiftool == NULL)
    return;

  camera = make_camera_jpeg (fixture, exiftool);
  camera_bytes = read_bytes (camera);
  len = g_bytes_get_size (camera_bytes);

  /* Inside SOI, inside a marker, inside the EXIF segment, inside the
   * entropy-coded data, and one byte short of EOI. */
  for (gsize cut = 0; cut < 5; cut++)
    {
      const gsize lengths[] = { 1, 3, 100, len - 200, len - 1 };
      g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (camera_bytes, 0, lengths[cut]);
      g_autofree char *path = write_bytes (fixture, "truncated.jpg", truncated);
      g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_jpeg_scrubber_new ());

      assert_scrub_fails (scrubber, path, "not a valid JPEG image: ");
    }
}

static void
test_jpeg_not_jpeg (Fixture      *fixture,
                    gconstpointer data)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("Just some notes.\n", 17);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree char *png = save_pixbuf (fixture, "image.png", 16, 16);
  g_autofree char *notes = write_bytes (fixture, "notes.txt", text);
  g_autofree char *nothing = write_bytes (fixture, "empty", empty);
  const char *paths[] = { png, notes, nothing };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_jpeg_scrubber_new ());

      assert_scrub_fails (scrubber, paths[i], "not a valid JPEG image: ");
    }
}

static void
test_jpeg_small_reads (Fixture      *fixture,
                       gconstpointer data)
{
  const char *exiftool = require_exiftool ();
  g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_jpeg_scrubber_new ());
  g_autofree char *input = NULL;

  if (exiftool == NULL)
    return;

  input = make_camera_jpeg (fixture, exiftool);
  check_small_reads (input, scrubber);
}

/* Called directly, the scrubber needs no more input at once than the
 * largest segment it reads whole. */
static void
test_jpeg_small_buffers (Fixture      *fixture,
                         gconstpointer data)
{
  const char *exiftool = require_exiftool ();
  g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_jpeg_scrubber_new ());
  g_autofree char *input = NULL;

  if (exiftool == NULL)
    return;

  input = make_camera_jpeg (fixture, exiftool);
  check_small_buffers (input, scrubber, 65537);
}

/* PNG */

static void
test_png_camera (Fixture      *fixture,
                 gconstpointer data)
{
  const char *exiftool = require_exiftool ();
  g_autofree char *input = NULL;
  g_autofree char *output = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GBytes) output_bytes = NULL;
  g_autoptr(GBytes) again_bytes = NULL;
  PhotosealMetadata removed;

  if (exiftool == NULL)
    return;

  input = make_camera_png (fixture, exiftool);
  output = scrub_to_file (fixture, input, "scrubbed.png", &removed);

  /* ExifTool stores Make and Model as PNG text as well, and the date as
   * tIME, which counts as other metadata. */
  g_assert_cmpuint (removed, ==, PHOTOSEAL_METADATA_EXIF | PHOTOSEAL_METADATA_GPS
                                 | PHOTOSEAL_METADATA_XMP | PHOTOSEAL_METADATA_COMMENT
                                 | PHOTOSEAL_METADATA_TEXT | PHOTOSEAL_METADATA_OTHER);
  assert_only_orientation_left (exiftool, output);
  assert_same_pixels (input, output);

  again = scrub_to_file (fixture, output, "again.png", &removed);
  g_assert_cmpuint (removed, ==, PHOTOSEAL_METADATA_NONE);
  output_bytes = read_bytes (output);
  again_bytes = read_bytes (again);
  assert_bytes_equal (again_bytes, output_bytes);
}

static void
test_png_clean (Fixture      *fixture,
                gconstpointer data)
{
  g_autofree char *input = save_pixbuf (fixture, "clean.png", 96, 64);
  g_autofree char *output = NULL;
  g_autoptr(GBytes) input_bytes = read_bytes (input);
  g_autoptr(GBytes) output_bytes = NULL;
  PhotosealMetadata removed;

  output = scrub_to_file (fixture, input, "scrubbed.png", &removed);
  output_bytes = read_bytes (output);

  g_assert_cmpuint (removed, ==, PHOTOSEAL_METADATA_NONE);
  assert_bytes_equal (output_bytes, input_bytes);
}

/* Rebuilds the PNG at @path with all its IDAT data in one chunk, and
 * @extra chunks before it. */
static GByteArray *
rebuild_png (const char *path,
             void (*extra) (GByteArray *png))
{
  g_autoptr(GBytes) bytes = read_bytes (path);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GByteArray) idat = g_byte_array_new ();
  GByteArray *png = g_byte_array_new ();

  g_byte_array_append (png, data, 8);
  for (gsize pos = 8; pos + 12 <= len;)
    {
      gsize chunk_len = ((gsize) data[pos] << 24) | (data[pos + 1] << 16) | (data[pos + 2] << 8)
                        | data[pos + 3];
      const char *type = (const char *) data + pos + 4;

      if (memcmp (type, "IDAT", 4) == 0)
        g_byte_array_append (idat, data + pos + 8, chunk_len);
      else if (memcmp (type, "IEND", 4) == 0)
        {
          if (extra != NULL)
            extra (png);
          append_chunk (png, "IDAT", idat->data, idat->len);
          append_chunk (png, "IEND", NULL, 0);
        }
      else
        g_byte_array_append (png, data + pos, chunk_len + 12);
      pos += chunk_len + 12;
    }

  return png;
}

static void
add_text_and_time (GByteArray *png)
{
  static const guint8 time[7] = { 0x07, 0xe8, 3, 14, 9, 26, 53 };

  append_chunk (png, "tEXt", (const guint8 *) "Author\0Dr Who", 13);
  append_chunk (png, "iTXt", (const guint8 *) "XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>", 35);
  append_chunk (png, "tIME", time, sizeof time);
  append_chunk (png, "prVt", (const guint8 *) "private", 7);
}

/* An eXIf (orientation 3, GPS pointer) and one too big to read. */
static void
add_exif (GByteArray *png)
{
  static const guint8 tiff[] = {
    'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x02,
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00,
    0x88, 0x25, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x30,
    0x00, 0x00, 0x00, 0x00,
  };
  gsize huge_len = 1024 * 1024 + 1;
  g_autofree guint8 *huge = g_malloc0 (huge_len);

  append_chunk (png, "eXIf", tiff, sizeof tiff);
  memcpy (huge, tiff, sizeof tiff);
  append_chunk (png, "eXIf", huge, huge_len);
}

static void
add_minimal_exif (GByteArray *png)
{
  g_autoptr(GBytes) tiff = photoseal_exif_new_orientation_only (3);

  append_chunk (png, "eXIf", g_bytes_get_data (tiff, NULL), g_bytes_get_size (tiff));
}

/* Chunks ExifTool does not write: private ones, a huge eXIf. Also one
 * IDAT of a few hundred kilobytes, which must stream through a scrubber
 * that never asks for more than a chunk header and a keyword at once. */
static void
test_png_chunks (Fixture      *fixture,
                 gconstpointer data)
{
  g_autofree char *clean = save_pixbuf (fixture, "noise.png", 400, 300);
  g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_png_scrubber_new ());
  g_autoptr(GByteArray) input = rebuild_png (clean, add_text_and_time);
  g_autoptr(GByteArray) expected = rebuild_png (clean, NULL);
  g_autoptr(GBytes) input_bytes = NULL;
  g_autoptr(GBytes) expected_bytes = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_path = NULL;
  gsize max_window = 0;

  g_byte_array_append (input, (const guint8 *) "after IEND", 10);
  input_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&input));
  expected_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&expected));
  g_assert_cmpuint (g_bytes_get_size (expected_bytes), >, 200000);

  output = convert_in_pieces (scrubber, input_bytes, 1000, &max_window, &error);
  g_assert_no_error (error);
  assert_bytes_equal (output, expected_bytes);
  g_assert_cmpuint (max_window, <=, 8 + 80 + 1000);
  g_assert_cmpuint (photoseal_scrubber_get_removed (scrubber), ==,
                    PHOTOSEAL_METADATA_TEXT | PHOTOSEAL_METADATA_XMP | PHOTOSEAL_METADATA_OTHER
                    | PHOTOSEAL_METADATA_TRAILER);

  /* The rebuilt file is a PNG with the same pixels. */
  expected_path = write_bytes (fixture, "expected.png", expected_bytes);
  assert_same_pixels (clean, expected_path);
}

static void
test_png_exif (Fixture      *fixture,
               gconstpointer data)
{
  g_autofree char *clean = save_pixbuf (fixture, "clean.png", 32, 32);
  g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_png_scrubber_new ());
  g_autoptr(GByteArray) input = rebuild_png (clean, add_exif);
  g_autoptr(GByteArray) expected = rebuild_png (clean, add_minimal_exif);
  g_autoptr(GBytes) input_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&input));
  g_autoptr(GBytes) expected_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&expected));
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GError) error = NULL;
  gsize max_window = 0;

  output = convert_in_pieces (scrubber, input_bytes, 4096, &max_window, &error);
  g_assert_no_error (error);
  assert_bytes_equal (output, expected_bytes);
  g_assert_cmpuint (photoseal_scrubber_get_removed (scrubber), ==,
                    PHOTOSEAL_METADATA_EXIF | PHOTOSEAL_METADATA_GPS);
  g_assert_cmpuint (max_window, <=, 8 + 80 + 4096);
}

static void
test_png_truncated (Fixture      *fixture,
                    gconstpointer data)
{
  g_autofree char *clean = save_pixbuf (fixture, "clean.png", 96, 64);
  g_autoptr(GBytes) clean_bytes = read_bytes (clean);
  gsize len = g_bytes_get_size (clean_bytes);

  /* Inside the signature, inside IHDR, inside IDAT, at the start of IEND
   * and one byte short of it. */
  for (gsize cut = 0; cut < 5; cut++)
    {
      const gsize lengths[] = { 4, 20, len / 2, len - 12, len - 1 };
      g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (clean_bytes, 0, lengths[cut]);
      g_autofree char *path = write_bytes (fixture, "truncated.png", truncated);
      g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_png_scrubber_new ());

      assert_scrub_fails (scrubber, path, "not a valid PNG image: ");
    }
}

static void
test_png_not_png (Fixture      *fixture,
                  gconstpointer data)
{
  g_autofree char *jpeg = save_pixbuf (fixture, "image.jpg", 16, 16);
  g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_png_scrubber_new ());

  assert_scrub_fails (scrubber, jpeg, "not a valid PNG image: ");
}

static void
test_png_small_reads (Fixture      *fixture,
                      gconstpointer data)
{
  const char *exiftool = require_exiftool ();
  g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_png_scrubber_new ());
  g_autofree char *input = NULL;

  if (exiftool == NULL)
    return;

  input = make_camera_png (fixture, exiftool);
  check_small_reads (input, scrubber);
}

/* The dry run */

/* The dry run counts what sealing would store. */
static void
test_metadata_scrubbed_size (Fixture      *fixture,
                             gconstpointer data)
{
  const char *exiftool = require_exiftool ();
  g_autoptr(GBytes) text = g_bytes_new_static ("Just some notes.\n", 17);
  g_autofree char *notes = write_bytes (fixture, "notes.txt", text);
  g_autofree char *jpeg = NULL;
  g_autofree char *scrubbed = NULL;
  g_autoptr(GBytes) scrubbed_bytes = NULL;
  const struct
  {
    const char *path;
    const char *content_type;
  } cases[] = { { NULL, "image/jpeg" }, { notes, "text/plain" }, { notes, "image/png" } };
  PhotosealMetadata removed;

  if (exiftool == NULL)
    return;
  jpeg = make_camera_jpeg (fixture, exiftool);
  scrubbed = scrub_to_file (fixture, jpeg, "scrubbed.jpg", &removed);
  scrubbed_bytes = read_bytes (scrubbed);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (cases[i].path ? cases[i].path : jpeg);
      g_autoptr(GInputStream) in = G_INPUT_STREAM (g_file_read (file, NULL, NULL));
      g_autoptr(GError) error = NULL;
      PhotosealMetadata counted_removed = PHOTOSEAL_METADATA_OTHER;
      guint64 size = 0;
      gboolean ok;

      ok = photoseal_metadata_scrubbed_size (cases[i].content_type, in, &size, &counted_removed,
                                             NULL, &error);
      if (i == 2)
        {
          /* Not a PNG at all: the same error sealing would meet. */
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
          g_assert_false (ok);
          continue;
        }
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpuint (size, ==, i == 0 ? g_bytes_get_size (scrubbed_bytes) : 17);
      g_assert_cmpuint (counted_removed, ==, i == 0 ? removed : PHOTOSEAL_METADATA_NONE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scrubber/exif/little-endian", test_exif_little_endian);
  g_test_add_func ("/scrubber/exif/big-endian", test_exif_big_endian);
  g_test_add_func ("/scrubber/exif/bounds", test_exif_bounds);
  g_test_add_func ("/scrubber/exif/orientation-only", test_exif_orientation_only);
  g_test_add_func ("/scrubber/metadata/describe", test_metadata_describe);
  g_test_add_func ("/scrubber/metadata/content-type", test_metadata_content_type);
  g_test_add_func ("/scrubber/metadata/formats", test_metadata_formats);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/scrubber/jpeg/gps", test_jpeg_camera);
  ADD ("/scrubber/jpeg/clean", test_jpeg_clean);
  ADD ("/scrubber/jpeg/segments", test_jpeg_segments);
  ADD ("/scrubber/jpeg/progressive", test_jpeg_progressive);
  ADD ("/scrubber/jpeg/trailer", test_jpeg_trailer);
  ADD ("/scrubber/jpeg/truncated", test_jpeg_truncated);
  ADD ("/scrubber/jpeg/not-jpeg", test_jpeg_not_jpeg);
  ADD ("/scrubber/jpeg/small-reads", test_jpeg_small_reads);
  ADD ("/scrubber/jpeg/small-buffers", test_jpeg_small_buffers);
  ADD ("/scrubber/png/gps", test_png_camera);
  ADD ("/scrubber/png/clean", test_png_clean);
  ADD ("/scrubber/png/chunks", test_png_chunks);
  ADD ("/scrubber/png/exif", test_png_exif);
  ADD ("/scrubber/png/truncated", test_png_truncated);
  ADD ("/scrubber/png/not-png", test_png_not_png);
  ADD ("/scrubber/png/small-reads", test_png_small_reads);
  ADD ("/scrubber/metadata/scrubbed-size", test_metadata_scrubbed_size);

#undef ADD

  return g_test_run ();
}
