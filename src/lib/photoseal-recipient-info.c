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
#include "photoseal-text.h"

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

enum {
  PROP_0,
  PROP_EMAIL,
  PROP_NAME,
  PROP_STATE,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
photoseal_recipient_info_finalize (GObject *object)
{
  PhotosealRecipientInfo *self = (PhotosealRecipientInfo *) object;

  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (photoseal_recipient_info_parent_class)->finalize (object);
}

static void
photoseal_recipient_info_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  PhotosealRecipientInfo *self = PHOTOSEAL_RECIPIENT_INFO (object);

  switch (prop_id)
    {
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_recipient_info_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  PhotosealRecipientInfo *self = PHOTOSEAL_RECIPIENT_INFO (object);

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

    case PROP_STATE:
      if (self->state != (PhotosealRecipientState) g_value_get_enum (value))
        {
          self->state = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_MESSAGE:
      if (photoseal_set_string (&self->message, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_recipient_info_class_init (PhotosealRecipientInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = photoseal_recipient_info_finalize;
  object_class->get_property = photoseal_recipient_info_get_property;
  object_class->set_property = photoseal_recipient_info_set_property;

  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, "The address, normalised by the server (as given when "
                         "invalid)", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, "The account's name, when it has one", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, "What the server knows of this address",
                       PHOTOSEAL_TYPE_RECIPIENT_STATE, PHOTOSEAL_RECIPIENT_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, "Why an entry is not an address", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
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
