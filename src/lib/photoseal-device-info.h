/* photoseal-device-info.h: a device signed in to an account, as the key
 * server describes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_DEVICE_INFO (photoseal_device_info_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealDeviceInfo, photoseal_device_info,
                      PHOTOSEAL, DEVICE_INFO, GObject)

const char * photoseal_device_info_get_id      (PhotosealDeviceInfo *self);
const char * photoseal_device_info_get_name    (PhotosealDeviceInfo *self);
GDateTime *  photoseal_device_info_get_expires (PhotosealDeviceInfo *self);
gboolean     photoseal_device_info_get_current (PhotosealDeviceInfo *self);

G_END_DECLS
