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

#define SHOWN_TOASTS "photoseal-shown-toasts"

static void
forget_cb (AdwToast  *toast,
           GtkWidget *overlay)
{
  GPtrArray *shown = g_object_get_data (G_OBJECT (overlay), SHOWN_TOASTS);

  if (shown != NULL)
    g_ptr_array_remove (shown, toast);
}

/* libadwaita 1.2 has no way to dismiss every toast of an overlay: the
 * overlay keeps a list of those it shows. */
static void
remember (GtkWidget *overlay,
          AdwToast  *toast)
{
  GPtrArray *shown = g_object_get_data (G_OBJECT (overlay), SHOWN_TOASTS);

  if (shown == NULL)
    {
      shown = g_ptr_array_new_with_free_func (g_object_unref);
      g_object_set_data_full (G_OBJECT (overlay), SHOWN_TOASTS, shown,
                              (GDestroyNotify) g_ptr_array_unref);
    }
  g_ptr_array_add (shown, g_object_ref (toast));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (forget_cb), overlay, 0);
}

/**
 * photoseal_toast_dismiss_all:
 * @overlay: an overlay whose toasts came through photoseal_toast_show()
 *
 * Dismisses them: a page that goes (signing out) takes its messages with
 * it, so they neither cover the next page nor show it the last person's
 * file names.
 */
void
photoseal_toast_dismiss_all (AdwToastOverlay *overlay)
{
  GPtrArray *shown;
  g_autoptr(GPtrArray) dismissing = NULL;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));

  shown = g_object_get_data (G_OBJECT (overlay), SHOWN_TOASTS);
  if (shown == NULL)
    return;
  /* Each dismissal removes its toast from @shown: go through a copy. */
  dismissing = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < shown->len; i++)
    g_ptr_array_add (dismissing, g_object_ref (g_ptr_array_index (shown, i)));
  for (guint i = 0; i < dismissing->len; i++)
    adw_toast_dismiss (g_ptr_array_index (dismissing, i));
}

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

      remember (overlay, toast);
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
