/* photoseal-alert.h: a question with a cancel and a destructive answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *photoseal_alert_new     (const char *heading,
                                    const char *body,
                                    const char *cancel_label,
                                    const char *destructive_id,
                                    const char *destructive_label);
void       photoseal_alert_add_response (GtkWidget  *alert,
                                         const char *id,
                                         const char *label);
void       photoseal_alert_present (GtkWidget  *alert,
                                    GtkWidget  *parent);

G_END_DECLS
