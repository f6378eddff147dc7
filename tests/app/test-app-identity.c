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
  return widget_finder_by_id (GTK_WIDGET (window), "sign_in_page");
}

/* Clicks into @id under @root, selects what is there and types @text. */
static void
retype (GtkWidget  *root,
        const char *id,
        const char *text)
{
  GtkWidget *field = widget_finder_by_id (root, id);

  click_widget (field);
  WAIT_FOR (focus_within (root, id));
  press_keys (GTK_WIDGET (gtk_widget_get_root (root)), "ctrl+a");
  press_keys (GTK_WIDGET (gtk_widget_get_root (root)), "BackSpace");
  type_text (root, text);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field)), ==, text);
}

/* Screenshots of @window at 960×720 and at the narrowest, 360 px. */
static void
screenshots (GtkWidget  *window,
             const char *name)
{
  int width, height;
  g_autofree char *wide = g_strconcat (name, "-960", NULL);
  g_autofree char *narrow = g_strconcat (name, "-360", NULL);
  gboolean held;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
  WAIT_AT_MOST (5, gtk_widget_get_width (window) == 960, held);
  g_test_message ("%s: %d×%d", wide, gtk_widget_get_width (window),
                  gtk_widget_get_height (window));
  save_screenshot (window, wide);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  WAIT_AT_MOST (5, gtk_widget_get_width (window) == 360, held);
  g_test_message ("%s: %d×%d", narrow, gtk_widget_get_width (window),
                  gtk_widget_get_height (window));
  save_screenshot (window, narrow);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  settle ();
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

/* An invited recipient has a code already: one form, email, code, name
 * and password. The code is bound to its address. */
void
test_invited_sign_up (void)
{
  PhotosealWindow *window = main_window ();
  PhotosealUser *user = photoseal_application_get_user (app);
  GtkWidget *page = welcome_page ();
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  /* The code an invitation would carry (sent here by the sign-up route
   * until invitations mail their own). */
  client = photoseal_keyserver_client_new (verified_url (), &error);
  g_assert_true (photoseal_keyserver_client_request_code (client, "frank@clinic.example", NULL,
                                                          &error));
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
}

static void
signed_in_again_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  photoseal_user_sign_in_finish (PHOTOSEAL_USER (object), result, &error);
  g_assert_no_error (error);
}

/* Set-up for the tests after these: dave on the first server again. */
void
test_sign_in_again (void)
{
  PhotosealUser *user = photoseal_application_get_user (app);

  welcome_page ();
  photoseal_user_sign_in_async (user, server.base_url, "dave@example.org", PASSWORD, NULL, TRUE,
                                NULL, signed_in_again_cb, NULL);
  WAIT_FOR (photoseal_window_get_page (main_window ()) == PHOTOSEAL_WINDOW_PAGE_MAIN);
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), saved_width, saved_height);
}
