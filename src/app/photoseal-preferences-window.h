/* photoseal-preferences-window.h: account and sealing defaults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal-user.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_PREFERENCES_WINDOW (photoseal_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealPreferencesWindow, photoseal_preferences_window, PHOTOSEAL, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *photoseal_preferences_window_new (GtkWindow     *parent,
                                             PhotosealUser *user);

G_END_DECLS
