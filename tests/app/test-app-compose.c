/* test-app-compose.c: the compose page: photos in through the real drop target, sealing, and its
 * failures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "app-fixture.h"
#include "app-tests.h"

static GtkWidget *
by_id (PhotosealComposePage *page,
       const char           *id)
{
  GtkWidget *widget = widget_finder_by_id (GTK_WIDGET (page), id);

  g_assert_nonnull (widget);
  return widget;
}

static gboolean
seal_enabled (PhotosealComposePage *page)
{
  return gtk_widget_is_sensitive (by_id (page, "seal_button"));
}

static const char *
seal_hint (PhotosealComposePage *page)
{
  GtkWidget *hint = by_id (page, "seal_hint");

  return gtk_widget_get_visible (hint) ? gtk_label_get_text (GTK_LABEL (hint)) : NULL;
}

/* The day label @day of the month a calendar shows (not a neighbour's). */
static GtkWidget *
calendar_day (GtkWidget  *widget,
              const char *day)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), day) == 0
      && gtk_widget_has_css_class (widget, "day-number")
      && !gtk_widget_has_css_class (widget, "other-month"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = calendar_day (child, day);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The fields a person fills on the fresh form: consent first (Seal stays
 * insensitive and the hint says why), then the patient, with the date of
 * birth typed in two orders and picked from the calendar. */
static void
fill_consent_and_patient (PhotosealWindow      *window,
                          PhotosealComposePage *page)
{
  GtkWidget *dob = by_id (page, "patient_dob_row");
  GtkWidget *calendar;

  g_assert_false (seal_enabled (page));
  g_assert_nonnull (seal_hint (page));
  g_assert_nonnull (strstr (seal_hint (page), "consent"));
  g_assert_false (gtk_widget_is_sensitive (by_id (page, "care_check")));

  /* Consent chosen: the patient is still missing, and the hint says so. */
  click_widget (by_id (page, "verbal_check"));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (by_id (page, "verbal_check"))));
  g_assert_false (seal_enabled (page));
  g_assert_nonnull (strstr (seal_hint (page), "patient's name"));
  click_widget (by_id (page, "care_check"));
  click_widget (by_id (page, "teaching_check"));

  retype (GTK_WIDGET (page), "patient_name_row", "Jane Example");
  g_assert_nonnull (strstr (seal_hint (page), "identifier"));
  retype (GTK_WIDGET (page), "patient_id_row", "MRN-0042");
  g_assert_null (seal_hint (page));
  g_assert_true (seal_enabled (page));

  /* The test runs in the C locale: month first. Day first is refused,
   * visibly, and Seal waits. */
  type_text (dob, "31/01/1970");
  g_assert_true (gtk_widget_has_css_class (dob, "error"));
  g_assert_nonnull (strstr (seal_hint (page), "01/31/1970"));
  g_assert_false (seal_enabled (page));
  retype (GTK_WIDGET (page), "patient_dob_row", "01/31/1970");
  g_assert_cmpstr (photoseal_date_row_get_date (PHOTOSEAL_DATE_ROW (dob)), ==, "1970-01-31");
  g_assert_true (seal_enabled (page));
  retype (GTK_WIDGET (page), "patient_dob_row", "1970-01-30");
  g_assert_cmpstr (photoseal_date_row_get_date (PHOTOSEAL_DATE_ROW (dob)), ==, "1970-01-30");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dob)), ==, "1970-01-30");
  g_assert_false (gtk_widget_has_css_class (dob, "error"));

  /* The calendar opens on the typed month; a click on the 15th picks it. */
  click_widget (find_descendant (dob, GTK_TYPE_MENU_BUTTON));
  /* The popover is the menu button's child, inside the row. */
  calendar = find_descendant (dob, GTK_TYPE_CALENDAR);
  g_assert_nonnull (calendar);
  WAIT_FOR (gtk_widget_get_mapped (calendar));
  save_screenshot (GTK_WIDGET (window), "compose-date-of-birth");
  click_widget (calendar_day (calendar, "15"));
  g_assert_cmpstr (photoseal_date_row_get_date (PHOTOSEAL_DATE_ROW (dob)), ==, "1970-01-15");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dob)), ==, "15 Jan 1970");
}

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
  save_screenshot (GTK_WIDGET (window), "compose-empty");
  save_screenshot_at_width (GTK_WIDGET (window), 360, "compose-empty-360");

  g_assert_true (widget_finder_drop_files (GTK_WIDGET (page), dropped, G_N_ELEMENTS (dropped)));
  /* The text file is refused (with a toast); the photos arrive. */
  WAIT_FOR (photoseal_compose_page_get_n_photos (page) == 2);
  settle ();
  g_assert_cmpuint (photoseal_compose_page_get_n_photos (page), ==, 2);

  /* The library's rule, as the key server's: a host without a dot is a
   * host (the app used to refuse it). */
  recipients = widget_finder_by_id (GTK_WIDGET (page), "recipients_row");
  type_recipients (page, "bob@localhost");
  g_assert_false (gtk_widget_has_css_class (recipients, "error"));
  type_recipients (page, "not an address");
  g_assert_true (gtk_widget_has_css_class (recipients, "error"));
  type_recipients (page, "bob@example.org");
  fill_consent_and_patient (window, page);
  retype (GTK_WIDGET (page), "note_row", "Wound on day 3");
  /* The last choice, "Until a Date", shows the date row. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (by_id (page, "expiry_row")), 4);
  g_assert_true (gtk_widget_get_visible (by_id (page, "expiry_date_row")));
  retype (GTK_WIDGET (page), "expiry_date_row", last_day);
  g_assert_true (seal_enabled (page));
  save_screenshot (GTK_WIDGET (window), "compose");
  save_screenshot_at_width (GTK_WIDGET (window), 360, "compose-360");

  click_widget (by_id (page, "seal_button"));
  WAIT_FOR (photoseal_compose_page_get_state (page) == PHOTOSEAL_COMPOSE_STATE_DONE);
  save_screenshot (GTK_WIDGET (window), "sealed");
  /* The expiry as photoseal-date writes it, never %x; a small file is
   * suggested for email. */
  {
    g_autofree char *until = g_date_time_format (in_ten_days, "until %-d %b %Y, 23:59.");

    AdwStatusPage *done = ADW_STATUS_PAGE (by_id (page, "done_status"));

    g_assert_nonnull (strstr (adw_status_page_get_description (done), until));
  }
  g_assert_true (gtk_widget_has_css_class (by_id (page, "email_button"), "suggested-action"));
  g_assert_false (gtk_widget_get_visible (by_id (page, "large_file_label")));

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
    g_assert_cmpstr (photoseal_manifest_get_patient_date_of_birth (manifest), ==, "1970-01-15");
    g_assert_cmpstr (photoseal_manifest_get_consent_method (manifest), ==, "verbal");
    g_assert_true (photoseal_manifest_get_consent_obtained (manifest));
    g_assert_cmpstrv (photoseal_manifest_get_consent_purposes (manifest),
                      ((const char *[]) { "care", "teaching", NULL }));
    g_assert_false (photoseal_manifest_get_no_patient_details (manifest));
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
  type_recipients (page, "bob@example.org");
  set_up_consent (GTK_WIDGET (page));

  /* Set-up, not the behaviour under test: no main-loop turn between the
   * two, so the seal is surely under way when the window is closed. */
  gtk_widget_activate_action (GTK_WIDGET (page), "compose.seal", NULL);
  gtk_window_close (GTK_WINDOW (window));
  WAIT_FOR (find_alert_button ("_Keep Sealing") != NULL);
  save_screenshot (GTK_WIDGET (gtk_widget_get_root (find_alert_button ("_Keep Sealing"))),
                   "close-while-sealing");
  click_widget (find_alert_button ("_Keep Sealing"));

  WAIT_FOR (photoseal_compose_page_get_state (page) == PHOTOSEAL_COMPOSE_STATE_DONE);
  g_assert_true (main_window () == window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
}

static void
note_progress_cb (PhotosealComposePage *page,
                  GParamSpec           *pspec,
                  gboolean             *started)
{
  if (photoseal_compose_page_get_state (page) == PHOTOSEAL_COMPOSE_STATE_PROGRESS)
    *started = TRUE;
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
  gboolean sealing_started = FALSE;
  gboolean held;

  gtk_widget_activate_action (GTK_WIDGET (page), "compose.new", NULL);
  photoseal_compose_page_add_files (page, &file, 1);
  WAIT_FOR (photoseal_compose_page_get_n_photos (page) == 1);
  type_recipients (page, "bob@example.org");
  set_up_consent (GTK_WIDGET (page));
  g_assert_cmpint (g_unlink (photo), ==, 0);

  /* Ctrl+Return seals; it fails soon, so the start is seen in passing. */
  g_signal_connect (page, "notify::state", G_CALLBACK (note_progress_cb), &sealing_started);
  press_keys (GTK_WIDGET (window), "ctrl+Return");
  WAIT_AT_MOST (10, sealing_started
                    && photoseal_compose_page_get_state (page) == PHOTOSEAL_COMPOSE_STATE_FORM,
                held);
  if (!held)
    save_screenshot (GTK_WIDGET (window), "seal-failed-not-started");
  g_assert_true (held);
  g_signal_handlers_disconnect_by_func (page, note_progress_cb, &sealing_started);
  g_assert_null (photoseal_compose_page_get_sealed_file (page));
  g_assert_cmpuint (photoseal_compose_page_get_n_photos (page), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (by_id (page, "recipients_row"))), ==,
                   "bob@example.org");
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

/* The manifest of @path as bob reads it with libphotoseal alone. */
static PhotosealManifest *
manifest_for_bob (const char *path)
{
  g_autoptr(PhotosealKeyserverClient) bob = signed_in_client ("bob@example.org");
  g_autofree char *key_id = key_id_of (path);
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(PhotosealOpener) opener = NULL;
  g_autoptr(GFile) parent = g_file_new_for_path (work_dir);
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_path_get_basename (path);

  key = photoseal_keyserver_client_release (bob, key_id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_add (identities, photoseal_server_key_identity_new (key->key_id, key->server_key));
  in = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  opener = photoseal_opener_new (G_INPUT_STREAM (in), identities, NULL, &error);
  g_assert_no_error (error);
  folder = photoseal_opener_extract (opener, parent, name, NULL, &error);
  g_assert_no_error (error);
  return g_object_ref (photoseal_opener_get_manifest (opener));
}

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
}

/* The sealed page with an access code: for bob, dora (no account; this
 * key server mails nobody) and anyone with the code, consent not needed.
 * No stale toast from the form; the summary names everyone, and says
 * dora was not reached and needs the code; leaving before copying the code asks (Seal More Photos
 * and Ctrl+W); Show in Folder says when nothing could show it; Seal More
 * Photos scrolls back to the top. */
void
test_sealed_access_code (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealComposePage *page = photoseal_window_get_compose_page (window);
  g_autofree char *photo = write_gradient_jpeg ("coded.jpg");
  g_autofree char *text_path = g_build_filename (work_dir, "stale-toast.txt", NULL);
  g_autoptr(GFile) photo_file = g_file_new_for_path (photo);
  g_autoptr(GFile) text_file = g_file_new_for_path (text_path);
  GtkAdjustment *scroll = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (by_id (page, "form_scroller")));
  g_autoptr(PhotosealManifest) manifest = NULL;
  g_autofree char *path = NULL;
  g_autofree char *copied = NULL;
  const char *description;
  const char *code;
  gboolean held;

  g_assert_true (g_file_set_contents (text_path, "not a photo\n", -1, NULL));
  gtk_widget_activate_action (GTK_WIDGET (page), "compose.new", NULL);
  g_assert_cmpint (photoseal_compose_page_get_state (page), ==, PHOTOSEAL_COMPOSE_STATE_FORM);
  g_assert_true (widget_finder_drop_files (GTK_WIDGET (page), &photo_file, 1));
  WAIT_FOR (photoseal_compose_page_get_n_photos (page) == 1);
  type_recipients (page, "bob@example.org, dora@example.org");
  WAIT_FOR (label_containing (GTK_WIDGET (page), "No account: use an access code") != NULL);
  click_widget (by_id (page, "access_code_switch"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (by_id (page, "access_code_switch"))));

  /* "Not needed" ticks "No patient details" and holds it. */
  click_widget (by_id (page, "not_needed_check"));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (by_id (page, "no_patient_check"))));
  g_assert_false (gtk_widget_is_sensitive (by_id (page, "no_patient_check")));
  g_assert_false (gtk_widget_is_sensitive (by_id (page, "patient_name_row")));
  g_assert_null (seal_hint (page));
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), >, 0);

  /* A refused file's toast, just before sealing: it sits over the Seal
   * button, so the shortcut seals; it goes with the form. */
  g_assert_true (widget_finder_drop_files (GTK_WIDGET (page), &text_file, 1));
  WAIT_FOR (label_containing (GTK_WIDGET (window), "stale-toast.txt") != NULL);
  press_keys (GTK_WIDGET (window), "ctrl+Return");
  WAIT_FOR (find_alert_button ("_Seal Anyway") != NULL);
  click_widget (find_alert_button ("_Seal Anyway"));
  WAIT_FOR (photoseal_compose_page_get_state (page) == PHOTOSEAL_COMPOSE_STATE_DONE);
  settle ();
  g_assert_null (label_containing (GTK_WIDGET (window), "stale-toast.txt"));
  description = adw_status_page_get_description (ADW_STATUS_PAGE (by_id (page, "done_status")));
  g_assert_nonnull (strstr (description,
                            "bob@example.org, dora@example.org, and anyone with the access code"));
  /* Bob has an account: only dora is named as not reached, in plain text. */
  g_assert_true (gtk_widget_get_visible (by_id (page, "reach_label")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (by_id (page, "reach_label"))), ==,
                   "Not reached: dora@example.org. Give them the access code.");
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (by_id (page, "reach_label"))));
  code = gtk_label_get_text (GTK_LABEL (by_id (page, "access_code_label")));
  g_assert_true (g_regex_match_simple ("^[2-9A-Z]{5} – [2-9A-Z]{5}$", code, 0, 0));
  g_assert_true (gtk_widget_has_css_class (by_id (page, "access_code_label"), "access-code"));
  save_screenshot (GTK_WIDGET (window), "sealed-access-code");
  save_screenshot_at_width (GTK_WIDGET (window), 360, "sealed-access-code-360");

  path = g_file_get_path (photoseal_compose_page_get_sealed_file (page));
  manifest = manifest_for_bob (path);
  g_assert_cmpstr (photoseal_manifest_get_consent_method (manifest), ==, "not_needed");
  g_assert_false (photoseal_manifest_get_consent_obtained (manifest));
  g_assert_cmpstrv (photoseal_manifest_get_consent_purposes (manifest),
                    ((const char *[]) { NULL }));
  g_assert_true (photoseal_manifest_get_no_patient_details (manifest));
  g_assert_false (photoseal_manifest_has_patient (manifest));

  /* No portal and no file manager here: the page says so. */
  click_widget (find_button (GTK_WIDGET (page), "Show in _Folder"));
  WAIT_AT_MOST (10, label_containing (GTK_WIDGET (window), "No file manager") != NULL, held);
  g_assert_true (held);
  /* The toast sits over the buttons at the bottom until it times out (on
   * libadwaita 1.7 a click there lands on it), as a person would wait. */
  WAIT_FOR (label_containing (GTK_WIDGET (window), "No file manager") == NULL);

  /* Leaving before the code is copied asks; going back keeps the code. */
  click_widget (find_button (GTK_WIDGET (page), "Seal _More Photos"));
  WAIT_FOR (find_alert_button ("_Back to the Code") != NULL);
  save_screenshot (GTK_WIDGET (gtk_widget_get_root (find_alert_button ("_Back to the Code"))),
                   "leave-access-code");
  click_widget (find_alert_button ("_Back to the Code"));
  WAIT_FOR (find_alert_button ("_Back to the Code") == NULL);
  g_assert_cmpint (photoseal_compose_page_get_state (page), ==, PHOTOSEAL_COMPOSE_STATE_DONE);
  press_keys (GTK_WIDGET (window), "ctrl+w");
  WAIT_FOR (find_alert_button ("_Back to the Code") != NULL);
  click_widget (find_alert_button ("_Back to the Code"));
  WAIT_FOR (find_alert_button ("_Back to the Code") == NULL);
  g_assert_true (main_window () == window);

  /* Copied: the clipboard has the code as the server gave it. */
  click_widget (by_id (page, "copy_code_button"));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                 clipboard_read_cb, &copied);
  WAIT_FOR (copied != NULL);
  g_assert_true (g_regex_match_simple ("^[2-9A-Z]{5}-[2-9A-Z]{5}$", copied, 0, 0));
  g_assert_false (photoseal_compose_page_get_code_pending (page));

  /* Now Seal More Photos leaves at once, to the top of an empty form
   * (once the "copied" toast, over the bottom buttons on libadwaita 1.7,
   * has gone). */
  WAIT_FOR (label_containing (GTK_WIDGET (window), "Access code copied") == NULL);
  click_widget (find_button (GTK_WIDGET (page), "Seal _More Photos"));
  g_assert_cmpint (photoseal_compose_page_get_state (page), ==, PHOTOSEAL_COMPOSE_STATE_FORM);
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), ==, 0);
  g_assert_nonnull (strstr (seal_hint (page), "consent"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (by_id (page, "access_code_label"))), ==, "");
}

/* A PNG of noise, which does not compress: @megapixels × 3 bytes. */
static char *
write_noise_png (const char *name,
                 int         side)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, side, side);
  g_autofree char *path = g_build_filename (work_dir, name, NULL);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < side; y++)
    for (int x = 0; x < side * 3; x++)
      pixels[y * stride + x] = g_random_int () & 0xff;
  gdk_pixbuf_save (pixbuf, path, "png", &error, "compression", "0", NULL);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* Above 20 MB, email is not the suggested way, and the page says why. */
void
test_sealed_large (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealComposePage *page = photoseal_window_get_compose_page (window);
  g_autofree char *photo = write_noise_png ("large.png", 2700);
  g_autoptr(GFile) file = g_file_new_for_path (photo);

  gtk_widget_activate_action (GTK_WIDGET (page), "compose.new", NULL);
  g_assert_true (widget_finder_drop_files (GTK_WIDGET (page), &file, 1));
  WAIT_FOR (photoseal_compose_page_get_n_photos (page) == 1);
  type_recipients (page, "bob@example.org");
  set_up_consent (GTK_WIDGET (page));
  click_widget (by_id (page, "seal_button"));
  WAIT_FOR (photoseal_compose_page_get_state (page) == PHOTOSEAL_COMPOSE_STATE_DONE);
  g_assert_true (gtk_widget_get_visible (by_id (page, "large_file_label")));
  g_assert_false (gtk_widget_has_css_class (by_id (page, "email_button"), "suggested-action"));
  save_screenshot (GTK_WIDGET (window), "sealed-large");
  click_widget (find_button (GTK_WIDGET (page), "Seal _More Photos"));
  g_assert_cmpint (photoseal_compose_page_get_state (page), ==, PHOTOSEAL_COMPOSE_STATE_FORM);
}
