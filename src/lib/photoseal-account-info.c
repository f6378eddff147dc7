/* photoseal-account-info.c
 *
 * A key-server account, as the server describes it: a plain typed object, so that pages bind
 * it to widgets and never see the JSON it came from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-account-info"

#include "config.h"

#include "photoseal-account-info.h"
#include "photoseal-text.h"

struct _PhotosealAccountInfo
{
  GObject parent_instance;

  char *email;
  char *name;
  GDateTime *created;
};

G_DEFINE_FINAL_TYPE (PhotosealAccountInfo, photoseal_account_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_EMAIL,
  PROP_NAME,
  PROP_CREATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
photoseal_account_info_finalize (GObject *object)
{
  PhotosealAccountInfo *self = (PhotosealAccountInfo *) object;

  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);

  G_OBJECT_CLASS (photoseal_account_info_parent_class)->finalize (object);
}

static void
photoseal_account_info_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PhotosealAccountInfo *self = PHOTOSEAL_ACCOUNT_INFO (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_account_info_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  PhotosealAccountInfo *self = PHOTOSEAL_ACCOUNT_INFO (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      if (photoseal_set_string (&self->email, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_NAME:
      if (photoseal_set_string (&self->name, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_CREATED:
      g_clear_pointer (&self->created, g_date_time_unref);
      self->created = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_account_info_class_init (PhotosealAccountInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = photoseal_account_info_finalize;
  object_class->get_property = photoseal_account_info_get_property;
  object_class->set_property = photoseal_account_info_set_property;

  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, "The account email", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, "The name shown to recipients", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, "When the account was made", G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
photoseal_account_info_init (PhotosealAccountInfo *self)
{
}

const char *
photoseal_account_info_get_email (PhotosealAccountInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_ACCOUNT_INFO (self), NULL);
  return self->email;
}

const char *
photoseal_account_info_get_name (PhotosealAccountInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_ACCOUNT_INFO (self), NULL);
  return self->name;
}

GDateTime *
photoseal_account_info_get_created (PhotosealAccountInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_ACCOUNT_INFO (self), NULL);
  return self->created;
}
