/* photoseal-crypto.h: small primitives on top of libsodium
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PHOTOSEAL_FILE_KEY_SIZE 16

/* The kernel copies between a user buffer and the page cache at a quarter
 * of the speed when the two are misaligned to each other within a cache
 * line (measured on AMD EPYC). I/O buffers are therefore page-aligned
 * (g_aligned_alloc() with this alignment, g_aligned_free()), and streams
 * whose file position is not a multiple of the line place their data at
 * PHOTOSEAL_IO_SHIFT (position) into a buffer with PHOTOSEAL_IO_LINE spare
 * bytes, so that buffer and file line up. */
#define PHOTOSEAL_IO_ALIGNMENT 4096
#define PHOTOSEAL_IO_LINE 64
#define PHOTOSEAL_IO_SHIFT(position) ((gsize) ((position) % PHOTOSEAL_IO_LINE))

typedef guint8 PhotosealIoBuffer;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealIoBuffer, g_aligned_free)

void      photoseal_crypto_init            (void);
void      photoseal_hkdf_sha256            (guint8       *out,
                                            gsize         out_len,
                                            const guint8 *ikm,
                                            gsize         ikm_len,
                                            const guint8 *salt,
                                            gsize         salt_len,
                                            const char   *info);
gboolean  photoseal_base64_decode          (const char   *text,
                                            gsize         text_len,
                                            guint8       *out,
                                            gsize         out_max,
                                            gsize        *out_len);
char     *photoseal_base64_encode          (const guint8 *data,
                                            gsize         len);
gboolean  photoseal_wrap_file_key          (const guint8 *wrap_key,
                                            const guint8 *file_key,
                                            guint8       *body);
gboolean  photoseal_unwrap_file_key        (const guint8 *wrap_key,
                                            const guint8 *body,
                                            gsize         body_len,
                                            guint8       *file_key);

G_END_DECLS
