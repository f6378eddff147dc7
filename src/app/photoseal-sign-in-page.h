/* photoseal-sign-in-page.h: sign in to (or register with) a key server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal-user.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_SIGN_IN_PAGE (photoseal_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealSignInPage, photoseal_sign_in_page, PHOTOSEAL, SIGN_IN_PAGE, AdwBin)

void photoseal_sign_in_page_set_user         (PhotosealSignInPage *self,
                                              PhotosealUser       *user);
void photoseal_sign_in_page_set_origin       (PhotosealSignInPage *self,
                                              const char          *origin,
                                              gboolean             for_file);
void photoseal_sign_in_page_set_registration (PhotosealSignInPage *self,
                                              gboolean             registration);

void photoseal_sign_in_page_focus_first_field (PhotosealSignInPage *self);

G_END_DECLS
