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
  type_into (GTK_WIDGET (page), "recipients_row", "bob@example.org");
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
