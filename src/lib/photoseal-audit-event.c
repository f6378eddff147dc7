/* photoseal-audit-event.c
 *
 * One entry of a key's audit trail: a plain typed object, so that pages bind
 * it to widgets and never see the JSON it came from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-audit-event"

#include "config.h"

#include "photoseal-audit-event.h"
#include "photoseal-text.h"

struct _PhotosealAuditEvent
{
  GObject parent_instance;

  GDateTime *at;
  char *action;
  char *actor;
  char *address;
};

G_DEFINE_FINAL_TYPE (PhotosealAuditEvent, photoseal_audit_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AT,
  PROP_ACTION,
  PROP_ACTOR,
  PROP_ADDRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
photoseal_audit_event_finalize (GObject *object)
{
  PhotosealAuditEvent *self = (PhotosealAuditEvent *) object;

  g_clear_pointer (&self->at, g_date_time_unref);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->address, g_free);

  G_OBJECT_CLASS (photoseal_audit_event_parent_class)->finalize (object);
}

static void
photoseal_audit_event_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PhotosealAuditEvent *self = PHOTOSEAL_AUDIT_EVENT (object);

  switch (prop_id)
    {
    case PROP_AT:
      g_value_set_boxed (value, self->at);
      break;

    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;

    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;

    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_audit_event_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PhotosealAuditEvent *self = PHOTOSEAL_AUDIT_EVENT (object);

  switch (prop_id)
    {
    case PROP_AT:
      g_clear_pointer (&self->at, g_date_time_unref);
      self->at = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_ACTION:
      if (photoseal_set_string (&self->action, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_ACTOR:
      if (photoseal_set_string (&self->actor, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_ADDRESS:
      if (photoseal_set_string (&self->address, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_audit_event_class_init (PhotosealAuditEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = photoseal_audit_event_finalize;
  object_class->get_property = photoseal_audit_event_get_property;
  object_class->set_property = photoseal_audit_event_set_property;

  properties[PROP_AT] =
    g_param_spec_boxed ("at", NULL, "When it happened", G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTION] =
    g_param_spec_string ("action", NULL, "create, release, deny, revoke or update", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, "The account email, or access-code", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, "The client's network address", NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
photoseal_audit_event_init (PhotosealAuditEvent *self)
{
}

GDateTime *
photoseal_audit_event_get_at (PhotosealAuditEvent *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_AUDIT_EVENT (self), NULL);
  return self->at;
}

const char *
photoseal_audit_event_get_action (PhotosealAuditEvent *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_AUDIT_EVENT (self), NULL);
  return self->action;
}

const char *
photoseal_audit_event_get_actor (PhotosealAuditEvent *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_AUDIT_EVENT (self), NULL);
  return self->actor;
}

const char *
photoseal_audit_event_get_address (PhotosealAuditEvent *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_AUDIT_EVENT (self), NULL);
  return self->address;
}
