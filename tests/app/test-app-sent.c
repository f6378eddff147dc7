/* test-app-sent.c: the Sent page: telling files apart, managing them, refreshing
 *
 * Everything is done as a person does it, with xdotool clicks and typing:
 * the row's menu, the dialogs' buttons and fields, the Refresh button. The
 * server's answer is checked through the library, as another program sees
 * it, and recipients open (release) the key with their own accounts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "app-fixture.h"
#include "app-tests.h"
#include "photoseal-manage-key-dialog.h"
#include "photoseal-sent-row.h"

static GtkWidget *
sent_list (void)
{
  return widget_finder_by_id (GTK_WIDGET (main_window ()), "keys_list");
}

/* Switching views is setup, not the behaviour under test. */
static void
show_view (const char *name)
{
  GtkWidget *stack = widget_finder_by_id (GTK_WIDGET (main_window ()), "view_stack");

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), name);
}

/* Keeps a label as the app would after sealing, for a key made by the library. */
static void
remember (const char *key_id,
          const char *patient,
          const char *identifier,
          const char *file_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhotosealLabelStore) store = photoseal_label_store_open_default (NULL, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  PhotosealLabel label = { (char *) key_id, (char *) patient, (char *) identifier,
                           (char *) file_name, 1, now };

  g_assert_no_error (error);
  photoseal_label_store_add (store, &label);
  photoseal_label_store_save (store, &error);
  g_assert_no_error (error);
}

static char *
seal_labelled (PhotosealKeyserverClient *client,
               const char               *file_name,
               const char               *patient,
               char                    **access_code)
{
  g_autofree char *path = seal_with_library_full (client, server.base_url, file_name,
                                                  "bob@example.org", access_code);
  char *key_id = key_id_of (path);

  remember (key_id, patient, "MRN-T", file_name);
  return key_id;
}

/* The row whose title (the patient) contains @patient, once it shows. */
static GtkWidget *
find_row (const char *patient)
{
  for (GtkWidget *row = gtk_widget_get_first_child (sent_list ()); row;
       row = gtk_widget_get_next_sibling (row))
    if (PHOTOSEAL_IS_SENT_ROW (row)
        && strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), patient))
      return row;
  return NULL;
}

static gboolean
row_says (const char *patient,
          const char *text)
{
  GtkWidget *row = find_row (patient);

  return row && strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), text);
}

/* Opening a file changes its count of opens: refreshed now, the list
 * stays as it is while the test goes on. */
static void
refresh_after_opening (void)
{
  gint64 until;

  click_widget (widget_finder_by_id (GTK_WIDGET (main_window ()), "refresh_button"));
  until = g_get_monotonic_time () + G_USEC_PER_SEC;
  WAIT_FOR (g_get_monotonic_time () > until);
}

static guint
count_rows_titled (const char *patient)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (sent_list ()); row;
       row = gtk_widget_get_next_sibling (row))
    if (PHOTOSEAL_IS_SENT_ROW (row)
        && strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), patient))
      n++;
  return n;
}

static guint
count_keys (PhotosealKeyserverClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) keys = photoseal_keyserver_client_list_keys (client, NULL, &error);

  g_assert_no_error (error);
  return g_list_model_get_n_items (keys);
}

static PhotosealKeyInfo *
key_now (PhotosealKeyserverClient *client,
         const char               *key_id)
{
  g_autoptr(GError) error = NULL;
  PhotosealKeyInfo *key = photoseal_keyserver_client_get_key (client, key_id, NULL, &error);

  g_assert_no_error (error);
  return key;
}

static gboolean
key_is_revoked (PhotosealKeyserverClient *client,
                const char               *key_id)
{
  g_autoptr(PhotosealKeyInfo) key = key_now (client, key_id);

  return g_strcmp0 (photoseal_key_info_get_status (key), "revoked") == 0;
}

static gboolean
key_has_code (PhotosealKeyserverClient *client,
              const char               *key_id)
{
  g_autoptr(PhotosealKeyInfo) key = key_now (client, key_id);

  return photoseal_key_info_get_has_access_code (key);
}

/* Opens the row's menu with a click and returns @item in it, or %NULL
 * when the menu did not open: a refresh that found a change (the window
 * regaining focus at the click) may replace the row under the pointer. */
static GtkWidget *
open_menu (const char *patient,
           const char *item)
{
  GtkWidget *row = NULL;
  g_autoptr(GtkWidget) button = NULL;
  GtkWidget *popover;
  GtkWidget *entry = NULL;
  gboolean opened = FALSE;

  WAIT_FOR ((row = find_row (patient)) != NULL);
  button = g_object_ref (find_descendant (row, GTK_TYPE_MENU_BUTTON));
  click_widget (button);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  WAIT_AT_MOST (5, gtk_widget_get_mapped (popover)
                   && (entry = find_label_containing (popover, item)) != NULL,
                opened);
  return opened ? entry : NULL;
}

static void
choose_from_menu (const char *patient,
                  const char *item)
{
  GtkWidget *entry = NULL;

  for (guint tries = 0; entry == NULL && tries < 3; tries++)
    entry = open_menu (patient, item);
  g_assert_nonnull (entry);
  /* The popover may still be moving into place. */
  settle ();
  click_widget (entry);
}

static gboolean
alert_says (const char *needle)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (window) && label_containing (window, needle))
        return TRUE;
    }
  return FALSE;
}

/* Waits for the dialog to close after Save, or fails with what it says. */
static void
saved (GtkWidget *dialog)
{
  gboolean closed = FALSE;

  WAIT_AT_MOST (30, find_toplevel (PHOTOSEAL_TYPE_MANAGE_KEY_DIALOG) == NULL, closed);
  if (!closed)
    g_error ("The dialog stayed open: %s (typed: %s)",
             gtk_label_get_text (GTK_LABEL (widget_finder_by_id (dialog, "error_label"))),
             gtk_editable_get_text (GTK_EDITABLE (widget_finder_by_id (dialog, "add_row"))));
}

static GtkWidget *
manage_dialog (void)
{
  GtkWidget *dialog = NULL;

  WAIT_FOR ((dialog = find_toplevel (PHOTOSEAL_TYPE_MANAGE_KEY_DIALOG)) != NULL);
  settle ();
  return dialog;
}

static gboolean
released (PhotosealKeyserverClient *client,
          const char               *key_id,
          const char               *code)
{
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(GError) error = NULL;

  key = photoseal_keyserver_client_release (client, key_id, code, NULL, &error);
  return key != NULL;
}

static PhotosealKeyserverClient *
anonymous_client (void)
{
  g_autoptr(GError) error = NULL;
  PhotosealKeyserverClient *client = photoseal_keyserver_client_new (server.base_url, &error);

  g_assert_no_error (error);
  return client;
}

/* @window at 960x720 and at 360 px wide. */
static void
screenshots (GtkWidget  *window,
             const char *name)
{
  g_autofree char *narrow = g_strdup_printf ("%s-360", name);
  int width, height;

  get_content_size (window, &width, &height);
  resize_window (window, 960, 720);
  save_screenshot (window, name);
  save_screenshot_at_width (window, 360, narrow);
  resize_window (window, width, height);
}

/* Rows name the patient (from this computer's label store) or say it is
 * unknown; Revoke is in the row's menu and its question names the file. */
void
test_sent (void)
{
  g_autoptr(PhotosealKeyserverClient) alice = signed_in_client ("alice@example.org");
  g_autofree char *key_id = seal_labelled (alice, "revoke-me.psf", "Rhea Revoke", NULL);
  g_autofree char *unlabelled = seal_with_library (alice, server.base_url, "unlabelled.psf");
  g_autoptr(PhotosealKeyInfo) key = key_now (alice, key_id);
  g_autofree char *sealed = photoseal_date_format_time (photoseal_key_info_get_created (key));
  guint total = count_keys (alice);
  GtkWidget *jane = NULL;

  show_view ("sent");
  WAIT_FOR (count_children (sent_list ()) == total);
  /* /app/compose sealed Jane's photos in the app: the app kept her label. */
  WAIT_FOR ((jane = find_row ("Jane Example · MRN-0042")) != NULL);
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (jane)), ".psf"));
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (jane)),
                            "bob@example.org"));
  /* Files sealed by the library here were never labelled. */
  g_assert_nonnull (find_row ("Unknown patient"));
  click_widget (jane);
  WAIT_FOR (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (jane)));
  screenshots (GTK_WIDGET (main_window ()), "sent-expanded");

  choose_from_menu ("Rhea Revoke", "Revoke…");
  WAIT_FOR (find_alert_button ("_Revoke") != NULL);
  g_assert_true (alert_says ("Rhea Revoke · MRN-T"));
  g_assert_true (alert_says (sealed));
  g_assert_true (alert_says ("bob@example.org"));
  click_widget (find_alert_button ("_Revoke"));
  WAIT_FOR (key_is_revoked (alice, key_id));
  show_view ("compose");
}

static void
edit_recipients (PhotosealKeyserverClient *alice,
                 const char               *key_id)
{
  g_autoptr(PhotosealKeyserverClient) bob = signed_in_client ("bob@example.org");
  g_autoptr(PhotosealKeyserverClient) carol = signed_in_client ("carol@example.org");
  g_autoptr(PhotosealKeyInfo) key = NULL;
  GtkWidget *dialog;
  GtkWidget *error_label;

  g_assert_false (released (carol, key_id, NULL));
  choose_from_menu ("Mona Manage", "Add or Remove Recipients…");
  dialog = manage_dialog ();
  error_label = widget_finder_by_id (dialog, "error_label");
  screenshots (dialog, "manage-recipients");

  /* Hostile: not an address. The library refuses it; nothing changes. */
  type_text (dialog, "not an address");
  click_widget (widget_finder_by_id (dialog, "apply_button"));
  WAIT_FOR (gtk_widget_get_visible (error_label));
  key = key_now (alice, key_id);
  g_assert_cmpstrv (photoseal_key_info_get_recipients (key),
                    ((const char *[]) { "bob@example.org", NULL }));

  click_widget (widget_finder_by_id (dialog, "add_row"));
  press_keys (dialog, "ctrl+a");
  type_text (dialog, "carol@example.org");
  click_widget (find_descendant (widget_finder_by_id (dialog, "recipients_list"),
                                 GTK_TYPE_BUTTON));
  click_widget (widget_finder_by_id (dialog, "apply_button"));
  saved (dialog);
  g_clear_object (&key);
  key = key_now (alice, key_id);
  g_assert_cmpstrv (photoseal_key_info_get_recipients (key),
                    ((const char *[]) { "carol@example.org", NULL }));
  g_assert_true (released (carol, key_id, NULL));
  g_assert_false (released (bob, key_id, NULL));
  WAIT_FOR (row_says ("Mona Manage", "For carol@example.org and anyone"));
  refresh_after_opening ();
  WAIT_FOR (row_says ("Mona Manage", "opened 1 time by recipients"));
}

static char *
day_from_now (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static void
shorten_expiry (PhotosealKeyserverClient *alice,
                const char               *key_id)
{
  g_autofree char *yesterday = day_from_now (-1);
  g_autofree char *tomorrow = day_from_now (1);
  g_autoptr(PhotosealKeyInfo) key = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *wanted = g_strdup_printf ("%s 23:59", tomorrow);
  g_autoptr(GDateTime) local = NULL;
  GtkWidget *dialog;

  choose_from_menu ("Mona Manage", "Change Expiry…");
  dialog = manage_dialog ();
  /* It never expired: the switch says so, and goes off with a click. */
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (widget_finder_by_id (dialog,
                                                                         "never_switch"))));
  click_widget (widget_finder_by_id (dialog, "never_switch"));
  click_widget (widget_finder_by_id (dialog, "expiry_row"));
  screenshots (dialog, "manage-expiry");

  /* Hostile: a day that has passed. */
  type_text (dialog, yesterday);
  click_widget (widget_finder_by_id (dialog, "apply_button"));
  WAIT_FOR (gtk_widget_get_visible (widget_finder_by_id (dialog, "error_label")));
  key = key_now (alice, key_id);
  g_assert_null (photoseal_key_info_get_expires (key));

  click_widget (widget_finder_by_id (dialog, "expiry_row"));
  press_keys (dialog, "ctrl+a");
  type_text (dialog, tomorrow);
  click_widget (widget_finder_by_id (dialog, "apply_button"));
  saved (dialog);
  g_clear_object (&key);
  key = key_now (alice, key_id);
  g_assert_nonnull (photoseal_key_info_get_expires (key));
  local = g_date_time_to_local (photoseal_key_info_get_expires (key));
  expires = g_date_time_format (local, "%Y-%m-%d %H:%M");
  g_assert_cmpstr (expires, ==, wanted);
  WAIT_FOR (row_says ("Mona Manage", "Active until"));
}

static char *
issue_new_code (const char *key_id)
{
  GtkWidget *dialog;
  GtkWidget *code_label;
  char *code;

  choose_from_menu ("Mona Manage", "New Access Code…");
  dialog = manage_dialog ();
  screenshots (dialog, "manage-new-code");
  click_widget (widget_finder_by_id (dialog, "apply_button"));
  code_label = widget_finder_by_id (dialog, "code_label");
  WAIT_FOR (*gtk_label_get_text (GTK_LABEL (code_label)) != '\0');
  g_assert_true (gtk_widget_has_css_class (code_label, "monospace"));
  screenshots (dialog, "manage-new-code-shown");
  code = g_strdup (gtk_label_get_text (GTK_LABEL (code_label)));

  /* Done before copying the code asks first; back to the code, Copy,
   * and Done closes. */
  click_widget (widget_finder_by_id (dialog, "cancel_button"));
  WAIT_FOR (find_alert_button ("_Back to the Code") != NULL);
  save_screenshot (GTK_WIDGET (gtk_widget_get_native (find_alert_button ("_Back to the Code"))),
                   "manage-new-code-leave");
  click_widget (find_alert_button ("_Back to the Code"));
  WAIT_FOR (find_alert_button ("_Back to the Code") == NULL);
  g_assert_true (find_toplevel (PHOTOSEAL_TYPE_MANAGE_KEY_DIALOG) == dialog);
  click_widget (widget_finder_by_id (dialog, "copy_button"));
  click_widget (widget_finder_by_id (dialog, "cancel_button"));
  WAIT_FOR (find_toplevel (PHOTOSEAL_TYPE_MANAGE_KEY_DIALOG) == NULL);
  g_assert_null (find_alert_button ("_Back to the Code"));
  return code;
}

/* Recipients, expiry and the access code change after sending, through
 * the row's menu; the server takes (and audits) each change. */
void
test_sent_manage (void)
{
  g_autoptr(PhotosealKeyserverClient) alice = signed_in_client ("alice@example.org");
  g_autoptr(PhotosealKeyserverClient) anyone = anonymous_client ();
  g_autofree char *old_code = NULL;
  g_autofree char *key_id = seal_labelled (alice, "manage-me.psf", "Mona Manage", &old_code);
  g_autofree char *new_code = NULL;

  show_view ("sent");
  /* Made behind the app's back: the Refresh button shows it. */
  click_widget (widget_finder_by_id (GTK_WIDGET (main_window ()), "refresh_button"));
  WAIT_FOR (find_row ("Mona Manage") != NULL);

  edit_recipients (alice, key_id);
  shorten_expiry (alice, key_id);

  new_code = issue_new_code (key_id);
  g_assert_cmpstr (new_code, !=, old_code);
  g_assert_false (released (anyone, key_id, old_code));
  g_assert_true (released (anyone, key_id, new_code));
  refresh_after_opening ();

  choose_from_menu ("Mona Manage", "Remove Access Code…");
  WAIT_FOR (find_alert_button ("_Remove Code") != NULL);
  g_assert_true (alert_says ("Mona Manage · MRN-T"));
  click_widget (find_alert_button ("_Remove Code"));
  WAIT_FOR (!key_has_code (alice, key_id));
  g_assert_false (released (anyone, key_id, new_code));
  show_view ("compose");
}

/* The window regaining focus refreshes the list. */
void
test_sent_refresh (void)
{
  g_autoptr(PhotosealKeyserverClient) alice = signed_in_client ("alice@example.org");
  GtkWidget *window = GTK_WIDGET (main_window ());
  GtkWidget *other = gtk_window_new ();
  g_autofree char *key_id = NULL;

  show_view ("sent");
  gtk_window_set_default_size (GTK_WINDOW (other), 200, 200);
  gtk_window_set_child (GTK_WINDOW (other), gtk_entry_new ());
  gtk_window_present (GTK_WINDOW (other));
  WAIT_FOR (gtk_widget_get_mapped (other));
  click_widget (gtk_window_get_child (GTK_WINDOW (other)));
  WAIT_FOR (gtk_window_is_active (GTK_WINDOW (other))
            && !gtk_window_is_active (GTK_WINDOW (window)));
  key_id = seal_labelled (alice, "focus-me.psf", "Flora Focus", NULL);
  settle ();
  g_assert_null (find_row ("Flora Focus"));
  click_widget (widget_finder_by_id (window, "status_label"));
  WAIT_FOR (find_row ("Flora Focus") != NULL);
  gtk_window_destroy (GTK_WINDOW (other));
  show_view ("compose");
}

static void
refresh_until_unlabelled (PhotosealKeyserverClient *alice)
{
  guint total = count_keys (alice);

  click_widget (widget_finder_by_id (GTK_WIDGET (main_window ()), "refresh_button"));
  WAIT_FOR (find_row ("Jane Example") == NULL && count_children (sent_list ()) == total);
  g_assert_cmpuint (count_rows_titled ("Unknown patient"), ==, total);
}

/* Hostile: a label store that is damaged, or sealed under another key,
 * leaves the rows without patients, not the page without rows. */
void
test_sent_damaged_labels (void)
{
  g_autoptr(PhotosealKeyserverClient) alice = signed_in_client ("alice@example.org");
  g_autoptr(GFile) file = photoseal_label_store_default_file ();
  g_autoptr(GBytes) kept = g_file_load_bytes (file, NULL, NULL, NULL);
  g_autoptr(PhotosealLabelStore) stranger = NULL;
  g_autoptr(GError) error = NULL;
  guint8 other_key[PHOTOSEAL_LABEL_KEY_SIZE] = { 7 };
  gsize len = 0;
  g_autofree char *flipped = g_memdup2 (g_bytes_get_data (kept, &len), g_bytes_get_size (kept));
  PhotosealLabel label = { "no-such-key", "Someone Else", NULL, "x.psf", 1, NULL };

  g_assert_nonnull (kept);
  show_view ("sent");
  WAIT_FOR (find_row ("Jane Example") != NULL);

  flipped[len / 2] ^= 0x01;
  g_file_set_contents (g_file_peek_path (file), flipped, len, &error);
  g_assert_no_error (error);
  refresh_until_unlabelled (alice);

  stranger = photoseal_label_store_new (file, other_key);
  photoseal_label_store_add (stranger, &label);
  photoseal_label_store_save (stranger, &error);
  g_assert_no_error (error);
  click_widget (widget_finder_by_id (GTK_WIDGET (main_window ()), "refresh_button"));
  settle ();
  refresh_until_unlabelled (alice);
  g_assert_null (find_row ("Someone Else"));

  g_file_set_contents (g_file_peek_path (file), g_bytes_get_data (kept, NULL), len, &error);
  g_assert_no_error (error);
  click_widget (widget_finder_by_id (GTK_WIDGET (main_window ()), "refresh_button"));
  WAIT_FOR (find_row ("Jane Example") != NULL);
  show_view ("compose");
}

/* A key server that stops answering: Refresh keeps the list as it was and
 * says, in the status line, that it could not refresh and since when the
 * list is as shown. Then another account signs in: the list is cleared. */
void
test_sent_refresh_failed (void)
{
  GtkWidget *window = GTK_WIDGET (main_window ());
  KeyserverFixture gone = { 0 };
  g_autoptr(PhotosealKeyserverClient) gina = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key_id = NULL;
  GtkLabel *status;

  /* Set-up: signed in to a key server of its own, one file sealed there. */
  keyserver_fixture_start (&gone, "open");
  reply = keyserver_request (&gone, "POST", "/v1/accounts", NULL,
                             "{\"email\":\"gina@example.org\",\"password\":\"" PASSWORD "\","
                             "\"name\":\"Gina Example\"}");
  g_assert_cmpuint (reply->status, ==, 201);
  gina = photoseal_keyserver_client_new (gone.base_url, &error);
  g_assert_no_error (error);
  photoseal_keyserver_client_sign_in (gina, "gina@example.org", PASSWORD, "test", NULL, &error);
  g_assert_no_error (error);
  path = seal_with_library_full (gina, gone.base_url, "gone.psf", "bob@example.org", NULL);
  key_id = key_id_of (path);
  remember (key_id, "Gus Gone", "MRN-G", "gone.psf");
  sign_in_app (gone.base_url, "gina@example.org");
  show_view ("sent");
  WAIT_FOR (find_row ("Gus Gone") != NULL);
  status = GTK_LABEL (widget_finder_by_id (window, "status_label"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));

  keyserver_fixture_stop (&gone);
  press_keys (window, "F5");
  WAIT_FOR (strstr (gtk_label_get_text (status), "Could not refresh") != NULL);
  g_assert_nonnull (strstr (gtk_label_get_text (status), "The list is as it was at"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_nonnull (find_row ("Gus Gone"));
  save_screenshot (window, "sent-refresh-failed");

  /* Someone else signs in at this computer, the Sent page still in view:
   * none of Gina's files stay on it. */
  sign_in_app (server.base_url, "dave@example.org");
  WAIT_FOR (find_row ("Gus Gone") == NULL
            && g_str_has_prefix (gtk_label_get_text (status), "Updated"));
  show_view ("compose");
}

/* A narrow window moves the view switcher from the header to a bar at the
 * bottom (an AdwBreakpoint from libadwaita 1.4), and back when widened. */
void
test_narrow (void)
{
  PhotosealWindow *window = main_window ();
  AdwViewSwitcherBar *bar = ADW_VIEW_SWITCHER_BAR (find_descendant (GTK_WIDGET (window),
                                                                    ADW_TYPE_VIEW_SWITCHER_BAR));
  int width = gtk_widget_get_width (GTK_WIDGET (window));
  int height = gtk_widget_get_height (GTK_WIDGET (window));

  if (!ADW_CHECK_VERSION (1, 4, 0))
    {
      /* libadwaita 1.2's own AdwViewSwitcherBar allocates its box a height
       * of -1 when revealed on GTK 4.8, a warning that fatal-warnings turns
       * into a crash; the app's layout is not involved. */
      g_test_skip ("AdwViewSwitcherBar warns when revealed on libadwaita 1.2");
      return;
    }
  settle ();
  g_assert_false (adw_view_switcher_bar_get_reveal (bar));
  /* The narrowest the window goes, 360 px, well below the breakpoint. */
  resize_window (GTK_WIDGET (window), 360, height);
  WAIT_FOR (adw_view_switcher_bar_get_reveal (bar));
  save_screenshot (GTK_WIDGET (window), "narrow");
  resize_window (GTK_WIDGET (window), width, height);
  WAIT_FOR (!adw_view_switcher_bar_get_reveal (bar));
}
