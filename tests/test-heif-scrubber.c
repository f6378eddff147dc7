/* test-heif-scrubber.c: metadata removal from HEIF and AVIF
 *
 * The images are made at test time: the camera JPEG of the other scrubber
 * tests, encoded by libheif's heif-enc as a phone would, EXIF and XMP
 * carried over as items. ExifTool and heif-info then read the scrubbed
 * files back, as independent judges of what is left, and heif-convert
 * decodes them to compare the pixels. Hostile files are made by lying in
 * a real one's counts and sizes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "scrubber-fixture.h"

/* Like ExifTool, libheif's tools must be there for a green run. */
static char *
require_tool (const char *name)
{
  char *path = g_find_program_in_path (name);

  if (path == NULL)
    g_test_fail_printf ("%s is not installed; install libheif-examples to run the HEIF tests",
                        name);
  return path;
}

static char *
run_output (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  return out;
}

/* The camera JPEG, encoded by libheif as a phone would, EXIF and XMP
 * carried over as items. */
static char *
make_camera_heif (Fixture    *fixture,
                  const char *exiftool,
                  const char *name)
{
  g_autofree char *heif_enc = require_tool ("heif-enc");
  g_autofree char *heif_info = require_tool ("heif-info");
  g_autofree char *jpeg = make_camera_jpeg (fixture, exiftool);
  g_autofree char *path = fixture_path (fixture, name);
  const char *argv[] = { heif_enc, "-q", "60", "-o", path, jpeg, NULL };
  const char *info_argv[] = { heif_info, path, NULL };
  const char * const expected[] = {
    "GPS:GPSLatitude", "IFD0:Make", "ExifIFD:DateTimeOriginal", "XMP-dc:Description", NULL,
  };
  g_autofree char *info = NULL;

  if (heif_enc == NULL || heif_info == NULL)
    return NULL;
  run (argv);
  assert_has_tags (exiftool, path, expected);
  info = run_output (info_argv);
  g_assert_nonnull (strstr (info, "Exif:"));
  g_assert_nonnull (strstr (info, "XMP:"));
  return g_steal_pointer (&path);
}

/* Neither ExifTool nor libheif finds EXIF or XMP any more. */
static void
assert_no_heif_metadata (const char *exiftool,
                         const char *path)
{
  g_autofree char *heif_info = require_tool ("heif-info");
  const char *argv[] = { heif_info, path, NULL };
  g_autoptr(JsonObject) tags = read_tags (exiftool, path);
  g_autoptr(GList) names = json_object_get_members (tags);
  g_autofree char *info = run_output (argv);

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (g_str_has_prefix (name, "IFD") || g_str_has_prefix (name, "ExifIFD:")
          || g_str_has_prefix (name, "GPS:") || g_str_has_prefix (name, "XMP"))
        g_error ("%s still has %s", path, name);
    }
  g_assert_null (strstr (info, "Exif:"));
  g_assert_null (strstr (info, "XMP:"));
}

static void
assert_same_heif_pixels (Fixture    *fixture,
                         const char *expected_path,
                         const char *actual_path)
{
  g_autofree char *heif_convert = require_tool ("heif-convert");
  g_autofree char *expected_png = fixture_path (fixture, "expected.png");
  g_autofree char *actual_png = fixture_path (fixture, "actual.png");
  const char *expected_argv[] = { heif_convert, expected_path, expected_png, NULL };
  const char *actual_argv[] = { heif_convert, actual_path, actual_png, NULL };

  g_free (run_output (expected_argv));
  g_free (run_output (actual_argv));
  assert_same_pixels (expected_png, actual_png);
}

static void
check_heif_camera (Fixture    *fixture,
                   const char *name)
{
  const char *exiftool = require_exiftool ();
  g_autofree char *scrubbed_name = g_strconcat ("scrubbed-", name, NULL);
  g_autofree char *again_name = g_strconcat ("again-", name, NULL);
  g_autofree char *input = NULL;
  g_autofree char *output = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GBytes) input_bytes = NULL;
  g_autoptr(GBytes) output_bytes = NULL;
  g_autoptr(GBytes) again_bytes = NULL;
  PhotosealMetadata removed;

  if (exiftool == NULL || (input = make_camera_heif (fixture, exiftool, name)) == NULL)
    return;

  output = scrub_to_file (fixture, input, scrubbed_name, &removed);
  g_assert_cmpuint (removed, ==, PHOTOSEAL_METADATA_EXIF | PHOTOSEAL_METADATA_GPS
                                 | PHOTOSEAL_METADATA_XMP);
  assert_no_heif_metadata (exiftool, output);
  assert_same_heif_pixels (fixture, input, output);

  /* Nothing moved: every offset in the file is still right. And the
   * items' bytes are gone, not merely unlisted. */
  input_bytes = read_bytes (input);
  output_bytes = read_bytes (output);
  g_assert_cmpuint (g_bytes_get_size (output_bytes), ==, g_bytes_get_size (input_bytes));
  g_assert_nonnull (memmem (g_bytes_get_data (input_bytes, NULL), g_bytes_get_size (input_bytes),
                            "Wound", 5));
  g_assert_null (memmem (g_bytes_get_data (output_bytes, NULL), g_bytes_get_size (output_bytes),
                         "Wound", 5));
  g_assert_null (memmem (g_bytes_get_data (output_bytes, NULL), g_bytes_get_size (output_bytes),
                         "Canon", 5));

  again = scrub_to_file (fixture, output, again_name, &removed);
  g_assert_cmpuint (removed, ==, PHOTOSEAL_METADATA_NONE);
  again_bytes = read_bytes (again);
  assert_bytes_equal (again_bytes, output_bytes);
}

static void
test_heif_camera (Fixture      *fixture,
                  gconstpointer data)
{
  check_heif_camera (fixture, "camera.heic");
}

static void
test_heif_avif (Fixture      *fixture,
                gconstpointer data)
{
  check_heif_camera (fixture, "camera.avif");
}

static void
test_heif_clean (Fixture      *fixture,
                 gconstpointer data)
{
  g_autofree char *heif_enc = require_tool ("heif-enc");
  g_autofree char *jpeg = save_pixbuf (fixture, "clean.jpg", 96, 64);
  g_autofree char *input = fixture_path (fixture, "clean.heic");
  const char *argv[] = { heif_enc, "-q", "60", "-o", input, jpeg, NULL };
  g_autofree char *output = NULL;
  g_autoptr(GBytes) input_bytes = NULL;
  g_autoptr(GBytes) output_bytes = NULL;
  PhotosealMetadata removed;

  if (heif_enc == NULL)
    return;

  run (argv);
  output = scrub_to_file (fixture, input, "scrubbed.heic", &removed);
  input_bytes = read_bytes (input);
  output_bytes = read_bytes (output);

  g_assert_cmpuint (removed, ==, PHOTOSEAL_METADATA_NONE);
  assert_bytes_equal (output_bytes, input_bytes);
}

/* Returns where the first box of @type starts in @data, searching
 * from @from. */
static gsize
find_box (GBytes     *data,
          const char *type,
          gsize       from)
{
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (data, &len);
  const guint8 *found = memmem (p + from, len - from, type, 4);

  g_assert_nonnull (found);
  return found - p - 4;
}

static guint32
get_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
put_u32 (guint8 *p,
         guint32 value)
{
  p[0] = value >> 24;
  p[1] = value >> 16;
  p[2] = value >> 8;
  p[3] = value;
}

/* Every cut short of the whole file is refused, except the ones that
 * fall between top-level boxes, which leave a shorter valid file. */
static void
test_heif_truncated (Fixture      *fixture,
                     gconstpointer data)
{
  const char *exiftool = require_exiftool ();
  g_autofree char *camera = NULL;
  g_autoptr(GBytes) camera_bytes = NULL;
  gsize meta_end, len;

  if (exiftool == NULL || (camera = make_camera_heif (fixture, exiftool, "camera.heic")) == NULL)
    return;

  camera_bytes = read_bytes (camera);
  len = g_bytes_get_size (camera_bytes);
  meta_end = find_box (camera_bytes, "meta", 0);
  meta_end += get_u32 ((const guint8 *) g_bytes_get_data (camera_bytes, NULL) + meta_end);

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (camera_bytes, 0, cut);
      g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_heif_scrubber_new ());
      const guint8 *p = g_bytes_get_data (camera_bytes, NULL);
      g_autoptr(GBytes) output = NULL;
      g_autoptr(GError) error = NULL;

      output = scrub_bytes (scrubber, truncated, &error);
      if (cut == get_u32 (p) || cut == meta_end)
        continue;
      g_assert_null (output);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_true (g_str_has_prefix (error->message, "not a valid HEIF image: "));
    }
}

/* Returns where item @id's base offset field is in the iloc box that
 * heif-enc writes: version 0 or 1, 4-byte offsets, lengths and base
 * offsets, no extent indexes. */
static gsize
find_location (GBytes *heif,
               guint   id)
{
  const guint8 *p = g_bytes_get_data (heif, NULL);
  gsize iloc = find_box (heif, "iloc", 0);
  guint version = p[iloc + 8];
  gsize head = version == 0 ? 10 : 12;
  gsize at = iloc + 16;

  g_assert_cmpuint (version, <=, 1);
  g_assert_cmphex (p[iloc + 12], ==, 0x44);
  g_assert_cmphex (p[iloc + 13], ==, 0x40);
  for (guint i = 0; i < (guint) ((p[iloc + 14] << 8) | p[iloc + 15]); i++)
    {
      guint extents = (p[at + head - 2] << 8) | p[at + head - 1];

      if ((guint) ((p[at] << 8) | p[at + 1]) == id)
        return at + head - 6;
      at += head + 8 * extents;
    }
  g_assert_not_reached ();
}

typedef struct
{
  const char *box;
  gsize field;
  guint32 value;
  const char *message;
} Lie;

/* Counts and sizes that lie, each must be refused with a reason. */
static void
test_heif_hostile (Fixture      *fixture,
                   gconstpointer data)
{
  static const Lie lies[] = {
    /* An entry count far beyond the entries there are. */
    { "iinf", 12, 0xffff0000, "its iinf box is malformed" },
    { "iloc", 12, 0x4440ffff, "its iloc box is malformed" },
    { "ipma", 12, 0xffffffff, "its ipma box is malformed" },
    /* A child larger than its parent. */
    { "infe", 0, 0x7fffffff, "its iinf box is malformed" },
    { "iref", 0, 0x7fffffff, "its meta box is malformed" },
    { "cdsc", 0, 0x00010000, "its iref box is malformed" },
    /* Top-level boxes too big or too small to be true. */
    { "meta", 0, 0x7fffffff, "its meta box is too large to read" },
    { "mdat", 0, 4, "the box at byte" },
    { "mdat", 0, 0x7fffffff, "the file ends in the middle of a box" },
  };
  const char *exiftool = require_exiftool ();
  g_autofree char *camera = NULL;
  g_autoptr(GBytes) camera_bytes = NULL;

  if (exiftool == NULL || (camera = make_camera_heif (fixture, exiftool, "camera.heic")) == NULL)
    return;
  camera_bytes = read_bytes (camera);

  for (guint i = 0; i <= G_N_ELEMENTS (lies); i++)
    {
      g_autoptr(GByteArray) copy = g_byte_array_new ();
      g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_heif_scrubber_new ());
      g_autoptr(GBytes) output = NULL;
      g_autoptr(GBytes) lying = NULL;
      g_autoptr(GError) error = NULL;
      const char *message;

      g_byte_array_append (copy, g_bytes_get_data (camera_bytes, NULL),
                           g_bytes_get_size (camera_bytes));
      if (i < G_N_ELEMENTS (lies))
        {
          put_u32 (copy->data + find_box (camera_bytes, lies[i].box, 0) + lies[i].field,
                   lies[i].value);
          message = lies[i].message;
        }
      else
        {
          /* An XMP item said to be in the ftyp box, already passed on. */
          gsize xmp = find_location (camera_bytes, 3);

          put_u32 (copy->data + xmp, 0);
          message = "its metadata is stored before the end of its meta box";
        }

      lying = g_byte_array_free_to_bytes (g_steal_pointer (&copy));
      output = scrub_bytes (scrubber, lying, &error);
      g_assert_null (output);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      if (strstr (error->message, message) == NULL)
        g_error ("lie %u: \"%s\" lacks \"%s\"", i, error->message, message);
    }
}

/* Every byte of the meta box spoilt in turn, each as 0x00, 0xFF and its
 * own complement: the scrubber may refuse or pass the file, but never
 * crash, hang or read out of bounds, and what it passes has no EXIF left.
 * The item type "Exif" itself is left alone: an item of an unknown type
 * is kept, as it may be a kind of image Photoseal does not know. */
static void
test_heif_spoilt (Fixture      *fixture,
                  gconstpointer data)
{
  const char *exiftool = require_exiftool ();
  g_autofree char *camera = NULL;
  g_autoptr(GBytes) camera_bytes = NULL;
  gsize meta, meta_end, exif_type;

  if (exiftool == NULL || (camera = make_camera_heif (fixture, exiftool, "camera.heic")) == NULL)
    return;

  camera_bytes = read_bytes (camera);
  meta = find_box (camera_bytes, "meta", 0);
  meta_end = meta + get_u32 ((const guint8 *) g_bytes_get_data (camera_bytes, NULL) + meta);
  exif_type = find_box (camera_bytes, "Exif", meta) + 4;

  for (gsize at = meta; at < meta_end; at++)
    for (guint how = 0; how < 3 && (at < exif_type || at >= exif_type + 4); how++)
      {
        g_autoptr(GByteArray) copy = g_byte_array_new ();
        g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_heif_scrubber_new ());
        g_autoptr(GBytes) spoilt = NULL;
        g_autoptr(GBytes) output = NULL;
        g_autoptr(GError) error = NULL;

        g_byte_array_append (copy, g_bytes_get_data (camera_bytes, NULL),
                             g_bytes_get_size (camera_bytes));
        copy->data[at] = how == 0 ? 0x00 : how == 1 ? 0xff : ~copy->data[at];
        spoilt = g_byte_array_free_to_bytes (g_steal_pointer (&copy));
        output = scrub_bytes (scrubber, spoilt, &error);
        if (output == NULL)
          {
            g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
            continue;
          }
        g_assert_null (memmem (g_bytes_get_data (output, NULL), g_bytes_get_size (output),
                               "Exif\0\0", 6));
      }
}

static void
test_heif_not_heif (Fixture      *fixture,
                    gconstpointer data)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree char *jpeg = save_pixbuf (fixture, "image.jpg", 16, 16);
  g_autofree char *nothing = write_bytes (fixture, "empty", empty);
  const char *paths[] = { jpeg, nothing };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_heif_scrubber_new ());

      assert_scrub_fails (scrubber, paths[i], "not a valid HEIF image: it does not start with");
    }
}

/* A caller that gives a byte at a time gets the same file, and never has
 * to hold more than the meta box. */
static void
test_heif_small_buffers (Fixture      *fixture,
                         gconstpointer data)
{
  const char *exiftool = require_exiftool ();
  g_autoptr(GConverter) scrubber = G_CONVERTER (photoseal_heif_scrubber_new ());
  g_autofree char *input = NULL;

  if (exiftool == NULL || (input = make_camera_heif (fixture, exiftool, "camera.heic")) == NULL)
    return;

  /* The meta box is gathered by the scrubber, not by its caller: the
   * most it waits for is a box header with a 64-bit size. */
  check_small_buffers (input, scrubber, 16);
  check_small_reads (input, scrubber);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/scrubber/heif/gps", test_heif_camera);
  ADD ("/scrubber/heif/avif", test_heif_avif);
  ADD ("/scrubber/heif/clean", test_heif_clean);
  ADD ("/scrubber/heif/truncated", test_heif_truncated);
  ADD ("/scrubber/heif/hostile", test_heif_hostile);
  ADD ("/scrubber/heif/spoilt", test_heif_spoilt);
  ADD ("/scrubber/heif/not-heif", test_heif_not_heif);
  ADD ("/scrubber/heif/small-buffers", test_heif_small_buffers);

#undef ADD

  return g_test_run ();
}
