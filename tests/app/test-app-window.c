/* test-app-window.c: the main window: keyboard shortcuts on a fresh window, and quitting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "app-fixture.h"
#include "app-tests.h"

/* A second main window, just opened: focus starts in the recipients, and
 * Ctrl+O and Ctrl+Return work even when nothing has the focus. */
void
test_fresh_window_keys (void)
{
  PhotosealUser *user = photoseal_application_get_user (app);
  PhotosealWindow *window = photoseal_window_new (GTK_APPLICATION (app), user);
  PhotosealComposePage *page = photoseal_window_get_compose_page (window);
  g_autofree char *gradient = write_gradient_jpeg ("keys.jpg");
  g_autoptr(GFile) file = g_file_new_for_path (gradient);
  GtkWidget *chooser = NULL;
  gboolean held;

  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  settle ();
  g_assert_true (focus_within (GTK_WIDGET (window), "recipients_row"));

  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  press_keys (GTK_WIDGET (window), "ctrl+o");
  WAIT_AT_MOST (5, (chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG)) != NULL, held);
  g_assert_true (held);
  press_keys (chooser, "Escape");
  WAIT_FOR (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) == NULL);

  photoseal_compose_page_add_files (page, &file, 1);
  WAIT_FOR (photoseal_compose_page_get_n_photos (page) == 1);
  type_recipients (page, "bob@example.org");
  set_up_consent (GTK_WIDGET (page));
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  press_keys (GTK_WIDGET (window), "ctrl+Return");
  WAIT_AT_MOST (5, photoseal_compose_page_get_state (page) != PHOTOSEAL_COMPOSE_STATE_FORM, held);
  g_assert_true (held);
  WAIT_FOR (photoseal_compose_page_get_state (page) == PHOTOSEAL_COMPOSE_STATE_DONE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Ctrl+Q closes every window of the app, not one per press. */
void
test_quit (void)
{
  g_autoptr(PhotosealKeyserverClient) alice = signed_in_client ("alice@example.org");
  g_autofree char *first = seal_with_library (alice, server.base_url, "quit-1.psf");
  g_autofree char *second = seal_with_library (alice, server.base_url, "quit-2.psf");
  gboolean held;

  open_in_app (first);
  open_in_app (second);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 3);
  press_keys (GTK_WIDGET (main_window ()), "ctrl+q");
  WAIT_AT_MOST (5, gtk_application_get_windows (GTK_APPLICATION (app)) == NULL, held);
  g_assert_true (held);
}

/* The signed-in account is in the header at every width: the avatar and
 * the name, and its popover names the email and the server's host. */
void
test_account_button (void)
{
  PhotosealWindow *window = main_window ();
  GtkWidget *button = find_descendant (GTK_WIDGET (window), PHOTOSEAL_TYPE_ACCOUNT_BUTTON);
  GtkWidget *name;
  GtkWidget *server_label;
  g_autoptr(GUri) origin = g_uri_parse (server.base_url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *host = g_strdup_printf ("%s:%d", g_uri_get_host (origin),
                                           g_uri_get_port (origin));
#if !ADW_CHECK_VERSION (1, 4, 0)
  GLogLevelFlags fatal;
#endif
  int width, height;
  graphene_rect_t bounds;

  g_assert_nonnull (button);
  name = widget_finder_by_id (button, "name_label");
  WAIT_FOR (g_strcmp0 (gtk_label_get_text (GTK_LABEL (name)), "Alice Example") == 0);
  g_assert_true (gtk_widget_is_drawable (button));
  g_assert_cmpstr (adw_avatar_get_text (ADW_AVATAR (widget_finder_by_id (button, "avatar"))), ==,
                   "Alice Example");

  /* At 360 px the name still shows, inside the window (see
   * save_screenshot_at_width for libadwaita 1.2's warning let through). */
#if !ADW_CHECK_VERSION (1, 4, 0)
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
#endif
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  resize_window (GTK_WIDGET (window), 360, height);
  g_assert_true (gtk_widget_is_drawable (name));
  g_assert_true (gtk_widget_compute_bounds (name, GTK_WIDGET (window), &bounds));
  g_assert_cmpfloat (bounds.size.width, >=, 20);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                     gtk_widget_get_width (GTK_WIDGET (window)));
  save_screenshot (GTK_WIDGET (window), "account-360");
  resize_window (GTK_WIDGET (window), width, height);
#if !ADW_CHECK_VERSION (1, 4, 0)
  g_log_set_always_fatal (fatal);
#endif

  click_widget (button);
  WAIT_FOR (gtk_widget_get_mapped (widget_finder_by_id (button, "email_label")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (widget_finder_by_id (button, "email_label"))), ==,
                   "alice@example.org");
  server_label = widget_finder_by_id (button, "server_label");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (server_label)), ==, host);
  save_screenshot (GTK_WIDGET (window), "account-popover");
  press_keys (GTK_WIDGET (window), "Escape");
  WAIT_FOR (!gtk_widget_get_mapped (widget_finder_by_id (button, "email_label")));
}
