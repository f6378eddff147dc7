/* test-app-viewer.c: the viewer: opening sealed files, access codes, and every problem page,
 * hostile files and servers included
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "app-fixture.h"
#include "app-tests.h"

static const char *
viewer_subtitle (PhotosealViewerWindow *viewer)
{
  return adw_window_title_get_subtitle (ADW_WINDOW_TITLE (widget_finder_by_id (GTK_WIDGET (viewer),
                                                                              "window_title")));
}

/* The label in @root whose text is exactly @text, or %NULL. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root)
      && g_str_equal (gtk_label_get_text (GTK_LABEL (root)), text))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether @label shows its text on one line: the width it was given is at
 * least what it needs unwrapped. */
static gboolean
on_one_line (GtkWidget *label)
{
  int natural;

  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return gtk_widget_get_width (label) >= natural;
}

/* The problem page at 960 × 720 and at 360 px, as NAME.png and
 * NAME-narrow.png; the page must fit the narrow window. */
static void
save_page_screenshots (PhotosealViewerWindow *viewer,
                       const char            *name)
{
  g_autofree char *narrow = g_strconcat (name, "-narrow", NULL);
  int width, height;

  get_content_size (GTK_WIDGET (viewer), &width, &height);
  resize_window (GTK_WIDGET (viewer), 960, 720);
  save_screenshot (GTK_WIDGET (viewer), name);
  resize_window (GTK_WIDGET (viewer), 360, 720);
  save_screenshot (GTK_WIDGET (viewer), narrow);
  resize_window (GTK_WIDGET (viewer), width, height);
}

/* What the problem page says under its title. */
static const char *
problem_description (PhotosealViewerWindow *viewer)
{
  return adw_status_page_get_description (ADW_STATUS_PAGE (widget_finder_by_id (GTK_WIDGET (viewer),
                                                                               "problem_status")));
}

/* The patient is the largest text in the details, consent is named, and
 * every date is unambiguous; at 360 px the details go above the photos
 * and the identifier stays on one line. */
static void
check_details (PhotosealViewerWindow *viewer)
{
  GtkWidget *details = widget_finder_by_id (GTK_WIDGET (viewer), "details");
  PhotosealViewerLayout *layout = PHOTOSEAL_VIEWER_LAYOUT (widget_finder_by_id (GTK_WIDGET (viewer),
                                                                                "layout"));
  PhotosealManifest *manifest = photoseal_viewer_window_get_manifest (viewer);
  g_autofree char *sealed = photoseal_date_format_time (photoseal_manifest_get_created (manifest));
  g_autofree char *sealed_text = g_strconcat ("Sealed ", sealed, NULL);
  GtkWidget *name = find_label (details, "Jane Example");
  GtkWidget *identifier = find_label (details, "ID MRN-0042");
  GtkWidget *consent;
  int width, height;

  get_content_size (GTK_WIDGET (viewer), &width, &height);
  g_assert_nonnull (name);
  g_assert_true (gtk_widget_has_css_class (name, "title-2"));
  g_assert_nonnull (identifier);
  g_assert_true (gtk_widget_has_css_class (identifier, "title-3"));
  g_assert_nonnull (find_label (details, "Born 15 Jan 1970"));
  g_assert_nonnull (find_label (details, sealed_text));
  g_assert_null (label_containing (details, "/70"));
  g_assert_nonnull (find_label (details, "Obtained: verbal"));
  g_assert_nonnull (find_label (details, "For:\n• clinical care\n• teaching"));
  consent = widget_finder_by_id (details, "consent_box");
  g_assert_false (gtk_widget_has_css_class (consent, "warning"));
  /* The sender as the key server confirmed it. */
  g_assert_nonnull (find_label (details, "From Alice Example <alice@example.org>"));
  g_assert_nonnull (find_label (details, "Confirmed by 127.0.0.1"));
  g_assert_false (gtk_widget_get_visible (widget_finder_by_id (details, "sender_warning")));

  resize_window (GTK_WIDGET (viewer), 960, 720);
  g_assert_false (photoseal_viewer_layout_get_stacked (layout));
  save_screenshot (GTK_WIDGET (viewer), "viewer-details");

  resize_window (GTK_WIDGET (viewer), 360, 720);
  g_assert_true (photoseal_viewer_layout_get_stacked (layout));
  g_assert_true (on_one_line (identifier));
  g_assert_true (on_one_line (name));
  save_screenshot (GTK_WIDGET (viewer), "viewer-details-narrow");
  resize_window (GTK_WIDGET (viewer), width, height);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (photoseal_viewer_window_export_finish (PHOTOSEAL_VIEWER_WINDOW (object), result,
                                                        &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
assert_same_file (const char *a,
                  const char *b)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gsize first_length, second_length;

  g_assert_true (g_file_get_contents (a, &first, &first_length, NULL));
  g_assert_true (g_file_get_contents (b, &second, &second_length, NULL));
  g_assert_cmpmem (first, first_length, second, second_length);
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (photoseal_open_job_run_finish (PHOTOSEAL_OPEN_JOB (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static GBytes *
read_all (GInputStream *stream)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Types @code into the access code row as a person would (a click, then
 * the keys) and presses Return. */
static void
apply_access_code (PhotosealViewerWindow *viewer,
                   const char            *code)
{
  GtkWidget *row = widget_finder_by_id (GTK_WIDGET (viewer), "access_code_row");

  GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

  g_assert_true (gtk_widget_get_visible (group));
  click_widget (row);
  press_keys (GTK_WIDGET (viewer), "ctrl+a");
  type_text (GTK_WIDGET (viewer), code);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, code);
  press_keys (GTK_WIDGET (viewer), "Return");
  WAIT_FOR (photoseal_viewer_window_get_state (viewer) != PHOTOSEAL_VIEWER_STATE_LOADING);
}

/* Replaces @from by @to, of the same length, in the file at @path. */
static void
patch_file (const char *path,
            const char *from,
            const char *to)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  char *at;

  g_assert_cmpuint (strlen (from), ==, strlen (to));
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  at = g_strstr_len (contents, length, from);
  g_assert_nonnull (at);
  memcpy (at, to, strlen (to));
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

/* Starts tests/hostile-keyserver.py and answers the port of @mode; the
 * server stops when @server_out is unreffed (its stdin closes). */
static guint
start_hostile_keyserver (const char   *mode,
                         GSubprocess **server_out)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "hostile-keyserver.py", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  GSubprocess *process;
  guint port = 0;
  char *line;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                              &error, "python3", script, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  while ((line = g_data_input_stream_read_line (lines, NULL, NULL, &error)))
    {
      g_auto(GStrv) words = g_strsplit (line, " ", 2);

      g_free (line);
      if (g_str_equal (words[0], "ready"))
        break;
      if (g_str_equal (words[0], mode))
        port = (guint) g_ascii_strtoull (words[1], NULL, 10);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (port, >, 0);
  *server_out = process;
  return port;
}

/* One crc32 (PNG's, zlib's) over @length bytes, continuing @crc. */
static guint32
png_crc (guint32       crc,
         const guint8 *data,
         gsize         length)
{
  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
    }
  return ~crc;
}

static void
png_chunk (GByteArray   *png,
           const char   *type,
           const guint8 *data,
           gsize         length)
{
  guint32 be = GUINT32_TO_BE ((guint32) length);
  guint32 crc = png_crc (0, (const guint8 *) type, 4);

  crc = GUINT32_TO_BE (png_crc (crc, data, length));
  g_byte_array_append (png, (guint8 *) &be, 4);
  g_byte_array_append (png, (const guint8 *) type, 4);
  g_byte_array_append (png, data, length);
  g_byte_array_append (png, (guint8 *) &crc, 4);
}

/* A @size × @size black PNG, 1 bit per pixel, so that it stays small on
 * disk (a few hundred KB) while decoding it would take gigabytes. */
static char *
write_huge_png (const char *name,
                guint32     size)
{
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GZlibCompressor) zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (zlib));
  g_autofree guint8 *row = g_malloc0 (1 + (size + 7) / 8);
  guint8 ihdr[13] = { 0 };
  guint32 be = GUINT32_TO_BE (size);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (work_dir, name, NULL);

  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  memcpy (ihdr, &be, 4);
  memcpy (ihdr + 4, &be, 4);
  ihdr[8] = 1;  /* bit depth 1, greyscale */
  png_chunk (png, "IHDR", ihdr, sizeof ihdr);
  for (guint32 y = 0; y < size; y++)
    g_output_stream_write_all (out, row, 1 + (size + 7) / 8, NULL, NULL, &error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  png_chunk (png, "IDAT", g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
             g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
  png_chunk (png, "IEND", NULL, 0);
  g_file_set_contents (path, (const char *) png->data, png->len, &error);
  g_assert_no_error (error);
  return path;
}

/* Seals the file at @photo for the app's accounts, as is. */
static char *
seal_photo (const char *photo,
            const char *name)
{
  g_autoptr(PhotosealKeyserverClient) alice = signed_in_client ("alice@example.org");
  g_autoptr(PhotosealSealer) sealer = photoseal_sealer_new ();
  g_autoptr(PhotosealServerKeyRecipient) recipient = NULL;
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(GFile) photo_file = g_file_new_for_path (photo);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (work_dir, name, NULL);
  g_autoptr(GFile) output = g_file_new_for_path (path);
  const char *recipients[] = { "alice@example.org", "dave@example.org", NULL };

  key = photoseal_keyserver_client_create_key (alice, recipients, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  recipient = photoseal_server_key_recipient_new (key->key_id, server.base_url, key->server_key,
                                                  &error);
  g_assert_no_error (error);
  photoseal_sealer_add_recipient (sealer, PHOTOSEAL_RECIPIENT (recipient));
  photoseal_sealer_set_remove_metadata (sealer, FALSE);
  photoseal_sealer_add_file (sealer, photo_file);
  photoseal_sealer_seal_to_file (sealer, output, NULL, &error);
  g_assert_no_error (error);
  return path;
}

/* A field of /proc/self/status ("VmHWM", "VmRSS"), in MiB. */
static glong
status_mib (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *at;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  at = strstr (status, key);
  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen (key), NULL, 10) / 1024;
}

/* Starts a new peak: earlier tests' photos do not count. */
static void
reset_peak_rss (void)
{
  int fd = g_open ("/proc/self/clear_refs", O_WRONLY, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "5", 1), ==, 1);
  g_close (fd, NULL);
}

void
test_open (void)
{
  PhotosealViewerWindow *viewer;
  PhotosealManifest *manifest;
  g_autofree char *export_dir = g_build_filename (work_dir, "exported", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (export_dir);
  gboolean exported = FALSE;

  g_assert_nonnull (sealed_path);
  viewer = open_in_app (sealed_path);
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PHOTOS);
  g_assert_cmpuint (photoseal_viewer_window_get_n_photos (viewer), ==, 2);
  manifest = photoseal_viewer_window_get_manifest (viewer);
  g_assert_cmpstr (photoseal_manifest_get_patient_name (manifest), ==, "Jane Example");
  /* → and ← step through the photos, wherever the focus is. */
  g_assert_true (g_str_has_suffix (viewer_subtitle (viewer), "1 of 2"));
  press_keys (GTK_WIDGET (viewer), "Right");
  g_assert_true (g_str_has_suffix (viewer_subtitle (viewer), "2 of 2"));
  press_keys (GTK_WIDGET (viewer), "Left");
  g_assert_true (g_str_has_suffix (viewer_subtitle (viewer), "1 of 2"));
  press_keys (GTK_WIDGET (viewer), "Right");
  save_screenshot (GTK_WIDGET (viewer), "viewer");
  check_details (viewer);

  /* Export All writes exactly what the recipient's own extraction did. */
  g_assert_cmpint (g_mkdir (export_dir, 0700), ==, 0);
  photoseal_viewer_window_export_async (viewer, folder, exported_cb, &exported);
  WAIT_FOR (exported);
  {
    g_autofree char *a = g_build_filename (export_dir, "sample-photo.jpg", NULL);
    g_autofree char *b
      = g_build_filename (work_dir, "opened-by-bob", "photos", "01-sample-photo.jpg", NULL);
    g_autofree char *c = g_build_filename (export_dir, "gradient.jpg", NULL);
    g_autofree char *d
      = g_build_filename (work_dir, "opened-by-bob", "photos", "02-gradient.jpg", NULL);

    assert_same_file (a, b);
    assert_same_file (c, d);
  }
  gtk_window_destroy (GTK_WINDOW (viewer));
}

/* Items over the memory limit live in unlinked 0600 files: nothing shows
 * in the runtime folder, and reading them back (twice, from two streams
 * at once) gives the recipient's bytes. */
void
test_large_items (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (sealed_path);
  g_autoptr(PhotosealOpenJob) job
    = photoseal_open_job_new (file, photoseal_application_get_user (app), NULL);
  g_autofree char *expected_path = g_build_filename (work_dir, "opened-by-bob", "photos",
                                                     "01-sample-photo.jpg", NULL);
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GInputStream) first = NULL;
  g_autoptr(GInputStream) second = NULL;
  g_autoptr(GBytes) first_bytes = NULL;
  g_autoptr(GBytes) second_bytes = NULL;
  g_autoptr(GDir) runtime = NULL;
  g_autoptr(GError) error = NULL;
  PhotosealOpenedItem *item;
  gboolean done = FALSE;
  const char *name;
  gchar *contents;
  gsize length;

  photoseal_open_job_set_memory_limit (job, 0);
  photoseal_open_job_run_async (job, NULL, job_done_cb, &done);
  WAIT_FOR (done);

  item = photoseal_open_job_get_item (job, 0);
  g_assert_false (photoseal_opened_item_in_memory (item));
  runtime = g_dir_open (g_get_user_runtime_dir (), 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (runtime)))
    g_assert_false (g_str_has_prefix (name, "photoseal-item-"));

  g_assert_true (g_file_get_contents (expected_path, &contents, &length, NULL));
  expected = g_bytes_new_take (contents, length);
  first = photoseal_opened_item_read (item, &error);
  g_assert_no_error (error);
  second = photoseal_opened_item_read (item, &error);
  g_assert_no_error (error);
  first_bytes = read_all (first);
  second_bytes = read_all (second);
  g_assert_true (g_bytes_equal (first_bytes, expected));
  g_assert_true (g_bytes_equal (second_bytes, expected));
}

void
test_revoked (void)
{
  g_autoptr(PhotosealKeyserverClient) alice = signed_in_client ("alice@example.org");
  g_autofree char *key_id = key_id_of (sealed_path);
  g_autoptr(GError) error = NULL;
  PhotosealViewerWindow *viewer;

  g_assert_true (photoseal_keyserver_client_revoke_key (alice, key_id, NULL, &error));
  g_assert_no_error (error);

  viewer = open_in_app (sealed_path);
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PROBLEM);
  g_assert_cmpstr (photoseal_viewer_window_get_problem (viewer), ==, "revoked");
  save_page_screenshots (viewer, "viewer-revoked");
  gtk_window_destroy (GTK_WINDOW (viewer));
}

/* Bob seals for Carol with an access code; Alice is not a recipient, and
 * gets in only with the code. */
void
test_access_code (void)
{
  g_autoptr(PhotosealKeyserverClient) bob = signed_in_client ("bob@example.org");
  g_autofree char *code = NULL;
  g_autofree char *path = seal_with_library_full (bob, server.base_url, "for-carol.psf",
                                                  "carol@example.org", &code);
  PhotosealViewerWindow *viewer;

  viewer = open_in_app (path);
  g_assert_cmpstr (photoseal_viewer_window_get_problem (viewer), ==, "not-recipient");
  save_page_screenshots (viewer, "viewer-not-recipient");
  g_assert_true (focus_within (GTK_WIDGET (viewer), "access_code_row"));

  apply_access_code (viewer, "WRONG-CODE1");
  g_assert_cmpstr (photoseal_viewer_window_get_problem (viewer), ==, "bad-code");
  /* Five tries, one taken. */
  g_assert_nonnull (strstr (problem_description (viewer), "4 more wrong codes lock the file"));
  save_page_screenshots (viewer, "viewer-wrong-code");
  retype (GTK_WIDGET (viewer), "access_code_row", code);
  save_page_screenshots (viewer, "viewer-access-code");

  apply_access_code (viewer, code);
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PHOTOS);
  g_assert_cmpuint (photoseal_viewer_window_get_n_photos (viewer), ==, 1);
  gtk_window_destroy (GTK_WINDOW (viewer));
}

void
test_damaged (void)
{
  g_autoptr(PhotosealKeyserverClient) alice = signed_in_client ("alice@example.org");
  g_autofree char *path = seal_with_library (alice, server.base_url, "truncated.psf");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  PhotosealViewerWindow *viewer;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, contents, length - 100, &error);
  g_assert_no_error (error);

  viewer = open_in_app (path);
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PROBLEM);
  g_assert_cmpstr (photoseal_viewer_window_get_problem (viewer), ==, "damaged");
  g_assert_cmpuint (photoseal_viewer_window_get_n_photos (viewer), ==, 0);
  save_page_screenshots (viewer, "viewer-damaged");
  gtk_window_destroy (GTK_WINDOW (viewer));
}

/* A file naming a server this device never signed in to: the app asks,
 * and that server sees no request at all. */
void
test_unknown_server (void)
{
  KeyserverFixture other = { 0 };
  g_autoptr(PhotosealKeyserverClient) stranger = NULL;
  g_autofree char *path = NULL;
  g_autofree char *log = NULL;
  g_autofree char *before = NULL;
  PhotosealViewerWindow *viewer;
  GtkWidget *back;

  keyserver_fixture_start (&other, "open");
  {
    g_autoptr(Reply) created = keyserver_request (&other, "POST", "/v1/accounts", NULL,
                                                  "{\"email\":\"mallory@example.org\","
                                                  "\"password\":\"" PASSWORD "\",\"name\":\"M\"}");
    g_assert_cmpuint (created->status, ==, 201);
  }
  stranger = photoseal_keyserver_client_new (other.base_url, NULL);
  photoseal_keyserver_client_sign_in (stranger, "mallory@example.org", PASSWORD, "m", NULL, NULL);
  path = seal_with_library (stranger, other.base_url, "elsewhere.psf");
  before = keyserver_fixture_read_log (&other);

  viewer = open_in_app (path);
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PROBLEM);
  g_assert_cmpstr (photoseal_viewer_window_get_problem (viewer), ==, "sign-in");
  /* The page names the file and the server's host. */
  g_assert_nonnull (strstr (problem_description (viewer), "“elsewhere.psf”"));
  g_assert_nonnull (strstr (problem_description (viewer), " 127.0.0.1,"));
  save_page_screenshots (viewer, "viewer-sign-in-to-open");
  /* Signing in there starts in the email field, not the read-only server. */
  click_widget (find_button (GTK_WIDGET (viewer), "_Sign In…"));
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_SIGN_IN);
  g_assert_true (focus_within (GTK_WIDGET (viewer), "email_row"));
  save_page_screenshots (viewer, "viewer-sign-in");
  /* Back leads to the choice of signing in or typing the access code. */
  click_widget (widget_finder_by_id (GTK_WIDGET (viewer), "back_button"));
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PROBLEM);
  g_assert_cmpstr (photoseal_viewer_window_get_problem (viewer), ==, "sign-in");
  g_assert_true (focus_within (GTK_WIDGET (viewer), "access_code_row"));
  back = widget_finder_by_id (GTK_WIDGET (viewer), "back_button");
  g_assert_false (gtk_widget_get_visible (back));
  /* And so does Escape. */
  click_widget (find_button (GTK_WIDGET (viewer), "_Sign In…"));
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_SIGN_IN);
  press_keys (GTK_WIDGET (viewer), "Escape");
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PROBLEM);

  log = keyserver_fixture_read_log (&other);
  g_assert_cmpstr (log, ==, before);
  gtk_window_destroy (GTK_WINDOW (viewer));
  keyserver_fixture_stop (&other);
}

/* A file whose header names a key server whose host is markup (GUri
 * decodes %3C to "<"): the page about it shows the text, and does not
 * render it (no bold, no colour, no link). */
void
test_markup_in_origin (void)
{
  g_autoptr(PhotosealKeyserverClient) alice = signed_in_client ("alice@example.org");
  const char *hostile = "https://%3Cb%3Ehostile%3C%2Fb%3E.test";
  g_autofree char *benign = g_strdup ("https://aaaaaaaaaaaaaaaaaaaaaaaa.test");
  g_autofree char *path = NULL;
  PhotosealViewerWindow *viewer;
  const char *shown;

  g_assert_cmpuint (strlen (benign), ==, strlen (hostile));
  path = seal_with_library (alice, benign, "markup-origin.psf");
  patch_file (path, benign, hostile);

  viewer = open_in_app (path);
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PROBLEM);
  shown = label_containing (GTK_WIDGET (viewer), "hostile");
  if (shown != NULL)
    g_assert_nonnull (strstr (shown, "<b>hostile</b>"));
  save_screenshot (GTK_WIDGET (viewer), "markup-origin");
  gtk_window_destroy (GTK_WINDOW (viewer));
}

/* A key server whose error message is markup (and broken): the viewer's
 * page about it shows the text as it is. */
void
test_markup_in_server_error (void)
{
  g_autoptr(PhotosealKeyserverClient) alice = signed_in_client ("alice@example.org");
  g_autoptr(GSubprocess) hostile = NULL;
  guint port = start_hostile_keyserver ("markup", &hostile);
  g_autofree char *origin = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autofree char *path = seal_with_library (alice, origin, "markup-error.psf");
  PhotosealViewerWindow *viewer;
  const char *shown;

  /* No session there: the app asks first; an access code makes it ask
   * that server. */
  viewer = open_in_app (path);
  g_assert_cmpstr (photoseal_viewer_window_get_problem (viewer), ==, "sign-in");
  apply_access_code (viewer, "ABCD-EFGH-JKLM");
  g_assert_cmpstr (photoseal_viewer_window_get_problem (viewer), ==, "failed");
  shown = label_containing (GTK_WIDGET (viewer), "unclosed");
  g_assert_nonnull (shown);
  g_assert_nonnull (strstr (shown, "<i>unclosed & <a href=\"https://evil.example\">odd</a>"));
  save_screenshot (GTK_WIDGET (viewer), "server-error");
  gtk_window_destroy (GTK_WINDOW (viewer));
}

/* A 60000×60000 PNG: the viewer reads its size first and never decodes
 * it (before, it took the viewer to 7.6 GB); it says the photo is too
 * large to display, and Export All still writes it. */
void
test_huge_image (void)
{
  g_autofree char *photo = NULL;
  g_autofree char *path = NULL;
  g_autofree char *export_dir = g_build_filename (work_dir, "huge-exported", NULL);
  g_autofree char *exported_path = g_build_filename (export_dir, "huge.png", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (export_dir);
  PhotosealViewerWindow *viewer;
  gboolean exported = FALSE;
  glong rss_before;

  photo = write_huge_png ("huge.png", 60000);
  path = seal_photo (photo, "huge.psf");
  reset_peak_rss ();
  rss_before = status_mib ("VmRSS");
  g_test_message ("RSS before opening: %ld MiB", rss_before);
  viewer = open_in_app (path);
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PHOTOS);
  WAIT_FOR (label_containing (GTK_WIDGET (viewer), "too large to display") != NULL);
  save_screenshot (GTK_WIDGET (viewer), "too-large");
  /* GTK's GL renderer under Xvfb alone takes this process to some 250 MiB,
   * so the test bounds what opening and showing the file added: under
   * 128 MiB (GTK 4.18 adds some 67), where decoding it would take 14 GB. */
  g_test_message ("Peak RSS while opening and showing: %ld MiB", status_mib ("VmHWM"));
  g_assert_cmpint (status_mib ("VmHWM") - rss_before, <, 128);

  g_assert_cmpint (g_mkdir (export_dir, 0700), ==, 0);
  photoseal_viewer_window_export_async (viewer, folder, exported_cb, &exported);
  WAIT_FOR (exported);
  assert_same_file (photo, exported_path);
  gtk_window_destroy (GTK_WINDOW (viewer));
}

/* Export All never writes a hidden file and never replaces one: a
 * sender's ".bashrc" lands as "bashrc", next to what was there. */
void
test_export_names (void)
{
  g_autofree char *dir = g_build_filename (work_dir, "dotfiles", NULL);
  g_autofree char *photo = NULL;
  g_autofree char *path = NULL;
  g_autofree char *export_dir = g_build_filename (work_dir, "home", NULL);
  g_autofree char *existing = g_build_filename (export_dir, "bashrc", NULL);
  g_autofree char *renamed = g_build_filename (export_dir, "bashrc (2)", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (export_dir);
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) error = NULL;
  PhotosealViewerWindow *viewer;
  gboolean exported = FALSE;
  const char *name;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  {
    g_autofree char *gradient = write_gradient_jpeg ("dotfile.jpg");

    photo = g_build_filename (dir, ".bashrc", NULL);
    g_assert_cmpint (g_rename (gradient, photo), ==, 0);
  }
  path = seal_photo (photo, "dotfile.psf");
  g_assert_cmpint (g_mkdir (export_dir, 0700), ==, 0);
  g_file_set_contents (existing, "mine\n", -1, &error);
  g_assert_no_error (error);

  viewer = open_in_app (path);
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PHOTOS);
  photoseal_viewer_window_export_async (viewer, folder, exported_cb, &exported);
  WAIT_FOR (exported);
  gtk_window_destroy (GTK_WINDOW (viewer));

  listing = g_dir_open (export_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)))
    g_assert_false (name[0] == '.');
  g_file_get_contents (existing, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "mine\n");
  assert_same_file (photo, renamed);
}

/* The standard output of @argv, which must succeed. */
static char *
run_tool (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static void
report_exported_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (photoseal_viewer_window_export_report_finish (PHOTOSEAL_VIEWER_WINDOW (object),
                                                               result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
report_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  photoseal_viewer_window_export_report_finish (PHOTOSEAL_VIEWER_WINDOW (object), result, &error);
  *(gboolean *) user_data = TRUE;
}

/* poppler's own tools read @pdf: the patient, the consent, the sender and
 * @n_photos photos. */
static void
assert_report (const char *pdf,
               const char *sender,
               guint       n_photos)
{
  g_autofree char *text = run_tool ((const char *[]) { "pdftotext", pdf, "-", NULL });
  g_autofree char *images = run_tool ((const char *[]) { "pdfimages", "-list", pdf, NULL });
  g_auto(GStrv) lines = g_strsplit (images, "\n", -1);
  guint found = 0;

  g_assert_nonnull (strstr (text, "Jane Example"));
  g_assert_nonnull (strstr (text, "MRN-0042"));
  g_assert_nonnull (strstr (text, "15 Jan 1970"));
  g_assert_nonnull (strstr (text, "Obtained: verbal"));
  g_assert_nonnull (strstr (text, "clinical care, teaching"));
  g_assert_nonnull (strstr (text, sender));
  /* Two heading lines, then one per image ("… image …"). */
  for (guint i = 2; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (lines[i], " ", -1);
      guint column = 0;

      for (guint j = 0; fields[j] != NULL; j++)
        if (*fields[j] != '\0' && ++column == 3 && g_str_equal (fields[j], "image"))
          found++;
    }
  g_assert_cmpuint (found, ==, n_photos);
}

/* The window shown over @parent (a file chooser: GtkFileChooserDialog is
 * deprecated API, so it is found by what it is over, not by its type). */
static GtkWidget *
dialog_of (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (window) == parent
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }
  return NULL;
}

/* Export Report… through the menu and the real file chooser (clicks and
 * typing, as a person would), then Print… through GtkPrintOperation's own
 * export of the same pages: both PDFs hold the patient, the consent and
 * both photos, and the window never stopped answering. */
void
test_report (void)
{
  g_autofree char *pdf = g_build_filename (work_dir, "report.pdf", NULL);
  g_autofree char *printed = g_build_filename (work_dir, "printed.pdf", NULL);
  g_autoptr(GFile) printed_file = g_file_new_for_path (printed);
  g_autofree char *closed_path = g_build_filename (work_dir, "closed.pdf", NULL);
  g_autoptr(GFile) closed_file = g_file_new_for_path (closed_path);
  gboolean closed = FALSE;
  PhotosealViewerWindow *viewer = open_in_app (sealed_path);
  GtkWidget *menu_button = widget_finder_by_id (GTK_WIDGET (viewer), "menu_button");
  GtkWidget *popover;
  GtkWidget *chooser = NULL;

  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PHOTOS);
  click_widget (menu_button);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button)));
  WAIT_FOR (gtk_widget_get_mapped (popover));
  click_widget (find_label (popover, "Export Report…"));
  WAIT_FOR ((chooser = dialog_of (GTK_WINDOW (viewer))) != NULL && gtk_widget_get_mapped (chooser));
  save_screenshot (chooser, "report-chooser");
  press_keys (chooser, "ctrl+a");
  type_text (chooser, pdf);
  press_keys (chooser, "Return");
  WAIT_FOR (label_containing (GTK_WIDGET (viewer), "Report saved") != NULL);
  assert_report (pdf, "Alice Example <alice@example.org> (confirmed by 127.0.0.1)", 2);

  photoseal_viewer_window_print (viewer, printed_file);
  WAIT_FOR (g_file_test (printed, G_FILE_TEST_EXISTS));
  assert_report (printed, "Alice Example <alice@example.org> (confirmed by 127.0.0.1)", 2);

  /* Closed while the report is being written: no warning (fatal here),
   * and no partial PDF. */
  photoseal_viewer_window_export_report_async (viewer, closed_file, report_closed_cb, &closed);
  gtk_window_destroy (GTK_WINDOW (viewer));
  WAIT_FOR (closed);
  if (g_file_test (closed_path, G_FILE_TEST_EXISTS))
    assert_report (closed_path, "Alice Example", 2);
}

/* Bob's key, which expired a minute ago: the page says when. */
void
test_expired (void)
{
  g_autoptr(PhotosealKeyserverClient) bob = signed_in_client ("bob@example.org");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add_seconds (now, -60);
  g_autofree char *when = photoseal_date_format_time (expires);
  g_autofree char *path = seal_with_library_as (bob, "expired.psf", "alice@example.org", expires,
                                                NULL, NULL);
  PhotosealViewerWindow *viewer = open_in_app (path);

  g_assert_cmpstr (photoseal_viewer_window_get_problem (viewer), ==, "expired");
  g_assert_nonnull (strstr (problem_description (viewer), when));
  save_page_screenshots (viewer, "viewer-expired");
  gtk_window_destroy (GTK_WINDOW (viewer));
}

/* Bob seals for Alice, and his file claims to come from someone else: the
 * viewer shows Bob, as the key server confirmed, and a warning naming
 * both; the report names Bob too. */
void
test_forged_sender (void)
{
  g_autoptr(PhotosealKeyserverClient) bob = signed_in_client ("bob@example.org");
  g_autofree char *path = seal_with_library_as (bob, "forged.psf", "alice@example.org", NULL,
                                                "Prof. Head of Dermatology",
                                                "head.derm@example.org");
  g_autofree char *pdf = g_build_filename (work_dir, "forged.pdf", NULL);
  g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf);
  PhotosealViewerWindow *viewer = open_in_app (path);
  GtkWidget *details = widget_finder_by_id (GTK_WIDGET (viewer), "details");
  GtkWidget *banner = widget_finder_by_id (details, "sender_warning");
  GtkWidget *consent;
  const char *warning;
  gboolean exported = FALSE;

  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PHOTOS);
  g_assert_nonnull (find_label (details, "From Bob Example <bob@example.org>"));
  g_assert_nonnull (find_label (details, "Confirmed by 127.0.0.1"));
  g_assert_true (gtk_widget_get_visible (banner));
  warning = label_containing (banner, "says it is from");
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, "Prof. Head of Dermatology <head.derm@example.org>"));
  g_assert_nonnull (strstr (warning, "Bob Example <bob@example.org>"));
  g_assert_null (label_containing (details, "From Prof."));
  /* No consent in this file: the card says so in the warning style. */
  g_assert_nonnull (find_label (details, "Not obtained"));
  consent = widget_finder_by_id (details, "consent_box");
  g_assert_true (gtk_widget_has_css_class (consent, "warning"));
  save_page_screenshots (viewer, "viewer-forged-sender");

  photoseal_viewer_window_export_report_async (viewer, pdf_file, report_exported_cb, &exported);
  WAIT_FOR (exported);
  {
    g_autofree char *text = run_tool ((const char *[]) { "pdftotext", pdf, "-", NULL });

    g_assert_nonnull (strstr (text, "Bob Example <bob@example.org> (confirmed by 127.0.0.1)"));
    g_assert_null (strstr (text, "Prof. Head"));
  }
  gtk_window_destroy (GTK_WINDOW (viewer));
}
