/* photoseal-account-button.h: who is signed in, in the header bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal-user.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_ACCOUNT_BUTTON (photoseal_account_button_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealAccountButton, photoseal_account_button, PHOTOSEAL, ACCOUNT_BUTTON,
                      AdwBin)

void photoseal_account_button_set_user (PhotosealAccountButton *self,
                                        PhotosealUser          *user);

G_END_DECLS
