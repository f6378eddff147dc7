/* scrubber-fixture.c
 *
 * What the scrubber tests share: a temporary folder, the tools that make
 * and judge images (gdk-pixbuf, ExifTool), a phone camera's JPEG, and the
 * ways a caller drives a scrubber (as the sealer does, a byte at a time,
 * or with the least room GConverter allows).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "scrubber-fixture.h"

void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("photoseal-scrubber-XXXXXX", &error);
  g_assert_no_error (error);
}

void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

char *
write_bytes (Fixture    *fixture,
             const char *name,
             GBytes     *contents)
{
  g_autofree char *path = fixture_path (fixture, name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents),
                       &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

void
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
}

/* The tests that need ExifTool fail without it rather than skip: a green
 * run must mean the metadata was checked. */
const char *
require_exiftool (void)
{
  static char *exiftool = NULL;

  if (exiftool == NULL)
    exiftool = g_find_program_in_path ("exiftool");
  if (exiftool == NULL)
    g_test_fail_printf ("exiftool is not installed; install libimage-exiftool-perl to run "
                        "the metadata tests");
  return exiftool;
}

/* Returns every tag ExifTool finds in @path, keyed "Group:Tag" with
 * numeric values. */
JsonObject *
read_tags (const char *exiftool,
           const char *path)
{
  const char *argv[] = { exiftool, "-j", "-G1", "-n", "-a", path, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  JsonArray *array;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  return json_object_ref (json_array_get_object_element (array, 0));
}

void
assert_has_tags (const char         *exiftool,
                 const char         *path,
                 const char * const *names)
{
  g_autoptr(JsonObject) tags = read_tags (exiftool, path);

  for (guint i = 0; names[i] != NULL; i++)
    if (!json_object_has_member (tags, names[i]))
      g_error ("%s lacks %s: ExifTool did not write it", path, names[i]);
}

/* Gradients and hash noise, so that every block of the JPEG and every
 * filter row of the PNG has work to do. */
static GdkPixbuf *
make_pixbuf (int      width,
             int      height,
             gboolean has_alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, has_alpha, 8, width, height);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * rowstride + x * n_channels;
        guint32 noise = (x * 73856093u) ^ (y * 19349663u);

        noise = (noise ^ (noise >> 13)) * 0x5bd1e995u;
        p[0] = x * 255 / width;
        p[1] = y * 255 / height;
        p[2] = noise >> 24;
        if (has_alpha)
          p[3] = 128 + (noise & 127);
      }

  return pixbuf;
}

char *
save_pixbuf (Fixture    *fixture,
             const char *name,
             int         width,
             int         height)
{
  g_autofree char *path = fixture_path (fixture, name);
  gboolean is_png = g_str_has_suffix (name, ".png");
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (width, height, is_png);
  g_autoptr(GError) error = NULL;

  if (is_png)
    gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  else
    gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "90", NULL);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* A photo as a phone takes it: location, camera, time, turned on its
 * side, with XMP, IPTC, a comment and an EXIF thumbnail. */
char *
make_camera_jpeg (Fixture    *fixture,
                  const char *exiftool)
{
  g_autofree char *path = save_pixbuf (fixture, "camera.jpg", 96, 64);
  g_autofree char *thumb = save_pixbuf (fixture, "thumb.jpg", 16, 12);
  g_autofree char *thumb_arg = g_strconcat ("-ThumbnailImage<=", thumb, NULL);
  const char *argv[] = {
    exiftool, "-q", "-q", "-overwrite_original",
    "-GPSLatitude=48.8566", "-GPSLatitudeRef=N", "-GPSLongitude=2.3522", "-GPSLongitudeRef=E",
    "-Make=Canon", "-Model=Canon EOS 5D", "-DateTimeOriginal=2024:03:14 09:26:53",
    "-Orientation#=6", "-XMP-dc:Description=Wound, left forearm",
    "-IPTC:Caption-Abstract=Ward 7, bed 3", "-Comment=Patient 1234", thumb_arg, path, NULL,
  };
  const char * const expected[] = {
    "GPS:GPSLatitude", "IFD0:Make", "IFD0:Model", "ExifIFD:DateTimeOriginal",
    "IFD0:Orientation", "XMP-dc:Description", "IPTC:Caption-Abstract", "File:Comment",
    "IFD1:ThumbnailImage", NULL,
  };

  run (argv);
  assert_has_tags (exiftool, path, expected);
  return g_steal_pointer (&path);
}

/* Decodes both without applying their orientation and compares every
 * pixel. */
void
assert_same_pixels (const char *expected_path,
                    const char *actual_path)
{
  g_autoptr(GdkPixbuf) expected = NULL;
  g_autoptr(GdkPixbuf) actual = NULL;
  g_autoptr(GError) error = NULL;
  int row_len;

  expected = gdk_pixbuf_new_from_file (expected_path, &error);
  g_assert_no_error (error);
  actual = gdk_pixbuf_new_from_file (actual_path, &error);
  g_assert_no_error (error);

  g_assert_cmpint (gdk_pixbuf_get_width (actual), ==, gdk_pixbuf_get_width (expected));
  g_assert_cmpint (gdk_pixbuf_get_height (actual), ==, gdk_pixbuf_get_height (expected));
  g_assert_cmpint (gdk_pixbuf_get_n_channels (actual), ==, gdk_pixbuf_get_n_channels (expected));

  row_len = gdk_pixbuf_get_width (expected) * gdk_pixbuf_get_n_channels (expected);
  for (int y = 0; y < gdk_pixbuf_get_height (expected); y++)
    g_assert_cmpmem (gdk_pixbuf_read_pixels (actual) + y * gdk_pixbuf_get_rowstride (actual),
                     row_len,
                     gdk_pixbuf_read_pixels (expected) + y * gdk_pixbuf_get_rowstride (expected),
                     row_len);
}

void
assert_bytes_equal (GBytes *actual,
                    GBytes *expected)
{
  g_assert_cmpmem (g_bytes_get_data (actual, NULL), g_bytes_get_size (actual),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static GBytes *
scrub_stream (GConverter   *scrubber,
              GInputStream *base,
              gsize         read_size,
              GError      **error)
{
  g_autoptr(GInputStream) in = g_converter_input_stream_new (base, scrubber);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *buffer = g_malloc (read_size);
  gssize n;

  while ((n = g_input_stream_read (in, buffer, read_size, NULL, error)) > 0)
    g_byte_array_append (out, buffer, n);
  if (n < 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Reads @path through @scrubber the way the sealer does, @read_size bytes
 * at a time. */
GBytes *
scrub_file (GConverter *scrubber,
            const char *path,
            gsize       read_size,
            GError    **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GInputStream) base = NULL;

  base = G_INPUT_STREAM (g_file_read (file, NULL, error));
  g_assert_nonnull (base);
  return scrub_stream (scrubber, base, read_size, error);
}

GBytes *
scrub_bytes (GConverter *scrubber,
             GBytes     *input,
             GError    **error)
{
  g_autoptr(GInputStream) base = g_memory_input_stream_new_from_bytes (input);

  return scrub_stream (scrubber, base, BIG_READ, error);
}

/* Scrubs @path, which must work, and writes the result next to it. */
char *
scrub_to_file (Fixture           *fixture,
               const char        *path,
               const char        *name,
               PhotosealMetadata *removed)
{
  g_autofree char *content_type = g_content_type_guess (path, NULL, 0, NULL);
  g_autoptr(GConverter) scrubber = photoseal_scrubber_new_for_content_type (content_type);
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (scrubber);
  output = scrub_file (scrubber, path, BIG_READ, &error);
  g_assert_no_error (error);
  *removed = photoseal_scrubber_get_removed (scrubber);
  return write_bytes (fixture, name, output);
}

/* Drives @converter as a thrifty caller would: @in_step more bytes of
 * input only when it has used what it had or asks for more, and one byte
 * of output room per call unless it asks for more. @max_window is the
 * most input it ever had to hold at once. */
GBytes *
convert_in_pieces (GConverter *converter,
                   GBytes     *input,
                   gsize       in_step,
                   gsize      *max_window,
                   GError    **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (input, &len);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize out_size = 1;
  gsize start = 0;
  gsize end = MIN (in_step, len);

  *max_window = 0;
  for (;;)
    {
      g_autofree guint8 *buffer = g_malloc (out_size);
      g_autoptr(GError) local_error = NULL;
      gsize bytes_read = 0;
      gsize bytes_written = 0;
      GConverterResult result;

      *max_window = MAX (*max_window, end - start);
      result = g_converter_convert (converter, data + start, end - start, buffer, out_size,
                                    end == len ? G_CONVERTER_INPUT_AT_END : 0,
                                    &bytes_read, &bytes_written, &local_error);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
        {
          g_assert_cmpuint (end, <, len);
          end = MIN (end + in_step, len);
          continue;
        }
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          out_size *= 2;
          continue;
        }
      if (result == G_CONVERTER_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      g_assert_true (bytes_read > 0 || bytes_written > 0 || result == G_CONVERTER_FINISHED);
      start += bytes_read;
      g_byte_array_append (out, buffer, bytes_written);
      if (result == G_CONVERTER_FINISHED)
        break;
      if (start == end)
        end = MIN (end + in_step, len);
    }

  g_assert_cmpuint (start, ==, len);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

void
assert_scrub_fails (GConverter *scrubber,
                    const char *path,
                    const char *message_prefix)
{
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GError) error = NULL;

  output = scrub_file (scrubber, path, BIG_READ, &error);
  g_assert_null (output);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, message_prefix));
}

/* A reader that asks for a byte at a time gets the same file. */
void
check_small_reads (const char *input,
                   GConverter *scrubber)
{
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GBytes) small = NULL;
  g_autoptr(GError) error = NULL;
  PhotosealMetadata removed;

  big = scrub_file (scrubber, input, BIG_READ, &error);
  g_assert_no_error (error);
  removed = photoseal_scrubber_get_removed (scrubber);

  g_converter_reset (scrubber);
  small = scrub_file (scrubber, input, 1, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (photoseal_scrubber_get_removed (scrubber), ==, removed);
  assert_bytes_equal (small, big);
}

/* Called directly, with a byte of input at a time, @scrubber gives the
 * same file and never needs more than @max_window bytes of input at once. */
void
check_small_buffers (const char *input,
                     GConverter *scrubber,
                     gsize       max_window)
{
  g_autoptr(GBytes) input_bytes = read_bytes (input);
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GError) error = NULL;
  gsize window = 0;

  expected = scrub_file (scrubber, input, BIG_READ, &error);
  g_assert_no_error (error);

  g_converter_reset (scrubber);
  output = convert_in_pieces (scrubber, input_bytes, 1, &window, &error);
  g_assert_no_error (error);
  assert_bytes_equal (output, expected);
  g_assert_cmpuint (window, <=, max_window);
  g_converter_reset (scrubber);
}
