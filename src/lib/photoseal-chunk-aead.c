/* photoseal-chunk-aead.c
 *
 * The bulk of every seal and open is ChaCha20-Poly1305 over 64 KiB chunks.
 * OpenSSL's libcrypto has AVX2 and AVX-512 code for it, about three times
 * libsodium 1.0.18's speed on such CPUs, so the chunks go through its EVP
 * interface; libsodium does everything else. The bytes are identical (IETF
 * ChaCha20-Poly1305), which test-format checks chunk by chunk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-chunk-aead"

#include "config.h"

#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "photoseal-chunk-aead.h"

G_STATIC_ASSERT (PHOTOSEAL_CHUNK_KEY_SIZE == crypto_aead_chacha20poly1305_ietf_KEYBYTES);
G_STATIC_ASSERT (PHOTOSEAL_CHUNK_NONCE_SIZE == crypto_aead_chacha20poly1305_ietf_NPUBBYTES);
G_STATIC_ASSERT (PHOTOSEAL_CHUNK_TAG_SIZE == crypto_aead_chacha20poly1305_ietf_ABYTES);

/* Fetched once: an implicit fetch on every init takes a lock shared by
 * all the workers. */
static EVP_CIPHER *
get_cipher (void)
{
  static EVP_CIPHER *cipher;

  if (g_once_init_enter (&cipher))
    {
      EVP_CIPHER *fetched = EVP_CIPHER_fetch (NULL, "ChaCha20-Poly1305", NULL);

      if (fetched == NULL)
        g_error ("libcrypto has no ChaCha20-Poly1305");
      g_once_init_leave (&cipher, fetched);
    }
  return cipher;
}

static gboolean
libcrypto_crypt (gboolean      seal,
                 const guint8 *key,
                 const guint8 *nonce,
                 const guint8 *in,
                 gsize         len,
                 guint8       *out)
{
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
  guint8 *tag = seal ? out + len : (guint8 *) in + len;
  int n = 0;
  int last = 0;
  gboolean ok;

  g_assert (ctx != NULL && len <= G_MAXINT);

  ok = EVP_CipherInit_ex2 (ctx, get_cipher (), key, nonce, seal, NULL) == 1
       && (seal || EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_AEAD_SET_TAG,
                                        PHOTOSEAL_CHUNK_TAG_SIZE, tag) == 1)
       && EVP_CipherUpdate (ctx, out, &n, in, (int) len) == 1
       && EVP_CipherFinal_ex (ctx, out + n, &last) == 1
       && (!seal || EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_AEAD_GET_TAG,
                                         PHOTOSEAL_CHUNK_TAG_SIZE, tag) == 1);
  EVP_CIPHER_CTX_free (ctx);
  return ok;
}

/**
 * photoseal_chunk_aead_crypt:
 * @seal: encrypt @in (@in_len bytes, @out gets 16 more), or decrypt it
 *   (@in_len includes the tag, @out gets 16 fewer)
 * @key: 32 bytes
 * @nonce: 12 bytes
 *
 * On a failed decryption @out is zeroed: libcrypto writes the plaintext
 * before it checks the tag, and unauthenticated bytes must not linger.
 */
gboolean
photoseal_chunk_aead_crypt (PhotosealChunkAead  backend,
                            gboolean            seal,
                            const guint8       *key,
                            const guint8       *nonce,
                            const guint8       *in,
                            gsize               in_len,
                            guint8             *out)
{
  gsize len;
  gboolean ok;

  if (!seal && in_len < PHOTOSEAL_CHUNK_TAG_SIZE)
    return FALSE;
  len = seal ? in_len : in_len - PHOTOSEAL_CHUNK_TAG_SIZE;

  if (backend == PHOTOSEAL_CHUNK_AEAD_LIBCRYPTO)
    ok = libcrypto_crypt (seal, key, nonce, in, len, out);
  else if (seal)
    ok = crypto_aead_chacha20poly1305_ietf_encrypt (out, NULL, in, len, NULL, 0, NULL,
                                                    nonce, key) == 0;
  else
    ok = crypto_aead_chacha20poly1305_ietf_decrypt (out, NULL, NULL, in, in_len, NULL, 0,
                                                    nonce, key) == 0;

  if (!ok && !seal)
    sodium_memzero (out, len);
  return ok;
}
