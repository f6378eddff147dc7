/* photoseal-server-key-recipient.h: the photoseal stanza, sealing side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-protocol.h"
#include "photoseal-recipient.h"

G_BEGIN_DECLS

#define PHOTOSEAL_SERVER_KEY_SIZE 32
#define PHOTOSEAL_SERVER_KEY_STANZA_TYPE "photoseal"
#define PHOTOSEAL_SERVER_KEY_LABEL "photoseal.v1/keyserver"

#define PHOTOSEAL_TYPE_SERVER_KEY_RECIPIENT (photoseal_server_key_recipient_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealServerKeyRecipient, photoseal_server_key_recipient,
                      PHOTOSEAL, SERVER_KEY_RECIPIENT, GObject)

PhotosealServerKeyRecipient *photoseal_server_key_recipient_new (const char   *key_id,
                                                                 const char   *origin,
                                                                 const guint8 *server_key,
                                                                 GError      **error);

void photoseal_server_key_derive (const guint8 *server_key,
                                  const guint8 *raw_key_id,
                                  guint8       *wrap_key);

G_END_DECLS
