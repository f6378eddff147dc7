/* photoseal-protocol.c
 *
 * One definition of every byte string that both ends of the key-server
 * protocol build or check: the client signs with these functions and the
 * server verifies with the same ones, so the two can never drift apart
 * (DESIGN §3, "Request signatures").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-protocol"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-protocol.h"

/**
 * photoseal_key_id_decode:
 * @key_id: (nullable): text from a stanza, a URL path or a JSON body
 * @raw: (out caller-allocates) (optional): %PHOTOSEAL_KEY_ID_SIZE bytes
 *
 * A key id is the unpadded base64url of 16 bytes, exactly 22 characters.
 * With @raw %NULL this only checks that @key_id is one.
 */
gboolean
photoseal_key_id_decode (const char *key_id,
                         guint8     *raw)
{
  guint8 scratch[PHOTOSEAL_KEY_ID_SIZE];
  const char *end = NULL;
  size_t len = 0;
  gboolean ok;

  if (key_id == NULL || strlen (key_id) != PHOTOSEAL_KEY_ID_TEXT_SIZE - 1)
    return FALSE;
  ok = sodium_base642bin (scratch, sizeof scratch, key_id, PHOTOSEAL_KEY_ID_TEXT_SIZE - 1, NULL,
                          &len, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0
       && *end == '\0' && len == sizeof scratch;
  if (ok && raw != NULL)
    memcpy (raw, scratch, sizeof scratch);
  return ok;
}

/**
 * photoseal_key_id_encode:
 * @raw: %PHOTOSEAL_KEY_ID_SIZE bytes
 * @key_id: (out caller-allocates): %PHOTOSEAL_KEY_ID_TEXT_SIZE characters
 */
void
photoseal_key_id_encode (const guint8 *raw,
                         char         *key_id)
{
  sodium_bin2base64 (key_id, PHOTOSEAL_KEY_ID_TEXT_SIZE, raw, PHOTOSEAL_KEY_ID_SIZE,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static guint8 *
put_be64 (guint8 *p,
          gint64  value)
{
  for (guint i = 0; i < 8; i++)
    *p++ = (guint64) value >> (56 - 8 * i);
  return p;
}

/**
 * photoseal_protocol_release_message:
 * @raw_key_id: %PHOTOSEAL_KEY_ID_SIZE bytes
 * @ephemeral_public_key: the X25519 key the answer is sealed to, 32 bytes
 * @timestamp: Unix seconds
 * @nonce: %PHOTOSEAL_PROTOCOL_NONCE_SIZE random bytes
 * @message: (out caller-allocates): %PHOTOSEAL_PROTOCOL_RELEASE_MESSAGE_SIZE bytes
 *
 * The bytes a device key signs for a release: "photoseal/v1/release" ‖
 * key id ‖ ephemeral public key ‖ timestamp (big-endian) ‖ nonce.
 */
void
photoseal_protocol_release_message (const guint8 *raw_key_id,
                                    const guint8 *ephemeral_public_key,
                                    gint64        timestamp,
                                    const guint8 *nonce,
                                    guint8       *message)
{
  guint8 *p = message;

  memcpy (p, PHOTOSEAL_PROTOCOL_RELEASE_LABEL, sizeof PHOTOSEAL_PROTOCOL_RELEASE_LABEL - 1);
  p += sizeof PHOTOSEAL_PROTOCOL_RELEASE_LABEL - 1;
  memcpy (p, raw_key_id, PHOTOSEAL_KEY_ID_SIZE);
  p += PHOTOSEAL_KEY_ID_SIZE;
  memcpy (p, ephemeral_public_key, PHOTOSEAL_PROTOCOL_PUBLIC_KEY_SIZE);
  p = put_be64 (p + PHOTOSEAL_PROTOCOL_PUBLIC_KEY_SIZE, timestamp);
  memcpy (p, nonce, PHOTOSEAL_PROTOCOL_NONCE_SIZE);
}

/**
 * photoseal_protocol_request_message:
 * @method: "POST", "PATCH", "DELETE"…
 * @target: the request target exactly as sent: path and query
 * @body: (nullable): the body exactly as sent, %NULL for none
 * @timestamp: Unix seconds
 * @nonce: %PHOTOSEAL_PROTOCOL_NONCE_SIZE random bytes
 *
 * The bytes a device key signs for a state-changing request (v1.1):
 * "photoseal/v1/request" ‖ method ‖ 0x00 ‖ target ‖ 0x00 ‖ SHA-256 (body) ‖
 * timestamp (big-endian) ‖ nonce.
 *
 * Returns: (transfer full): the message
 */
GBytes *
photoseal_protocol_request_message (const char   *method,
                                    const char   *target,
                                    GBytes       *body,
                                    gint64        timestamp,
                                    const guint8 *nonce)
{
  gsize method_len, target_len, size, body_len = 0;
  const guint8 *body_data;
  guint8 *message, *p;

  g_return_val_if_fail (method != NULL && target != NULL && nonce != NULL, NULL);

  method_len = strlen (method);
  target_len = strlen (target);
  size = sizeof PHOTOSEAL_PROTOCOL_REQUEST_LABEL - 1 + method_len + 1 + target_len + 1
         + crypto_hash_sha256_BYTES + 8 + PHOTOSEAL_PROTOCOL_NONCE_SIZE;
  body_data = body ? g_bytes_get_data (body, &body_len) : NULL;
  message = p = g_malloc (size);
  memcpy (p, PHOTOSEAL_PROTOCOL_REQUEST_LABEL, sizeof PHOTOSEAL_PROTOCOL_REQUEST_LABEL - 1);
  p += sizeof PHOTOSEAL_PROTOCOL_REQUEST_LABEL - 1;
  memcpy (p, method, method_len + 1);
  p += method_len + 1;
  memcpy (p, target, target_len + 1);
  p += target_len + 1;
  crypto_hash_sha256 (p, body_len > 0 ? body_data : (const guint8 *) "", body_len);
  p = put_be64 (p + crypto_hash_sha256_BYTES, timestamp);
  memcpy (p, nonce, PHOTOSEAL_PROTOCOL_NONCE_SIZE);
  return g_bytes_new_take (message, size);
}
