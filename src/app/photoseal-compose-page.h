/* photoseal-compose-page.h: photos and details in, one sealed file out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal-user.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_COMPOSE_PAGE (photoseal_compose_page_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealComposePage, photoseal_compose_page, PHOTOSEAL, COMPOSE_PAGE, AdwBin)

void        photoseal_compose_page_set_user        (PhotosealComposePage *self,
                                                    PhotosealUser        *user);
const char *photoseal_compose_page_get_state       (PhotosealComposePage *self);
GFile      *photoseal_compose_page_get_sealed_file (PhotosealComposePage *self);
guint       photoseal_compose_page_get_n_photos    (PhotosealComposePage *self);
void        photoseal_compose_page_add_files       (PhotosealComposePage *self,
                                                    GFile               **files,
                                                    guint                 n_files);

G_END_DECLS
