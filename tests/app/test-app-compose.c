/* test-app-compose.c: the compose page: photos in through the real drop target, sealing, and its failures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "app-fixture.h"
#include "app-tests.h"

void
test_compose (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealComposePage *page = photoseal_window_get_compose_page (window);
  GtkWidget *recipients;
  g_autofree char *gradient = write_gradient_jpeg ("gradient.jpg");
  g_autofree char *text_path = g_build_filename (work_dir, "notes.txt", NULL);
  g_autofree char *sample = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                   "sample-photo.jpg", NULL);
  g_autoptr(GFile) sample_file = g_file_new_for_path (sample);
  g_autoptr(GFile) gradient_file = g_file_new_for_path (gradient);
  g_autoptr(GFile) text_file = g_file_new_for_path (text_path);
  GFile *dropped[] = { sample_file, gradient_file, text_file };
  g_autoptr(PhotosealKeyserverClient) bob = NULL;
  g_autoptr(PhotosealKeyserverClient) alice = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) in_ten_days = g_date_time_add_days (now, 10);
  g_autofree char *last_day = g_date_time_format (in_ten_days, "%Y-%m-%d");

  g_file_set_contents (text_path, "not a photo\n", -1, &error);
  g_assert_no_error (error);

  g_assert_true (widget_finder_drop_files (GTK_WIDGET (page), dropped, G_N_ELEMENTS (dropped)));
  /* The text file is refused (with a toast); the photos arrive. */
  WAIT_FOR (photoseal_compose_page_get_n_photos (page) == 2);
  settle ();
  g_assert_cmpuint (photoseal_compose_page_get_n_photos (page), ==, 2);

  /* The library's rule, as the key server's: a host without a dot is a
   * host (the app used to refuse it). */
  recipients = widget_finder_by_id (GTK_WIDGET (page), "recipients_row");
  type_into (GTK_WIDGET (page), "recipients_row", "bob@localhost");
  g_assert_false (gtk_widget_has_css_class (recipients, "error"));
  type_into (GTK_WIDGET (page), "recipients_row", "not an address");
  g_assert_true (gtk_widget_has_css_class (recipients, "error"));
  type_into (GTK_WIDGET (page), "recipients_row", "bob@example.org");
  type_into (GTK_WIDGET (page), "patient_name_row", "Jane Example");
  type_into (GTK_WIDGET (page), "patient_id_row", "MRN-0042");
  type_into (GTK_WIDGET (page), "patient_dob_row", "1970-01-31");
  type_into (GTK_WIDGET (page), "note_row", "Wound on day 3");
  /* The last choice, "Until a Date", shows the date row. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (widget_finder_by_id (GTK_WIDGET (page), "expiry_row")), 4);
  g_assert_true (gtk_widget_get_visible (widget_finder_by_id (GTK_WIDGET (page), "expiry_date_row")));
  type_into (GTK_WIDGET (page), "expiry_date_row", last_day);
  save_screenshot (GTK_WIDGET (window), "compose");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "compose.seal", NULL));
  WAIT_FOR (photoseal_compose_page_get_state (page) == PHOTOSEAL_COMPOSE_STATE_DONE);
  save_screenshot (GTK_WIDGET (window), "sealed");

  sealed_path = g_file_get_path (photoseal_compose_page_get_sealed_file (page));
  g_assert_true (g_file_test (sealed_path, G_FILE_TEST_IS_REGULAR));

  /* Bob opens it with libphotoseal alone. */
  bob = signed_in_client ("bob@example.org");
  {
    g_autoptr(GFile) sealed = g_file_new_for_path (sealed_path);
    g_autoptr(GFileInputStream) header_in = g_file_read (sealed, NULL, &error);
    g_autoptr(GInputStream) buffered = g_buffered_input_stream_new (G_INPUT_STREAM (header_in));
    g_autoptr(PhotosealAgeHeader) header = NULL;
    g_autoptr(PhotosealSealedKey) key = NULL;
    g_autoptr(PhotosealServerKeyIdentity) identity = NULL;
    g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GFileInputStream) in = NULL;
    g_autoptr(PhotosealOpener) opener = NULL;
    g_autoptr(GFile) parent = g_file_new_for_path (work_dir);
    g_autoptr(GFile) folder = NULL;
    g_autofree char *key_id = NULL;
    g_autofree char *origin = NULL;
    PhotosealManifest *manifest;

    header = photoseal_age_header_read (G_BUFFERED_INPUT_STREAM (buffered), NULL, &error);
    g_assert_no_error (error);
    g_assert_true (photoseal_server_key_stanza_parse (
                     g_ptr_array_index (photoseal_age_header_get_stanzas (header), 0),
                     &key_id, &origin, &error));
    g_assert_cmpstr (origin, ==, server.base_url);
    key = photoseal_keyserver_client_release (bob, key_id, NULL, NULL, &error);
    g_assert_no_error (error);
    g_ptr_array_add (identities, photoseal_server_key_identity_new (key->key_id, key->server_key));
    in = g_file_read (sealed, NULL, &error);
    opener = photoseal_opener_new (G_INPUT_STREAM (in), identities, NULL, &error);
    g_assert_no_error (error);
    folder = photoseal_opener_extract (opener, parent, "opened-by-bob", NULL, &error);
    g_assert_no_error (error);

    manifest = photoseal_opener_get_manifest (opener);
    g_assert_cmpuint (photoseal_manifest_get_n_items (manifest), ==, 2);
    g_assert_cmpstr (photoseal_manifest_get_item (manifest, 0)->name, ==, "sample-photo.jpg");
    g_assert_cmpstr (photoseal_manifest_get_item (manifest, 1)->name, ==, "gradient.jpg");
    g_assert_true (photoseal_manifest_get_item (manifest, 0)->metadata_removed);
    g_assert_cmpstr (photoseal_manifest_get_sender_email (manifest), ==, "alice@example.org");
    g_assert_cmpstr (photoseal_manifest_get_patient_name (manifest), ==, "Jane Example");
    g_assert_cmpstr (photoseal_manifest_get_patient_identifier (manifest), ==, "MRN-0042");
    g_assert_cmpstr (photoseal_manifest_get_patient_date_of_birth (manifest), ==, "1970-01-31");
    g_assert_cmpstr (photoseal_manifest_get_consent_method (manifest), ==, "written");
    g_assert_cmpstr (photoseal_manifest_get_note (manifest), ==, "Wound on day 3");

    /* The key expires at the end of the chosen day. */
    {
      g_autoptr(PhotosealKeyInfo) shown = NULL;
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *day = NULL;
      g_autofree char *want = g_strconcat (last_day, " 23:59", NULL);

      alice = signed_in_client ("alice@example.org");
      shown = photoseal_keyserver_client_get_key (alice, key_id, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (photoseal_key_info_get_expires (shown));
      local = g_date_time_to_local (photoseal_key_info_get_expires (shown));
      day = g_date_time_format (local, "%Y-%m-%d %H:%M");
      g_assert_cmpstr (day, ==, want);
    }
  }
}

/* Closing the window while sealing asks first; keeping on seals. */
void
test_close_while_sealing (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealComposePage *page = photoseal_window_get_compose_page (window);
  g_autofree char *gradient = write_gradient_jpeg ("closing.jpg");
  g_autoptr(GFile) file = g_file_new_for_path (gradient);

  gtk_widget_activate_action (GTK_WIDGET (page), "compose.new", NULL);
  g_assert_cmpint (photoseal_compose_page_get_state (page), ==, PHOTOSEAL_COMPOSE_STATE_FORM);
  photoseal_compose_page_add_files (page, &file, 1);
  WAIT_FOR (photoseal_compose_page_get_n_photos (page) == 1);
  type_into (GTK_WIDGET (page), "recipients_row", "bob@example.org");

  /* No main-loop turn between the two: the seal is surely under way. */
  gtk_widget_activate_action (GTK_WIDGET (page), "compose.seal", NULL);
  gtk_window_close (GTK_WINDOW (window));
  WAIT_FOR (find_alert_button ("_Keep Sealing") != NULL);
  save_screenshot (GTK_WIDGET (gtk_widget_get_root (find_alert_button ("_Keep Sealing"))),
                   "close-while-sealing");
  g_signal_emit_by_name (find_alert_button ("_Keep Sealing"), "clicked");

  WAIT_FOR (photoseal_compose_page_get_state (page) == PHOTOSEAL_COMPOSE_STATE_DONE);
  g_assert_true (main_window () == window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
}

/* A photo that vanishes before sealing: the seal fails with a message,
 * the form keeps everything, and the key made for it is revoked. */
void
test_failed_seal (void)
{
  g_autoptr(PhotosealKeyserverClient) alice = signed_in_client ("alice@example.org");
  PhotosealWindow *window = main_window ();
  PhotosealComposePage *page = photoseal_window_get_compose_page (window);
  g_autofree char *photo = write_gradient_jpeg ("vanishing.jpg");
  g_autoptr(GFile) file = g_file_new_for_path (photo);
  guint active = count_keys_with_status (alice, "active");
  guint revoked = count_keys_with_status (alice, "revoked");

  gtk_widget_activate_action (GTK_WIDGET (page), "compose.new", NULL);
  photoseal_compose_page_add_files (page, &file, 1);
  WAIT_FOR (photoseal_compose_page_get_n_photos (page) == 1);
  type_into (GTK_WIDGET (page), "recipients_row", "bob@example.org");
  g_assert_cmpint (g_unlink (photo), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (page), "compose.seal", NULL);
  g_assert_cmpint (photoseal_compose_page_get_state (page), ==, PHOTOSEAL_COMPOSE_STATE_PROGRESS);
  WAIT_FOR (photoseal_compose_page_get_state (page) == PHOTOSEAL_COMPOSE_STATE_FORM);
  g_assert_null (photoseal_compose_page_get_sealed_file (page));
  g_assert_cmpuint (photoseal_compose_page_get_n_photos (page), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (widget_finder_by_id (GTK_WIDGET (page), "recipients_row"))),
                   ==, "bob@example.org");
  save_screenshot (GTK_WIDGET (window), "seal-failed");

  WAIT_FOR (count_keys_with_status (alice, "revoked") == revoked + 1);
  g_assert_cmpuint (count_keys_with_status (alice, "active"), ==, active);
}

/* A refused file whose name is broken markup: the toast names it as it
 * is (before, Pango failed to parse it and GTK warned). */
void
test_markup_in_toast (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealComposePage *page = photoseal_window_get_compose_page (window);
  g_autofree char *path = g_build_filename (work_dir, "<i>unclosed & odd.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "not a photo\n", -1, &error);
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (page), "compose.new", NULL);
  g_assert_true (widget_finder_drop_files (GTK_WIDGET (page), &file, 1));
  WAIT_FOR (label_containing (GTK_WIDGET (window), "unclosed") != NULL);
  g_assert_nonnull (strstr (label_containing (GTK_WIDGET (window), "unclosed"),
                            "<i>unclosed & odd.txt"));
}

/* A HEIC photo, as an iPhone sends it: the compose page takes what the
 * library can seal (before, anything but image/… by MIME prefix). */
void
test_heic_accepted (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealComposePage *page = photoseal_window_get_compose_page (window);
  g_autofree char *sample = g_test_build_filename (G_TEST_DIST, "..", "data", "samples",
                                                   "sample-photo.jpg", NULL);
  g_autofree char *path = g_build_filename (work_dir, "IMG_0001.HEIC", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  int status = 0;
  guint before;

  g_spawn_sync (NULL, (char *[]) { "heif-enc", "-q", "40", "-o", path, sample, NULL }, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  gtk_widget_activate_action (GTK_WIDGET (page), "compose.new", NULL);
  before = photoseal_compose_page_get_n_photos (page);
  g_assert_true (widget_finder_drop_files (GTK_WIDGET (page), &file, 1));
  WAIT_FOR (photoseal_compose_page_get_n_photos (page) == before + 1);
}
