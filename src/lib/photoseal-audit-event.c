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
#include "photoseal-info-fields.h"

struct _PhotosealAuditEvent
{
  GObject parent_instance;

  GDateTime *at;
  char *action;
  char *actor;
  char *address;
};

G_DEFINE_FINAL_TYPE (PhotosealAuditEvent, photoseal_audit_event, G_TYPE_OBJECT)

static const PhotosealInfoField fields[] = {
  PHOTOSEAL_INFO_FIELD (PhotosealAuditEvent, at, "at", TIME, "When it happened"),
  PHOTOSEAL_INFO_FIELD (PhotosealAuditEvent, action, "action", STRING,
                        "create, release, deny, revoke or update"),
  PHOTOSEAL_INFO_FIELD (PhotosealAuditEvent, actor, "actor", STRING,
                        "The account email, or access-code"),
  PHOTOSEAL_INFO_FIELD (PhotosealAuditEvent, address, "address", STRING,
                        "The client's network address"),
};

static void
photoseal_audit_event_class_init (PhotosealAuditEventClass *klass)
{
  photoseal_info_fields_install (G_OBJECT_CLASS (klass), fields, G_N_ELEMENTS (fields));
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
