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
#include "photoseal-text.h"
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
};

G_DEFINE_FINAL_TYPE (PhotosealKeyInfo, photoseal_key_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY_ID,
  PROP_STATUS,
  PROP_CREATED,
  PROP_EXPIRES,
  PROP_REVOKED,
  PROP_RECIPIENTS,
  PROP_HAS_ACCESS_CODE,
  PROP_RELEASES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
photoseal_key_info_finalize (GObject *object)
{
  PhotosealKeyInfo *self = (PhotosealKeyInfo *) object;

  g_clear_pointer (&self->key_id, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->expires, g_date_time_unref);
  g_clear_pointer (&self->revoked, g_date_time_unref);
  g_clear_pointer (&self->recipients, g_strfreev);

  G_OBJECT_CLASS (photoseal_key_info_parent_class)->finalize (object);
}

static void
photoseal_key_info_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PhotosealKeyInfo *self = PHOTOSEAL_KEY_INFO (object);

  switch (prop_id)
    {
    case PROP_KEY_ID:
      g_value_set_string (value, self->key_id);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;

    case PROP_EXPIRES:
      g_value_set_boxed (value, self->expires);
      break;

    case PROP_REVOKED:
      g_value_set_boxed (value, self->revoked);
      break;

    case PROP_RECIPIENTS:
      g_value_set_boxed (value, self->recipients);
      break;

    case PROP_HAS_ACCESS_CODE:
      g_value_set_boolean (value, self->has_access_code);
      break;

    case PROP_RELEASES:
      g_value_set_int64 (value, self->releases);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_key_info_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PhotosealKeyInfo *self = PHOTOSEAL_KEY_INFO (object);

  switch (prop_id)
    {
    case PROP_KEY_ID:
      if (photoseal_set_string (&self->key_id, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_STATUS:
      if (photoseal_set_string (&self->status, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_CREATED:
      g_clear_pointer (&self->created, g_date_time_unref);
      self->created = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_EXPIRES:
      g_clear_pointer (&self->expires, g_date_time_unref);
      self->expires = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_REVOKED:
      g_clear_pointer (&self->revoked, g_date_time_unref);
      self->revoked = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_RECIPIENTS:
      g_clear_pointer (&self->recipients, g_strfreev);
      self->recipients = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_HAS_ACCESS_CODE:
      if (self->has_access_code != g_value_get_boolean (value))
        {
          self->has_access_code = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_RELEASES:
      if (self->releases != g_value_get_int64 (value))
        {
          self->releases = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_key_info_class_init (PhotosealKeyInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = photoseal_key_info_finalize;
  object_class->get_property = photoseal_key_info_get_property;
  object_class->set_property = photoseal_key_info_set_property;

  properties[PROP_KEY_ID] =
    g_param_spec_string ("key-id", NULL, "The key id", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, "active, expired or revoked", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, "When the key was made", G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRES] =
    g_param_spec_boxed ("expires", NULL, "When it stops being released; NULL for never",
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVOKED] =
    g_param_spec_boxed ("revoked", NULL, "When it was revoked, or NULL", G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECIPIENTS] =
    g_param_spec_boxed ("recipients", NULL, "Emails of the people who may open the file",
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_ACCESS_CODE] =
    g_param_spec_boolean ("has-access-code", NULL, "Whether a code opens it", FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RELEASES] =
    g_param_spec_int64 ("releases", NULL, "How often the key was released", 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
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
