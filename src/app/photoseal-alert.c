/* photoseal-alert.c: a question with a cancel and a destructive answer
 *
 * AdwAlertDialog (libadwaita 1.5) where the runtime has it, AdwMessageDialog
 * (deprecated in 1.6) on Debian 12's libadwaita 1.2. Both emit "response"
 * with the answer's id, "cancel" when dismissed, so callers connect to it
 * the same way and this file is the whole port.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-alert"

#include "config.h"

#include <adwaita.h>

#include "photoseal-alert.h"

#if ADW_CHECK_VERSION (1, 5, 0)
# define ALERT(widget) ADW_ALERT_DIALOG (widget)
# define alert_add_responses adw_alert_dialog_add_responses
# define alert_set_response_appearance adw_alert_dialog_set_response_appearance
# define alert_set_default_response adw_alert_dialog_set_default_response
# define alert_add_response adw_alert_dialog_add_response
#else
# define ALERT(widget) ADW_MESSAGE_DIALOG (widget)
# define alert_add_responses adw_message_dialog_add_responses
# define alert_set_response_appearance adw_message_dialog_set_response_appearance
# define alert_set_default_response adw_message_dialog_set_default_response
# define alert_add_response adw_message_dialog_add_response
#endif

/**
 * photoseal_alert_new:
 * @destructive_id: the response id of the destructive answer
 *
 * Makes the question; connect to its "response" signal, then present it
 * with photoseal_alert_present(). Cancel is the default answer.
 *
 * Returns: (transfer floating): the alert
 */
GtkWidget *
photoseal_alert_new (const char *heading,
                     const char *body,
                     const char *cancel_label,
                     const char *destructive_id,
                     const char *destructive_label)
{
  GtkWidget *alert;

#if ADW_CHECK_VERSION (1, 5, 0)
  alert = GTK_WIDGET (adw_alert_dialog_new (heading, body));
#else
  alert = adw_message_dialog_new (NULL, heading, body);
#endif
  alert_add_responses (ALERT (alert), "cancel", cancel_label,
                       destructive_id, destructive_label, NULL);
  alert_set_response_appearance (ALERT (alert), destructive_id, ADW_RESPONSE_DESTRUCTIVE);
  alert_set_default_response (ALERT (alert), "cancel");
  return alert;
}

/* Shows @alert over the window of @parent. */
/* A third answer, beside cancel and the destructive one. */
void
photoseal_alert_add_response (GtkWidget  *alert,
                              const char *id,
                              const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (alert));

  alert_add_response (ALERT (alert), id, label);
}

void
photoseal_alert_present (GtkWidget *alert,
                         GtkWidget *parent)
{
  g_return_if_fail (GTK_IS_WIDGET (alert));
  g_return_if_fail (GTK_IS_WIDGET (parent));

#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (ADW_DIALOG (alert), parent);
#else
  gtk_window_set_transient_for (GTK_WINDOW (alert), GTK_WINDOW (gtk_widget_get_root (parent)));
  gtk_window_present (GTK_WINDOW (alert));
#endif
}
