/* photoseal-audit-event.h: one entry of a key's audit trail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_AUDIT_EVENT (photoseal_audit_event_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealAuditEvent, photoseal_audit_event, PHOTOSEAL, AUDIT_EVENT, GObject)

GDateTime *  photoseal_audit_event_get_at      (PhotosealAuditEvent *self);
const char * photoseal_audit_event_get_action  (PhotosealAuditEvent *self);
const char * photoseal_audit_event_get_actor   (PhotosealAuditEvent *self);
const char * photoseal_audit_event_get_address (PhotosealAuditEvent *self);

G_END_DECLS
