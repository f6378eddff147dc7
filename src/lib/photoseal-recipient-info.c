/* photoseal-recipient-info.c
 *
 * What the key server says about one recipient: whether the address has
 * an account (and its name), or what happens to someone without one. A
 * recipient lookup answers a list of these before sealing, and a key's
 * creation or change answers whether invitations went out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-recipient-info"

#include "config.h"

#include "photoseal-recipient-info.h"
#include "photoseal-info-fields.h"

struct _PhotosealRecipientInfo
{
  GObject parent_instance;

  char *email;
  char *name;
  PhotosealRecipientState state;
  char *message;
};

G_DEFINE_FINAL_TYPE (PhotosealRecipientInfo, photoseal_recipient_info, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PhotosealRecipientState, photoseal_recipient_state,
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_RECIPIENT_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_RECIPIENT_ACCOUNT, "account"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_RECIPIENT_INVITABLE, "invitable"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_RECIPIENT_NO_ACCOUNT, "no_account"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_RECIPIENT_INVITED, "invited"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_RECIPIENT_NOT_SENT, "not_sent"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_RECIPIENT_INVALID, "invalid"))

static const PhotosealInfoField fields[] = {
  PHOTOSEAL_INFO_FIELD (PhotosealRecipientInfo, email, "email", STRING,
                        "The address, normalised by the server (as given when invalid)"),
  PHOTOSEAL_INFO_FIELD (PhotosealRecipientInfo, name, "name", STRING,
                        "The account's name, when it has one"),
  PHOTOSEAL_INFO_ENUM_FIELD (PhotosealRecipientInfo, state, "state",
                             photoseal_recipient_state_get_type,
                             "What the server knows of this address"),
  PHOTOSEAL_INFO_FIELD (PhotosealRecipientInfo, message, "message", STRING,
                        "Why an entry is not an address"),
};

static void
photoseal_recipient_info_class_init (PhotosealRecipientInfoClass *klass)
{
  photoseal_info_fields_install (G_OBJECT_CLASS (klass), fields, G_N_ELEMENTS (fields));
}

static void
photoseal_recipient_info_init (PhotosealRecipientInfo *self)
{
}

const char *
photoseal_recipient_info_get_email (PhotosealRecipientInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_RECIPIENT_INFO (self), NULL);
  return self->email;
}

const char *
photoseal_recipient_info_get_name (PhotosealRecipientInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_RECIPIENT_INFO (self), NULL);
  return self->name;
}

PhotosealRecipientState
photoseal_recipient_info_get_state (PhotosealRecipientInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_RECIPIENT_INFO (self), PHOTOSEAL_RECIPIENT_UNKNOWN);
  return self->state;
}

const char *
photoseal_recipient_info_get_message (PhotosealRecipientInfo *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_RECIPIENT_INFO (self), NULL);
  return self->message;
}

/**
 * photoseal_recipient_state_from_string:
 * @text: a state as the key server spells it ("account", "no_account", …)
 *
 * Returns: %FALSE when @text is no state this library knows
 */
gboolean
photoseal_recipient_state_from_string (const char              *text,
                                       PhotosealRecipientState *state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (PHOTOSEAL_TYPE_RECIPIENT_STATE);
  GEnumValue *value = text ? g_enum_get_value_by_nick (klass, text) : NULL;

  if (value == NULL)
    return FALSE;
  *state = value->value;
  return TRUE;
}
