/* photoseal-sent-page.h: the files this account sealed, and who opened them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal-user.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_SENT_PAGE (photoseal_sent_page_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealSentPage, photoseal_sent_page, PHOTOSEAL, SENT_PAGE, AdwBin)

void photoseal_sent_page_set_user (PhotosealSentPage *self,
                                   PhotosealUser     *user);
void photoseal_sent_page_reload   (PhotosealSentPage *self);

G_END_DECLS
