/* photoseal-server-key-identity.h: the photoseal stanza, opening side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-identity.h"
#include "photoseal-server-key-recipient.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_SERVER_KEY_IDENTITY (photoseal_server_key_identity_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealServerKeyIdentity, photoseal_server_key_identity,
                      PHOTOSEAL, SERVER_KEY_IDENTITY, GObject)

PhotosealServerKeyIdentity *photoseal_server_key_identity_new (const char   *key_id,
                                                               const guint8 *server_key);

gboolean photoseal_server_key_stanza_parse (const PhotosealStanza *stanza,
                                            char                 **key_id,
                                            char                 **origin,
                                            GError               **error);

G_END_DECLS
