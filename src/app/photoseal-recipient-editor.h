/* photoseal-recipient-editor.h: the recipients as they are typed, checked
 * with the key server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal-user.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_RECIPIENT_EDITOR (photoseal_recipient_editor_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealRecipientEditor, photoseal_recipient_editor,
                      PHOTOSEAL, RECIPIENT_EDITOR, AdwBin)

void     photoseal_recipient_editor_set_user (PhotosealRecipientEditor *self,
                                              PhotosealUser            *user);
gboolean photoseal_recipient_editor_confirm  (PhotosealRecipientEditor *self);
gboolean photoseal_recipient_editor_get_looking_up (PhotosealRecipientEditor *self);

G_END_DECLS
