/* photoseal-keyserver-replies.h: key-server JSON answers into typed objects
 *
 * Internal to libphotoseal: callers get the objects, never the JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "photoseal-account-info.h"
#include "photoseal-audit-event.h"
#include "photoseal-device-info.h"
#include "photoseal-key-info.h"
#include "photoseal-recipient-info.h"

G_BEGIN_DECLS

PhotosealAccountInfo *photoseal_account_info_from_reply (JsonNode  *reply,
                                                         GError   **error);
PhotosealKeyInfo     *photoseal_key_info_from_reply     (JsonNode  *reply,
                                                         GError   **error);
GListModel           *photoseal_key_list_from_reply     (JsonNode  *reply,
                                                         GError   **error);
GListModel           *photoseal_event_list_from_reply   (JsonNode  *reply,
                                                         GError   **error);
GListModel           *photoseal_recipient_list_from_reply (JsonNode  *reply,
                                                           gboolean   required,
                                                           GError   **error);
GListModel           *photoseal_device_list_from_reply  (JsonNode  *reply,
                                                         GError   **error);

G_END_DECLS
