/* photoseal-compose-page.h: photos and details in, one sealed file out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal-user.h"

G_BEGIN_DECLS

/**
 * PhotosealComposeState:
 * @PHOTOSEAL_COMPOSE_STATE_FORM: the form, to fill in
 * @PHOTOSEAL_COMPOSE_STATE_PROGRESS: sealing
 * @PHOTOSEAL_COMPOSE_STATE_DONE: the sealed file, to share
 */
typedef enum
{
  PHOTOSEAL_COMPOSE_STATE_FORM,
  PHOTOSEAL_COMPOSE_STATE_PROGRESS,
  PHOTOSEAL_COMPOSE_STATE_DONE,
} PhotosealComposeState;

#define PHOTOSEAL_TYPE_COMPOSE_STATE (photoseal_compose_state_get_type ())
#define PHOTOSEAL_TYPE_COMPOSE_PAGE (photoseal_compose_page_get_type ())

GType photoseal_compose_state_get_type (void) G_GNUC_CONST;


G_DECLARE_FINAL_TYPE (PhotosealComposePage, photoseal_compose_page, PHOTOSEAL, COMPOSE_PAGE, AdwBin)

void                  photoseal_compose_page_set_user        (PhotosealComposePage *self,
                                                              PhotosealUser        *user);
PhotosealComposeState photoseal_compose_page_get_state       (PhotosealComposePage *self);
GFile                *photoseal_compose_page_get_sealed_file (PhotosealComposePage *self);
guint                 photoseal_compose_page_get_n_photos    (PhotosealComposePage *self);
gboolean              photoseal_compose_page_get_code_pending (PhotosealComposePage *self);
void                  photoseal_compose_page_focus_first_field (PhotosealComposePage *self);
void                  photoseal_compose_page_add_files       (PhotosealComposePage *self,
                                                              GFile               **files,
                                                              guint                 n_files);

G_END_DECLS
