/* photoseal-key-info.c
 *
 * One key the signed-in account made on a key server: a plain typed object, so that pages bind
 * it to widgets and never see the JSON it came from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-key-info"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "photoseal-address.h"
#include "photoseal-key-info.h"
#include "photoseal-info-fields.h"
#include "photoseal-validate.h"

struct _PhotosealKeyInfo
{
  GObject parent_instance;

  char *key_id;
  char *status;
  GDateTime *created;
  GDateTime *expires;
  GDateTime *revoked;
  char **recipients;
  gboolean has_access_code;
  gint64 releases;
  GListModel *recipient_states;
};

G_DEFINE_FINAL_TYPE (PhotosealKeyInfo, photoseal_key_info, G_TYPE_OBJECT)

static const PhotosealInfoField fields[] = {
  PHOTOSEAL_INFO_FIELD (PhotosealKeyInfo, key_id, "key-id", STRING, "The key id"),
  PHOTOSEAL_INFO_FIELD (PhotosealKeyInfo, status, "status", STRING,
                        "active, expired or revoked"),
  PHOTOSEAL_INFO_FIELD (PhotosealKeyInfo, created, "created", TIME, "When the key was made"),
  PHOTOSEAL_INFO_FIELD (PhotosealKeyInfo, expires, "expires", TIME,
                        "When it stops being released; NULL for never"),
  PHOTOSEAL_INFO_FIELD (PhotosealKeyInfo, revoked, "revoked", TIME,
                        "When it was revoked, or NULL"),
  PHOTOSEAL_INFO_FIELD (PhotosealKeyInfo, recipients, "recipients", STRV,
                        "Emails of the people who may open the file"),
  PHOTOSEAL_INFO_FIELD (PhotosealKeyInfo, has_access_code, "has-access-code", BOOLEAN,
                        "Whether a code opens it"),
  PHOTOSEAL_INFO_FIELD (PhotosealKeyInfo, releases, "releases", COUNT,
                        "How often the key was released"),
  PHOTOSEAL_INFO_FIELD (PhotosealKeyInfo, recipient_states, "recipient-states", LIST,
                        "What a change did for each recipient, or NULL"),
};

static void
photoseal_key_info_class_init (PhotosealKeyInfoClass *klass)
{
  photoseal_info_fields_install (G_OBJECT_CLASS (klass), fields, G_N_ELEMENTS (fields));
}

static void
photoseal_key_info_init (PhotosealKeyInfo *self)
{
}

const char *
photoseal_key_info_get_key_id (PhotosealKeyInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEY_INFO (self), NULL);
  return self->key_id;
}

const char *
photoseal_key_info_get_status (PhotosealKeyInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEY_INFO (self), NULL);
  return self->status;
}

GDateTime *
photoseal_key_info_get_created (PhotosealKeyInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEY_INFO (self), NULL);
  return self->created;
}

GDateTime *
photoseal_key_info_get_expires (PhotosealKeyInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEY_INFO (self), NULL);
  return self->expires;
}

GDateTime *
photoseal_key_info_get_revoked (PhotosealKeyInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEY_INFO (self), NULL);
  return self->revoked;
}

const char * const *
photoseal_key_info_get_recipients (PhotosealKeyInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEY_INFO (self), NULL);
  return (const char * const *) self->recipients;
}

gboolean
photoseal_key_info_get_has_access_code (PhotosealKeyInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEY_INFO (self), FALSE);
  return self->has_access_code;
}

gint64
photoseal_key_info_get_releases (PhotosealKeyInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEY_INFO (self), 0);
  return self->releases;
}

/**
 * photoseal_key_info_get_recipient_states:
 *
 * Returns: (transfer none) (nullable): after a change of the recipients,
 *   a #PhotosealRecipientInfo per recipient, in order: an account, invited
 *   (mailed an invitation), not sent (the mail failed) or no account;
 *   %NULL for a key that was only read
 */
GListModel *
photoseal_key_info_get_recipient_states (PhotosealKeyInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEY_INFO (self), NULL);
  return self->recipient_states;
}

static gboolean
normalize_all (const char * const *emails,
               GPtrArray          *out,
               GError            **error)
{
  for (guint i = 0; emails && emails[i]; i++)
    {
      char *email = photoseal_address_normalize (emails[i], error);

      if (email == NULL)
        return FALSE;
      g_ptr_array_add (out, email);
    }
  return TRUE;
}

static gboolean
holds (GPtrArray  *emails,
       const char *email)
{
  for (guint i = 0; i < emails->len; i++)
    if (g_ascii_strcasecmp (emails->pdata[i], email) == 0)
      return TRUE;
  return FALSE;
}

/**
 * photoseal_key_info_edit_recipients:
 * @add: (nullable): emails to add; one already there is kept once
 * @remove: (nullable): emails to remove; each must be a recipient
 *
 * The whole new list for photoseal_keyserver_client_update_key_async(),
 * since a PATCH replaces the list: read the key, edit, write it back.
 *
 * Returns: (transfer full) (nullable): the normalised recipients, or %NULL
 *   with %PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS (or _EMAIL)
 */
char **
photoseal_key_info_edit_recipients (PhotosealKeyInfo   *self,
                                    const char * const *add,
                                    const char * const *remove,
                                    GError            **error)
{
  g_autoptr(GPtrArray) current = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) adding = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) removing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) result = g_strv_builder_new ();

  g_return_val_if_fail (PHOTOSEAL_IS_KEY_INFO (self), NULL);

  for (const char * const *r = photoseal_key_info_get_recipients (self); r && *r; r++)
    g_ptr_array_add (current, g_strdup (*r));
  if (!normalize_all (add, adding, error) || !normalize_all (remove, removing, error))
    return NULL;
  for (guint i = 0; i < removing->len; i++)
    if (!holds (current, removing->pdata[i]))
      {
        g_set_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS,
                     _("%s is not a recipient of this file"), (char *) removing->pdata[i]);
        return NULL;
      }
  for (guint i = 0; i < current->len; i++)
    if (!holds (removing, current->pdata[i]))
      g_strv_builder_add (result, current->pdata[i]);
  for (guint i = 0; i < adding->len; i++)
    if (!holds (current, adding->pdata[i]) || holds (removing, adding->pdata[i]))
      g_strv_builder_add (result, adding->pdata[i]);
  return g_strv_builder_end (result);
}
