/* photoseal-preferences-window.h: account and sealing defaults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal-user.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_PREFERENCES_WINDOW (photoseal_preferences_window_get_type ())

/* An AdwPreferencesDialog from libadwaita 1.5, which deprecates the window in
 * 1.6; an AdwPreferencesWindow on Debian 12. */
#if ADW_CHECK_VERSION (1, 5, 0)
G_DECLARE_FINAL_TYPE (PhotosealPreferencesWindow, photoseal_preferences_window, PHOTOSEAL,
                      PREFERENCES_WINDOW, AdwPreferencesDialog)
#else
G_DECLARE_FINAL_TYPE (PhotosealPreferencesWindow, photoseal_preferences_window, PHOTOSEAL,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)
#endif

void photoseal_preferences_window_present (GtkWindow     *parent,
                                           PhotosealUser *user);

G_END_DECLS
