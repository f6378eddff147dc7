/* photoseal-window.h: the main window: sign in, seal, sent files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal-compose-page.h"
#include "photoseal-user.h"

G_BEGIN_DECLS

/**
 * PhotosealWindowPage:
 * @PHOTOSEAL_WINDOW_PAGE_LOADING: the keyring has not answered yet
 * @PHOTOSEAL_WINDOW_PAGE_WELCOME: no session: sign in or register
 * @PHOTOSEAL_WINDOW_PAGE_MAIN: signed in: Seal and Sent
 */
typedef enum
{
  PHOTOSEAL_WINDOW_PAGE_LOADING,
  PHOTOSEAL_WINDOW_PAGE_WELCOME,
  PHOTOSEAL_WINDOW_PAGE_MAIN,
} PhotosealWindowPage;

#define PHOTOSEAL_TYPE_WINDOW_PAGE (photoseal_window_page_get_type ())
#define PHOTOSEAL_TYPE_WINDOW (photoseal_window_get_type ())

GType photoseal_window_page_get_type (void) G_GNUC_CONST;


G_DECLARE_FINAL_TYPE (PhotosealWindow, photoseal_window, PHOTOSEAL, WINDOW, AdwApplicationWindow)

PhotosealWindow      *photoseal_window_new              (GtkApplication  *application,
                                                         PhotosealUser   *user);
PhotosealComposePage *photoseal_window_get_compose_page (PhotosealWindow *self);
PhotosealWindowPage   photoseal_window_get_page         (PhotosealWindow *self);

G_END_DECLS
