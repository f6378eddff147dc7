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
#include "photoseal-info-fields.h"

struct _PhotosealAccountInfo
{
  GObject parent_instance;

  char *email;
  char *name;
  GDateTime *created;
};

G_DEFINE_FINAL_TYPE (PhotosealAccountInfo, photoseal_account_info, G_TYPE_OBJECT)

static const PhotosealInfoField fields[] = {
  PHOTOSEAL_INFO_FIELD (PhotosealAccountInfo, email, "email", STRING, "The account email"),
  PHOTOSEAL_INFO_FIELD (PhotosealAccountInfo, name, "name", STRING,
                        "The name shown to recipients"),
  PHOTOSEAL_INFO_FIELD (PhotosealAccountInfo, created, "created", TIME,
                        "When the account was made"),
};

static void
photoseal_account_info_class_init (PhotosealAccountInfoClass *klass)
{
  photoseal_info_fields_install (G_OBJECT_CLASS (klass), fields, G_N_ELEMENTS (fields));
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
