/* photoseal-device-info.c
 *
 * A device signed in to an account (the key pair a client enrolled at
 * sign-in), as the key server lists it: a plain typed object that
 * Preferences binds to its rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-device-info"

#include "config.h"

#include "photoseal-device-info.h"
#include "photoseal-info-fields.h"

struct _PhotosealDeviceInfo
{
  GObject parent_instance;

  char *id;
  char *name;
  GDateTime *expires;
  gboolean current;
};

G_DEFINE_FINAL_TYPE (PhotosealDeviceInfo, photoseal_device_info, G_TYPE_OBJECT)

static const PhotosealInfoField fields[] = {
  PHOTOSEAL_INFO_FIELD (PhotosealDeviceInfo, id, "id", STRING, "The server's id for the device"),
  PHOTOSEAL_INFO_FIELD (PhotosealDeviceInfo, name, "name", STRING,
                        "The name the device gave at sign-in"),
  PHOTOSEAL_INFO_FIELD (PhotosealDeviceInfo, expires, "expires", TIME,
                        "When its latest session ends"),
  PHOTOSEAL_INFO_FIELD (PhotosealDeviceInfo, current, "current", BOOLEAN,
                        "Whether it is the asking device"),
};

static void
photoseal_device_info_class_init (PhotosealDeviceInfoClass *klass)
{
  photoseal_info_fields_install (G_OBJECT_CLASS (klass), fields, G_N_ELEMENTS (fields));
}

static void
photoseal_device_info_init (PhotosealDeviceInfo *self)
{
}

const char *
photoseal_device_info_get_id (PhotosealDeviceInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_DEVICE_INFO (self), NULL);
  return self->id;
}

const char *
photoseal_device_info_get_name (PhotosealDeviceInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_DEVICE_INFO (self), NULL);
  return self->name;
}

GDateTime *
photoseal_device_info_get_expires (PhotosealDeviceInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_DEVICE_INFO (self), NULL);
  return self->expires;
}

/* Whether this is the device that asked for the list. */
gboolean
photoseal_device_info_get_current (PhotosealDeviceInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_DEVICE_INFO (self), FALSE);
  return self->current;
}
