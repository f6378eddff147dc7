/* test-app.c: the real Photoseal app, driven through its own widgets
 *
 * Runs under Xvfb with a private D-Bus session and gnome-keyring (see
 * run-app-tests.sh), against a real photoseal-keyserver on 127.0.0.1. The
 * tests type into the real entries, drop files through the real drop
 * target, press real keys (xdotool, through the X server, so that focus
 * and shortcut handling are the app's own), and check the results with
 * libphotoseal. Each test saves a PNG screenshot of its window.
 *
 * The tests live in test-app-*.c by the part of the app they drive; this
 * file starts the key server and the app, and runs them in order, since
 * later tests open what earlier ones sealed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sodium.h>

#include "app-fixture.h"
#include "app-tests.h"

KeyserverFixture server;
PhotosealApplication *app;
char *work_dir;
char *sealed_path;

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Screenshots show the page, not a cross-fade into it. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* xdotool moves the X focus between windows; GTK's cursor blink, firing
   * in a window that just lost it, warns that a focus-out went missing. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  work_dir = g_dir_make_tmp ("photoseal-app-XXXXXX", NULL);
  keyserver_fixture_start (&server, "open");
  add_account ("alice@example.org", "Alice Example");
  add_account ("bob@example.org", "Bob Example");
  add_account ("carol@example.org", "Carol Example");

  app = photoseal_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  WAIT_FOR (photoseal_user_get_ready (photoseal_application_get_user (app)));

  g_test_add_func ("/app/sign-in", test_sign_in);
  g_test_add_func ("/app/restore", test_restore);
  g_test_add_func ("/app/first-run-ready", test_first_run_ready);
  g_test_add_func ("/app/account-button", test_account_button);
  /* Early, while the process is small: it measures the peak RSS. */
  g_test_add_func ("/app/huge-image", test_huge_image);
  g_test_add_func ("/app/compose", test_compose);
  g_test_add_func ("/app/sealed-access-code", test_sealed_access_code);
  g_test_add_func ("/app/sealed-large", test_sealed_large);
  g_test_add_func ("/app/open", test_open);
  g_test_add_func ("/app/report", test_report);
  g_test_add_func ("/app/large-items", test_large_items);
  g_test_add_func ("/app/revoked", test_revoked);
  g_test_add_func ("/app/damaged", test_damaged);
  g_test_add_func ("/app/unknown-server", test_unknown_server);
  g_test_add_func ("/app/access-code", test_access_code);
  g_test_add_func ("/app/expired", test_expired);
  g_test_add_func ("/app/forged-sender", test_forged_sender);
  /* Before the tests that use the row's menu: under Xvfb without a window
   * manager, the main window does not get "active" back after a popover
   * menu was used (see test_sent_refresh). */
  g_test_add_func ("/app/sent-refresh", test_sent_refresh);
  g_test_add_func ("/app/sent", test_sent);
  g_test_add_func ("/app/sent-damaged-labels", test_sent_damaged_labels);
  g_test_add_func ("/app/sent-manage", test_sent_manage);
  g_test_add_func ("/app/narrow", test_narrow);
  g_test_add_func ("/app/close-while-sealing", test_close_while_sealing);
  g_test_add_func ("/app/failed-seal", test_failed_seal);
  g_test_add_func ("/app/sign-out-and-register", test_sign_out_and_register);
  g_test_add_func ("/app/markup-in-origin", test_markup_in_origin);
  g_test_add_func ("/app/markup-in-toast", test_markup_in_toast);
  g_test_add_func ("/app/heic-accepted", test_heic_accepted);
  g_test_add_func ("/app/markup-in-server-error", test_markup_in_server_error);
  g_test_add_func ("/app/export-names", test_export_names);
  g_test_add_func ("/app/create-account", test_create_account);
  g_test_add_func ("/app/invited-sign-up", test_invited_sign_up);
  g_test_add_func ("/app/devices", test_devices);
  g_test_add_func ("/app/change-password", test_change_password);
  /* Signs in to a key server of its own, which it stops. */
  g_test_add_func ("/app/sent-refresh-failed", test_sent_refresh_failed);
  /* Back to the first server's account for the tests below. */
  g_test_add_func ("/app/sign-in-again", test_sign_in_again);
  g_test_add_func ("/app/typo-recipient", test_typo_recipient);
  g_test_add_func ("/app/fresh-window-keys", test_fresh_window_keys);
  /* Last: it closes every window. */
  g_test_add_func ("/app/quit", test_quit);
  status = g_test_run ();

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l;
       l = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (l->data);
  g_clear_object (&app);
  identity_server_stop ();
  keyserver_fixture_stop (&server);
  keyserver_remove_tree (work_dir);
  g_free (work_dir);
  g_free (sealed_path);
  return status;
}
