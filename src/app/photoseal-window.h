/* photoseal-window.h: the main window: sign in, seal, sent files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal-compose-page.h"
#include "photoseal-user.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_WINDOW (photoseal_window_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealWindow, photoseal_window, PHOTOSEAL, WINDOW, AdwApplicationWindow)

PhotosealWindow      *photoseal_window_new              (GtkApplication  *application,
                                                         PhotosealUser   *user);
PhotosealComposePage *photoseal_window_get_compose_page (PhotosealWindow *self);
const char           *photoseal_window_get_page         (PhotosealWindow *self);

G_END_DECLS
