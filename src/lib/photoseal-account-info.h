/* photoseal-account-info.h: a key-server account, as the server describes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_ACCOUNT_INFO (photoseal_account_info_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealAccountInfo, photoseal_account_info,
                      PHOTOSEAL, ACCOUNT_INFO, GObject)

const char * photoseal_account_info_get_email   (PhotosealAccountInfo *self);
const char * photoseal_account_info_get_name    (PhotosealAccountInfo *self);
GDateTime *  photoseal_account_info_get_created (PhotosealAccountInfo *self);

G_END_DECLS
