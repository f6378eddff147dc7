/* photoseal-payload.h: the age STREAM payload, in parallel batches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PHOTOSEAL_CHUNK_SIZE 65536
#define PHOTOSEAL_TAG_SIZE 16
#define PHOTOSEAL_SEALED_CHUNK_SIZE (PHOTOSEAL_CHUNK_SIZE + PHOTOSEAL_TAG_SIZE)
#define PHOTOSEAL_PAYLOAD_NONCE_SIZE 16
/* Chunks handled per batch: 1 MiB, enough to keep every core busy while
 * the memory used stays small and constant. */
#define PHOTOSEAL_BATCH_CHUNKS 16

typedef struct _PhotosealPayloadCipher PhotosealPayloadCipher;

PhotosealPayloadCipher *photoseal_payload_cipher_new   (const guint8           *file_key,
                                                        const guint8           *nonce);
void                    photoseal_payload_cipher_free  (PhotosealPayloadCipher *self);
gsize                   photoseal_payload_cipher_seal  (PhotosealPayloadCipher *self,
                                                        const guint8           *in,
                                                        gsize                   len,
                                                        gboolean                final,
                                                        guint8                 *out);
gboolean                photoseal_payload_cipher_open  (PhotosealPayloadCipher *self,
                                                        const guint8           *in,
                                                        gsize                   len,
                                                        gboolean                at_end,
                                                        guint8                 *out,
                                                        gsize                  *out_len,
                                                        gboolean               *finished,
                                                        GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealPayloadCipher, photoseal_payload_cipher_free)

G_END_DECLS
