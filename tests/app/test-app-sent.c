/* test-app-sent.c: the Sent page: the keys Alice sealed, revoking, and the narrow layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "app-fixture.h"
#include "app-tests.h"

/* The Sent page lists Alice's keys; Revoke asks, then revokes. */
void
test_sent (void)
{
  g_autoptr(PhotosealKeyserverClient) alice = signed_in_client ("alice@example.org");
  PhotosealWindow *window = main_window ();
  GtkWidget *list = widget_finder_by_id (GTK_WIDGET (window), "keys_list");
  guint active = count_keys_with_status (alice, "active");
  guint total = active + count_keys_with_status (alice, "revoked");
  GtkWidget *revoke;

  g_assert_cmpuint (active, >, 0);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (widget_finder_by_id (GTK_WIDGET (window),
                                                                     "view_stack")), "sent");
  WAIT_FOR (count_children (list) == total);
  save_screenshot (GTK_WIDGET (window), "sent");

  revoke = find_button (list, "_Revoke…");
  g_assert_nonnull (revoke);
  g_signal_emit_by_name (revoke, "clicked");
  WAIT_FOR (find_alert_button ("_Revoke") != NULL);
  g_signal_emit_by_name (find_alert_button ("_Revoke"), "clicked");
  WAIT_FOR (count_keys_with_status (alice, "active") == active - 1);

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (widget_finder_by_id (GTK_WIDGET (window),
                                                                     "view_stack")), "compose");
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
  /* 500 px, below the breakpoint; at the 360 px minimum a long toast (the
   * Sent page's "Revoked: …") is wider than the window, which libadwaita 1.7
   * warns about: docs/current-gnome.md. */
  gtk_window_set_default_size (GTK_WINDOW (window), 500, height);
  WAIT_FOR (adw_view_switcher_bar_get_reveal (bar));
  save_screenshot (GTK_WIDGET (window), "narrow");
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  WAIT_FOR (!adw_view_switcher_bar_get_reveal (bar));
}
