/* photoseal-application.h: the Photoseal application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal-user.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_APPLICATION (photoseal_application_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealApplication, photoseal_application, PHOTOSEAL, APPLICATION,
                      AdwApplication)

PhotosealApplication *photoseal_application_new      (GApplicationFlags     flags);
PhotosealUser        *photoseal_application_get_user (PhotosealApplication *self);

G_END_DECLS
