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
#include "photoseal-text.h"

struct _PhotosealDeviceInfo
{
  GObject parent_instance;

  char *id;
  char *name;
  GDateTime *expires;
  gboolean current;
};

G_DEFINE_FINAL_TYPE (PhotosealDeviceInfo, photoseal_device_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_EXPIRES,
  PROP_CURRENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
photoseal_device_info_finalize (GObject *object)
{
  PhotosealDeviceInfo *self = (PhotosealDeviceInfo *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->expires, g_date_time_unref);

  G_OBJECT_CLASS (photoseal_device_info_parent_class)->finalize (object);
}

static void
photoseal_device_info_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PhotosealDeviceInfo *self = PHOTOSEAL_DEVICE_INFO (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_EXPIRES:
      g_value_set_boxed (value, self->expires);
      break;

    case PROP_CURRENT:
      g_value_set_boolean (value, self->current);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_device_info_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PhotosealDeviceInfo *self = PHOTOSEAL_DEVICE_INFO (object);

  switch (prop_id)
    {
    case PROP_ID:
      if (photoseal_set_string (&self->id, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_NAME:
      if (photoseal_set_string (&self->name, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_EXPIRES:
      g_clear_pointer (&self->expires, g_date_time_unref);
      self->expires = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_CURRENT:
      if (self->current != g_value_get_boolean (value))
        {
          self->current = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_device_info_class_init (PhotosealDeviceInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = photoseal_device_info_finalize;
  object_class->get_property = photoseal_device_info_get_property;
  object_class->set_property = photoseal_device_info_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, "The server's id for the device", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, "The name the device gave at sign-in", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRES] =
    g_param_spec_boxed ("expires", NULL, "When its latest session ends", G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT] =
    g_param_spec_boolean ("current", NULL, "Whether it is the asking device", FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
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
