/* photoseal-toast.c: plain-text toasts
 *
 * A toast's title is Pango markup, and most messages carry a file name, a
 * server's error or a key server's host: text from someone else. Every
 * toast goes through here and is escaped, so that such text cannot style
 * itself, add a link, or break the markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-toast"

#include "config.h"

#include "photoseal-toast.h"

/**
 * photoseal_toast_show:
 * @widget: a widget inside an AdwToastOverlay or the preferences (an
 *   AdwPreferencesDialog from libadwaita 1.5, an AdwPreferencesWindow before)
 * @text: plain text, never markup
 *
 * Returns: (transfer none) (nullable): the toast, for a page to dismiss it
 *   when it no longer applies; %NULL when there was nowhere to show it
 */
AdwToast *
photoseal_toast_show (GtkWidget  *widget,
                      const char *text)
{
  g_autofree char *escaped = NULL;
  GtkWidget *overlay;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  escaped = g_markup_escape_text (text, -1);
  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    {
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
      return toast;
    }
#if ADW_CHECK_VERSION (1, 5, 0)
  if ((overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_DIALOG)) != NULL)
    {
      AdwToast *toast = adw_toast_new (escaped);

      adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (overlay), toast);
      return toast;
    }
#else
  if (ADW_IS_PREFERENCES_WINDOW (gtk_widget_get_root (widget)))
    {
      AdwToast *toast = adw_toast_new (escaped);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (gtk_widget_get_root (widget)),
                                        toast);
      return toast;
    }
#endif
  g_message ("%s", text);
  return NULL;
}
