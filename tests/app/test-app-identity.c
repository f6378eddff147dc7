/* test-app-identity.c: creating an account with a mailed code, signing up
 * with a code from an invitation, the account's devices and changing the
 * password, against a second key server in verified registration that
 * mails through a real SMTP server (aiosmtpd)
 *
 * Driven with real clicks and real typing (xdotool).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "app-fixture.h"
#include "app-tests.h"
#include "smtp-fixture.h"

static KeyserverFixture verified;
static Relay relay;
/* The main window's size before these tests, to give it back. */
static int saved_width;
static int saved_height;

/* The verified server, started by the first test that needs it. */
static const char *
verified_url (void)
{
  if (verified.base_url == NULL)
    keyserver_fixture_start_verified (&verified, &relay);
  return verified.base_url;
}

void
identity_server_stop (void)
{
  if (verified.base_url != NULL)
    keyserver_fixture_stop (&verified);
  relay_stop (&relay);
}

static GtkWidget *
welcome_page (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealUser *user = photoseal_application_get_user (app);

  /* Set-up: the behaviour under test starts on the welcome page, in a
   * window tall enough to show its buttons without scrolling. */
  if (saved_width == 0)
    gtk_window_get_default_size (GTK_WINDOW (window), &saved_width, &saved_height);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 1000);
  photoseal_user_sign_out (user);
  WAIT_FOR (photoseal_window_get_page (window) == PHOTOSEAL_WINDOW_PAGE_WELCOME);
  WAIT_FOR (gtk_widget_get_height (GTK_WIDGET (window)) > 900);
  settle ();
  return widget_finder_by_id (GTK_WIDGET (window), "sign_in_page");
}

/* Screenshots of @window at 960×720 and at the narrowest, 360 px. */
static void
screenshots (GtkWidget  *window,
             const char *name)
{
  g_autofree char *wide = g_strconcat (name, "-960", NULL);
  g_autofree char *narrow = g_strconcat (name, "-360", NULL);
  int width, height;

  get_content_size (window, &width, &height);
  resize_window (window, 960, 720);
  save_screenshot (window, wide);
  save_screenshot_at_width (window, 360, narrow);
  resize_window (window, width, height);
}

static gboolean
error_shown (GtkWidget  *page,
             const char *words)
{
  GtkWidget *label = widget_finder_by_id (page, "error_label");

  return gtk_widget_get_visible (label)
         && strstr (gtk_label_get_text (GTK_LABEL (label)), words) != NULL;
}

/* Create Account: email, then the mailed code in the field that has the
 * focus, name and password; a wrong code is refused first. */
void
test_create_account (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealUser *user = photoseal_application_get_user (app);
  GtkWidget *page = welcome_page ();
  const char *url = verified_url ();
  g_autofree char *code = NULL;
  gboolean held;

  g_assert_true (gtk_widget_get_visible (find_button (page, "_Open a Sealed File…")));
  screenshots (GTK_WIDGET (window), "welcome");
  click_widget (find_button (page, "_Create Account"));
  WAIT_FOR (!gtk_widget_get_visible (widget_finder_by_id (page, "password_row")));
  retype (page, "server_row", url);
  retype (page, "email_row", "erin@clinic.example");
  press_keys (GTK_WIDGET (window), "Return");

  /* The code field waits, with the focus, for the code from the mail. */
  WAIT_FOR (gtk_widget_get_visible (widget_finder_by_id (page, "code_row")));
  g_assert_true (focus_within (page, "code_row"));
  g_assert_nonnull (label_containing (page, "erin@clinic.example"));
  screenshots (GTK_WIDGET (window), "create-account");
  /* Narrowing the window past the breakpoint and back keeps it there. */
  g_assert_true (focus_within (page, "code_row"));
  code = relay_wait_code (&relay, "erin@clinic.example", 1);

  type_text (page, "ABCDE-FGHJK");
  press_keys (GTK_WIDGET (window), "Return");
  g_assert_true (focus_within (page, "name_row"));
  type_text (page, "Erin Example");
  press_keys (GTK_WIDGET (window), "Return");
  type_text (page, PASSWORD);
  press_keys (GTK_WIDGET (window), "Return");
  WAIT_FOR (error_shown (page, "code is not right"));
  g_assert_cmpint (photoseal_window_get_page (window), ==, PHOTOSEAL_WINDOW_PAGE_WELCOME);

  retype (page, "code_row", code);
  click_widget (find_button (page, "_Create Account"));
  WAIT_AT_MOST (30, photoseal_window_get_page (window) == PHOTOSEAL_WINDOW_PAGE_MAIN, held);
  if (!held)
    save_screenshot (GTK_WIDGET (window), "create-account-failed");
  g_assert_true (held);
  g_assert_cmpstr (photoseal_user_get_email (user), ==, "erin@clinic.example");
  g_assert_cmpstr (photoseal_user_get_origin (user), ==, url);
  g_assert_cmpstr (photoseal_user_get_name (user), ==, "Erin Example");
}

static PhotosealKeyserverClient *verified_client (const char *email,
                                                  const char *password,
                                                  const char *device);

/* Erin (from /app/create-account) seals for Frank, who has no account:
 * the key server mails Frank an invitation. Frank signs up with its code
 * in one form on the welcome page, and the app opens the file for him,
 * naming Erin as the sender the key server confirmed. */
void
test_invited_sign_up (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealUser *user = photoseal_application_get_user (app);
  GtkWidget *page = welcome_page ();
  g_autoptr(PhotosealKeyserverClient) erin = verified_client ("erin@clinic.example", PASSWORD,
                                                             "erin-laptop");
  g_autofree char *sealed = NULL;
  g_autofree char *code = NULL;
  PhotosealViewerWindow *viewer;

  sealed = seal_with_library_full (erin, verified_url (), "for-frank.psf", "frank@clinic.example",
                                   NULL);
  code = relay_wait_code (&relay, "frank@clinic.example", 1);

  click_widget (find_button (page, "I Have an _Invitation Code"));
  WAIT_FOR (gtk_widget_get_visible (widget_finder_by_id (page, "code_row")));
  g_assert_true (gtk_widget_get_visible (widget_finder_by_id (page, "name_row")));
  g_assert_true (gtk_widget_get_visible (widget_finder_by_id (page, "password_row")));
  retype (page, "server_row", verified_url ());
  /* Hostile: frank's code typed with gina's address. */
  retype (page, "email_row", "gina@clinic.example");
  retype (page, "code_row", code);
  retype (page, "name_row", "Frank Example");
  retype (page, "password_row", PASSWORD);
  press_keys (GTK_WIDGET (window), "Return");
  WAIT_FOR (error_shown (page, "code is not right"));

  retype (page, "email_row", "frank@clinic.example");
  click_widget (find_button (page, "_Create Account"));
  WAIT_FOR (photoseal_window_get_page (window) == PHOTOSEAL_WINDOW_PAGE_MAIN);
  g_assert_cmpstr (photoseal_user_get_email (user), ==, "frank@clinic.example");

  viewer = open_in_app (sealed);
  g_assert_cmpint (photoseal_viewer_window_get_state (viewer), ==, PHOTOSEAL_VIEWER_STATE_PHOTOS);
  g_assert_nonnull (label_containing (GTK_WIDGET (viewer), "erin@clinic.example"));
  save_screenshot (GTK_WIDGET (viewer), "invited-opens");
  gtk_window_destroy (GTK_WINDOW (viewer));
}

static PhotosealKeyserverClient *
verified_client (const char *email,
                 const char *password,
                 const char *device)
{
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = photoseal_keyserver_client_new (verified_url (), &error);
  photoseal_keyserver_client_sign_in (client, email, password, device, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

/* Preferences, opened as a person does: Ctrl+comma. */
static GtkWidget *
open_preferences (void)
{
  GtkWidget *preferences;

  press_keys (GTK_WIDGET (main_window ()), "ctrl+comma");
  WAIT_FOR ((preferences = find_widget (PHOTOSEAL_TYPE_PREFERENCES_WINDOW)) != NULL);
  WAIT_FOR (gtk_widget_get_mapped (preferences));
  return preferences;
}

/* The Remove… button of the device row titled @name, once it is listed. */
static GtkWidget *
remove_button_of (GtkWidget  *preferences,
                  const char *name)
{
  GtkWidget *list = widget_finder_by_id (preferences, "devices_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row)
        && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0)
      return find_button (row, "_Remove…");
  return NULL;
}

static void
close_preferences (GtkWidget *preferences)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_close (ADW_DIALOG (preferences));
#else
  gtk_window_close (GTK_WINDOW (preferences));
#endif
  WAIT_FOR (find_widget (PHOTOSEAL_TYPE_PREFERENCES_WINDOW) == NULL);
}

static void
assert_signed_out (PhotosealKeyserverClient *client)
{
  g_autoptr(GListModel) devices = NULL;
  g_autoptr(GError) error = NULL;

  devices = photoseal_keyserver_client_list_devices (client, NULL, &error);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED);
}

/* Preferences list this account's devices; Remove… asks first, removes
 * the phone (its session ends), and on this device signs out. */
void
test_devices (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealUser *user = photoseal_application_get_user (app);
  g_autoptr(PhotosealKeyserverClient) phone = verified_client ("frank@clinic.example", PASSWORD,
                                                               "Phone");
  GtkWidget *preferences = open_preferences ();
  GtkWidget *remove;

  g_assert_cmpstr (photoseal_user_get_email (user), ==, "frank@clinic.example");
  WAIT_FOR (remove_button_of (preferences, "Phone") != NULL);
  g_assert_nonnull (remove_button_of (preferences, g_get_host_name ()));
  g_assert_nonnull (label_containing (preferences, "This device"));
  screenshots (GTK_WIDGET (gtk_widget_get_root (preferences)), "preferences");

  /* Cancel keeps it. */
  click_widget (remove_button_of (preferences, "Phone"));
  WAIT_FOR (find_alert_button ("_Cancel") != NULL);
  click_widget (find_alert_button ("_Cancel"));
  WAIT_FOR (find_alert_button ("_Cancel") == NULL);
  g_assert_nonnull (remove_button_of (preferences, "Phone"));

  click_widget (remove_button_of (preferences, "Phone"));
  WAIT_FOR (find_alert_button ("_Remove") != NULL);
  click_widget (find_alert_button ("_Remove"));
  WAIT_FOR (remove_button_of (preferences, "Phone") == NULL);
  assert_signed_out (phone);
  g_assert_true (photoseal_user_get_signed_in (user));

  /* This device: removing it signs out here. */
  remove = remove_button_of (preferences, g_get_host_name ());
  click_widget (remove);
  WAIT_FOR (find_alert_button ("_Remove") != NULL);
  g_assert_nonnull (label_containing (
    GTK_WIDGET (gtk_widget_get_root (find_alert_button ("_Remove"))), "signs you out here"));
  click_widget (find_alert_button ("_Remove"));
  WAIT_FOR (photoseal_window_get_page (window) == PHOTOSEAL_WINDOW_PAGE_WELCOME);
  g_assert_false (photoseal_user_get_signed_in (user));
  WAIT_FOR (find_widget (PHOTOSEAL_TYPE_PREFERENCES_WINDOW) == NULL);
}

/* Change Password: a code mailed to the account's address, a wrong one
 * refused; the change ends the phone's session, keeps this device signed
 * in, and the new password is the one that signs in. */
void
test_change_password (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealUser *user = photoseal_application_get_user (app);
  g_autoptr(PhotosealKeyserverClient) phone = NULL;
  GtkWidget *page = welcome_page ();
  GtkWidget *preferences;
  g_autofree char *code = NULL;
  gboolean held;

  /* Set-up: signed in as frank, by typing. */
  retype (page, "server_row", verified_url ());
  retype (page, "email_row", "frank@clinic.example");
  retype (page, "password_row", PASSWORD);
  press_keys (GTK_WIDGET (window), "Return");
  WAIT_FOR (photoseal_window_get_page (window) == PHOTOSEAL_WINDOW_PAGE_MAIN);
  phone = verified_client ("frank@clinic.example", PASSWORD, "Phone");

  preferences = open_preferences ();
  click_widget (find_button (preferences, "Send _Code"));
  WAIT_FOR (gtk_widget_get_visible (widget_finder_by_id (preferences, "password_code_row")));
  g_assert_true (focus_within (preferences, "password_code_row"));
  /* The sign-up code was the first mail to frank; this is the second. */
  code = relay_wait_code (&relay, "frank@clinic.example", 2);

  type_text (preferences, "ABCDE-FGHJK");
  retype (preferences, "new_password_row", "battery staple horse");
  click_widget (find_button (preferences, "Change _Password"));
  WAIT_FOR (label_containing (preferences, "code is not right") != NULL);
  retype (preferences, "password_code_row", code);
  click_widget (find_button (preferences, "Change _Password"));
  WAIT_AT_MOST (20, label_containing (preferences, "Password changed") != NULL, held);
  if (!held)
    save_screenshot (GTK_WIDGET (gtk_widget_get_root (preferences)), "change-password-failed");
  g_assert_true (held);
  assert_signed_out (phone);
  g_assert_true (photoseal_user_get_signed_in (user));
  close_preferences (preferences);

  /* The old password is refused, the new one signs in. */
  page = welcome_page ();
  retype (page, "email_row", "frank@clinic.example");
  retype (page, "password_row", PASSWORD);
  press_keys (GTK_WIDGET (window), "Return");
  WAIT_FOR (error_shown (page, "not right"));
  retype (page, "password_row", "battery staple horse");
  press_keys (GTK_WIDGET (window), "Return");
  WAIT_FOR (photoseal_window_get_page (window) == PHOTOSEAL_WINDOW_PAGE_MAIN);
}

/* Set-up for the tests after these: dave on the first server again. */
void
test_sign_in_again (void)
{
  welcome_page ();
  sign_in_app (server.base_url, "dave@example.org");
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), saved_width, saved_height);
}

/* A typo'd recipient after bob@example.org was used: the recipient rows
 * say there is no account; Seal asks, naming the address, and suggests
 * bob@example.org with a button that puts it in; then Seal goes ahead
 * without asking, and bob is remembered as an earlier recipient. */
void
test_typo_recipient (void)
{
  PhotosealUser *user = photoseal_application_get_user (app);
  PhotosealWindow *window = photoseal_window_new (GTK_APPLICATION (app), user);
  PhotosealComposePage *page = photoseal_window_get_compose_page (window);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *gradient = write_gradient_jpeg ("typo.jpg");
  g_autoptr(GFile) file = g_file_new_for_path (gradient);
  g_auto(GStrv) recent = NULL;
  GtkWidget *entry;
  gboolean held;

  /* Set-up: bob was a recipient before; a photo to seal. */
  g_settings_set_strv (settings, "recent-recipients",
                       (const char * const[]) { "carol@example.org", "bob@example.org", NULL });
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  photoseal_compose_page_add_files (page, &file, 1);
  WAIT_FOR (photoseal_compose_page_get_n_photos (page) == 1);
  set_up_consent (GTK_WIDGET (page));

  entry = widget_finder_by_id (GTK_WIDGET (page), "recipients_row");
  click_widget (entry);
  type_text (entry, "carol@example.org, bob@exmaple.org");
  WAIT_FOR (label_containing (GTK_WIDGET (page), "No account: use an access code") != NULL);
  g_assert_nonnull (label_containing (GTK_WIDGET (page), "Carol Example"));

  /* Check Addresses goes back to the form, nothing sealed. */
  press_keys (GTK_WIDGET (window), "ctrl+Return");
  WAIT_AT_MOST (10, find_alert_button ("_Check Addresses") != NULL, held);
  if (!held)
    save_screenshot (GTK_WIDGET (window), "typo-recipient-failed");
  g_assert_true (held);
  g_assert_nonnull (label_containing (GTK_WIDGET (gtk_widget_get_root (
                                        find_alert_button ("_Check Addresses"))),
                                      "Did you mean bob@example.org?"));
  g_assert_nonnull (label_containing (GTK_WIDGET (gtk_widget_get_root (
                                        find_alert_button ("_Check Addresses"))),
                                      "bob@exmaple.org"));
  save_screenshot (GTK_WIDGET (gtk_widget_get_root (find_alert_button ("_Check Addresses"))),
                   "typo-recipient");
  click_widget (find_alert_button ("_Check Addresses"));
  WAIT_FOR (find_alert_button ("_Check Addresses") == NULL);
  g_assert_cmpint (photoseal_compose_page_get_state (page), ==, PHOTOSEAL_COMPOSE_STATE_FORM);

  press_keys (GTK_WIDGET (window), "ctrl+Return");
  WAIT_FOR (find_alert_button ("Use bob@example.org") != NULL);
  click_widget (find_alert_button ("Use bob@example.org"));
  WAIT_FOR (strstr (gtk_editable_get_text (GTK_EDITABLE (entry)), "bob@example.org") != NULL);
  WAIT_FOR (label_containing (GTK_WIDGET (page), "Bob Example") != NULL);
  g_assert_null (label_containing (GTK_WIDGET (page), "No account"));

  press_keys (GTK_WIDGET (window), "ctrl+Return");
  WAIT_FOR (photoseal_compose_page_get_state (page) == PHOTOSEAL_COMPOSE_STATE_DONE);
  recent = g_settings_get_strv (settings, "recent-recipients");
  g_assert_cmpstr (recent[0], ==, "carol@example.org");
  g_assert_cmpstr (recent[1], ==, "bob@example.org");
  g_assert_null (recent[2]);
  gtk_window_destroy (GTK_WINDOW (window));
}
