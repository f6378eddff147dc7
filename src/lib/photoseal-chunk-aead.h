/* photoseal-chunk-aead.h: ChaCha20-Poly1305 for one STREAM chunk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PHOTOSEAL_CHUNK_KEY_SIZE 32
#define PHOTOSEAL_CHUNK_NONCE_SIZE 12
#define PHOTOSEAL_CHUNK_TAG_SIZE 16

/* Both give the same bytes: IETF ChaCha20-Poly1305, no associated data. */
typedef enum
{
  PHOTOSEAL_CHUNK_AEAD_LIBCRYPTO,
  PHOTOSEAL_CHUNK_AEAD_LIBSODIUM,
} PhotosealChunkAead;

/* What the payload uses; the other backend stays for the unit test. */
#define PHOTOSEAL_CHUNK_AEAD_DEFAULT PHOTOSEAL_CHUNK_AEAD_LIBCRYPTO

gboolean photoseal_chunk_aead_crypt (PhotosealChunkAead  backend,
                                     gboolean            seal,
                                     const guint8       *key,
                                     const guint8       *nonce,
                                     const guint8       *in,
                                     gsize               in_len,
                                     guint8             *out);

G_END_DECLS
