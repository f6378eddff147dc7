/* photoseal-toast.h: plain-text toasts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwToast *photoseal_toast_show        (GtkWidget       *widget,
                                       const char      *text);
void      photoseal_toast_dismiss_all (AdwToastOverlay *overlay);

G_END_DECLS
