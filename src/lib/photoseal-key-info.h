/* photoseal-key-info.h: one key the signed-in account made on a key server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_KEY_INFO (photoseal_key_info_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealKeyInfo, photoseal_key_info, PHOTOSEAL, KEY_INFO, GObject)

const char *         photoseal_key_info_get_key_id          (PhotosealKeyInfo *self);
const char *         photoseal_key_info_get_status          (PhotosealKeyInfo *self);
GDateTime *          photoseal_key_info_get_created         (PhotosealKeyInfo *self);
GDateTime *          photoseal_key_info_get_expires         (PhotosealKeyInfo *self);
GDateTime *          photoseal_key_info_get_revoked         (PhotosealKeyInfo *self);
const char * const * photoseal_key_info_get_recipients      (PhotosealKeyInfo *self);
gboolean             photoseal_key_info_get_has_access_code (PhotosealKeyInfo *self);
gint64               photoseal_key_info_get_releases        (PhotosealKeyInfo *self);
GListModel          *photoseal_key_info_get_recipient_states (PhotosealKeyInfo *self);
char **              photoseal_key_info_edit_recipients     (PhotosealKeyInfo   *self,
                                                             const char * const *add,
                                                             const char * const *remove,
                                                             GError            **error);

G_END_DECLS
