/* photoseal-protocol.h: the byte strings the key server and its clients
 * both build, sign or parse (DESIGN §3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PHOTOSEAL_KEY_ID_SIZE 16
/* 22 characters of unpadded base64url, and the terminating NUL. */
#define PHOTOSEAL_KEY_ID_TEXT_SIZE 23
#define PHOTOSEAL_PROTOCOL_NONCE_SIZE 16
#define PHOTOSEAL_PROTOCOL_PUBLIC_KEY_SIZE 32
#define PHOTOSEAL_PROTOCOL_SIGNATURE_SIZE 64

#define PHOTOSEAL_PROTOCOL_RELEASE_LABEL "photoseal/v1/release"
#define PHOTOSEAL_PROTOCOL_REQUEST_LABEL "photoseal/v1/request"

/* label ‖ key id ‖ ephemeral public key ‖ timestamp ‖ nonce */
#define PHOTOSEAL_PROTOCOL_RELEASE_MESSAGE_SIZE \
  (sizeof PHOTOSEAL_PROTOCOL_RELEASE_LABEL - 1 + PHOTOSEAL_KEY_ID_SIZE \
   + PHOTOSEAL_PROTOCOL_PUBLIC_KEY_SIZE + 8 + PHOTOSEAL_PROTOCOL_NONCE_SIZE)

/* The request-signature headers of DESIGN "Request signatures". */
#define PHOTOSEAL_PROTOCOL_TIMESTAMP_HEADER "Photoseal-Timestamp"
#define PHOTOSEAL_PROTOCOL_NONCE_HEADER "Photoseal-Nonce"
#define PHOTOSEAL_PROTOCOL_SIGNATURE_HEADER "Photoseal-Signature"

gboolean  photoseal_key_id_decode                    (const char   *key_id,
                                                      guint8       *raw);
void      photoseal_key_id_encode                    (const guint8 *raw,
                                                      char         *key_id);

void      photoseal_protocol_release_message         (const guint8 *raw_key_id,
                                                      const guint8 *ephemeral_public_key,
                                                      gint64        timestamp,
                                                      const guint8 *nonce,
                                                      guint8       *message);
GBytes   *photoseal_protocol_request_message         (const char   *method,
                                                      const char   *target,
                                                      GBytes       *body,
                                                      gint64        timestamp,
                                                      const guint8 *nonce);

G_END_DECLS
