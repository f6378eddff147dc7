/* test-app-account.c: signing in, the session in the keyring, signing out and registering
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "app-fixture.h"
#include "app-tests.h"

void
test_sign_in (void)
{
  PhotosealWindow *window;
  GtkWidget *sign_in_page;
  g_autoptr(PhotosealKeyserverClient) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;

  g_application_activate (G_APPLICATION (app));
  window = main_window ();
  g_assert_nonnull (window);
  WAIT_FOR (photoseal_window_get_page (window) == PHOTOSEAL_WINDOW_PAGE_WELCOME);
  /* The first field a person types into: the server, empty on a first run. */
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  settle ();
  g_assert_true (focus_within (GTK_WIDGET (window), "server_row"));

  sign_in_page = widget_finder_by_id (GTK_WIDGET (window), "sign_in_page");
  retype (sign_in_page, "server_row", server.base_url);
  retype (sign_in_page, "email_row", "alice@example.org");
  retype (sign_in_page, "password_row", "wrong password");
  click_widget (find_button (sign_in_page, "_Sign In"));
  /* A wrong password: the page says so and stays. */
  WAIT_FOR (gtk_widget_get_visible (widget_finder_by_id (GTK_WIDGET (window), "error_label")));
  g_assert_cmpint (photoseal_window_get_page (window), ==, PHOTOSEAL_WINDOW_PAGE_WELCOME);
  save_screenshot (GTK_WIDGET (window), "sign-in-failed");

  /* Enter in the password field signs in. */
  retype (sign_in_page, "password_row", PASSWORD);
  press_keys (GTK_WIDGET (window), "Return");
  WAIT_FOR (photoseal_window_get_page (window) == PHOTOSEAL_WINDOW_PAGE_MAIN);

  /* The session is in the keyring (gnome-keyring on this D-Bus session). */
  saved = photoseal_keyring_load (server.base_url, &email, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (saved);
  g_assert_cmpstr (email, ==, "alice@example.org");
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *restored = user_data;
  g_autoptr(GError) error = NULL;

  *restored = photoseal_user_restore_finish (PHOTOSEAL_USER (object), result, &error);
  g_assert_no_error (error);
}

/* The next start: the session comes back from the keyring, no password. */
void
test_restore (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(PhotosealUser) user = photoseal_user_new (settings);
  gboolean restored = FALSE;

  photoseal_user_restore_async (user, NULL, restored_cb, &restored);
  WAIT_FOR (photoseal_user_get_ready (user));
  g_assert_true (restored);
  g_assert_true (photoseal_user_get_signed_in (user));
  g_assert_cmpstr (photoseal_user_get_email (user), ==, "alice@example.org");
  g_assert_cmpstr (photoseal_user_get_origin (user), ==, server.base_url);
  WAIT_FOR (g_strcmp0 (photoseal_user_get_name (user), "Alice Example") == 0);
}

/* A first run has no server, so nothing to ask the keyring: the user is
 * ready before restoring returns, and a window made then shows the sign-in
 * page from its first frame instead of the loading page fading into it. */
void
test_first_run_ready (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (APP_ID, backend);
  g_autoptr(PhotosealUser) user = photoseal_user_new (settings);
  gboolean restored = TRUE;
  PhotosealWindow *window;

  photoseal_user_restore_async (user, NULL, restored_cb, &restored);
  g_assert_true (photoseal_user_get_ready (user));
  window = photoseal_window_new (GTK_APPLICATION (app), user);
  g_assert_cmpint (photoseal_window_get_page (window), ==, PHOTOSEAL_WINDOW_PAGE_WELCOME);
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (!restored);
}

/* Sign out from Preferences, then register a new account on the welcome
 * page: the app signs in with it. */
void
test_sign_out_and_register (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealUser *user = photoseal_application_get_user (app);
  GtkWidget *preferences;
  GtkWidget *archive;
  const char *shown;
  GtkWidget *page;

  press_keys (GTK_WIDGET (window), "ctrl+comma");
  WAIT_FOR ((preferences = find_widget (PHOTOSEAL_TYPE_PREFERENCES_WINDOW)) != NULL);
  WAIT_FOR (gtk_widget_get_mapped (preferences));
  save_screenshot (GTK_WIDGET (gtk_widget_get_root (preferences)), "preferences");

  /* A key that is not one is refused in a toast over the preferences, as
   * plain text even when it looks like markup. */
  retype (preferences, "archive_row", "<b>age1</b>");
  press_keys (GTK_WIDGET (gtk_widget_get_root (preferences)), "Return");
  archive = widget_finder_by_id (preferences, "archive_row");
  WAIT_FOR ((shown = label_containing (preferences, "Not an age public key")) != NULL);
  g_assert_nonnull (strstr (shown, "<b>age1</b>"));
  g_assert_true (gtk_widget_has_css_class (archive, "error"));

  click_widget (find_button (preferences, "Sign _Out"));
  WAIT_FOR (photoseal_window_get_page (window) == PHOTOSEAL_WINDOW_PAGE_WELCOME);
  g_assert_false (photoseal_user_get_signed_in (user));

  /* This key server takes sign-ups without a code (open registration, for
   * demos): the code field is left empty. */
  page = widget_finder_by_id (GTK_WIDGET (window), "sign_in_page");
  click_widget (find_button (page, "I Have an _Invitation Code"));
  WAIT_FOR (gtk_widget_get_visible (widget_finder_by_id (page, "name_row")));
  retype (page, "server_row", server.base_url);
  retype (page, "email_row", "dave@example.org");
  retype (page, "name_row", "Dave Example");
  retype (page, "password_row", PASSWORD);
  click_widget (find_button (page, "_Create Account"));
  WAIT_FOR (photoseal_window_get_page (window) == PHOTOSEAL_WINDOW_PAGE_MAIN);
  g_assert_cmpstr (photoseal_user_get_email (user), ==, "dave@example.org");
  g_assert_cmpstr (photoseal_user_get_name (user), ==, "Dave Example");
}
