/* photoseal-crypto.c: HKDF, canonical base64 and key wrapping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-crypto"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-crypto.h"

/* A wrapped file key is ChaCha20-Poly1305 of the 16-byte file key under a
 * 32-byte wrap key with an all-zero nonce: every age stanza uses it. The
 * zero nonce is safe because each wrap key is used exactly once. */
#define WRAPPED_SIZE (PHOTOSEAL_FILE_KEY_SIZE + crypto_aead_chacha20poly1305_ietf_ABYTES)

void
photoseal_crypto_init (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      g_once_init_leave (&initialized, 1);
    }
}

static void
hmac_sha256 (guint8       *out,
             const guint8 *key,
             gsize         key_len,
             const guint8 *a,
             gsize         a_len,
             const guint8 *b,
             gsize         b_len,
             const guint8 *c,
             gsize         c_len)
{
  crypto_auth_hmacsha256_state state;

  crypto_auth_hmacsha256_init (&state, key, key_len);
  crypto_auth_hmacsha256_update (&state, a, a_len);
  crypto_auth_hmacsha256_update (&state, b, b_len);
  crypto_auth_hmacsha256_update (&state, c, c_len);
  crypto_auth_hmacsha256_final (&state, out);
  sodium_memzero (&state, sizeof state);
}

/**
 * photoseal_hkdf_sha256:
 *
 * HKDF-SHA256 (RFC 5869) written on libsodium's HMAC, as age specifies it.
 * An empty @salt means HashLen zero bytes, as the RFC says.
 */
void
photoseal_hkdf_sha256 (guint8       *out,
                       gsize         out_len,
                       const guint8 *ikm,
                       gsize         ikm_len,
                       const guint8 *salt,
                       gsize         salt_len,
                       const char   *info)
{
  static const guint8 zero_salt[crypto_auth_hmacsha256_BYTES];
  guint8 prk[crypto_auth_hmacsha256_BYTES];
  guint8 block[crypto_auth_hmacsha256_BYTES];
  gsize info_len = strlen (info);
  gsize done = 0;
  gsize block_len = 0;

  g_return_if_fail (out_len <= 255 * sizeof block);

  if (salt_len == 0)
    {
      salt = zero_salt;
      salt_len = sizeof zero_salt;
    }

  hmac_sha256 (prk, salt, salt_len, ikm, ikm_len, NULL, 0, NULL, 0);

  for (guint8 counter = 1; done < out_len; counter++)
    {
      gsize n;

      hmac_sha256 (block, prk, sizeof prk,
                   block, block_len,
                   (const guint8 *) info, info_len,
                   &counter, 1);
      block_len = sizeof block;
      n = MIN (sizeof block, out_len - done);
      memcpy (out + done, block, n);
      done += n;
    }

  sodium_memzero (prk, sizeof prk);
  sodium_memzero (block, sizeof block);
}

/**
 * photoseal_base64_decode:
 *
 * Decodes unpadded standard base64 and accepts only the canonical encoding:
 * no padding, no whitespace, no stray bits in the last character. age
 * requires this so that one header has exactly one byte representation.
 */
gboolean
photoseal_base64_decode (const char *text,
                         gsize       text_len,
                         guint8     *out,
                         gsize       out_max,
                         gsize      *out_len)
{
  const char *end = NULL;
  size_t len = 0;

  if (sodium_base642bin (out, out_max, text, text_len, NULL, &len, &end,
                         sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0)
    return FALSE;
  if (end != text + text_len)
    return FALSE;

  *out_len = len;
  return TRUE;
}

char *
photoseal_base64_encode (const guint8 *data,
                         gsize         len)
{
  gsize size = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  char *text = g_malloc (size);

  sodium_bin2base64 (text, size, data, len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
  return text;
}

/* Writes the 32-byte stanza body for @file_key. */
gboolean
photoseal_wrap_file_key (const guint8 *wrap_key,
                         const guint8 *file_key,
                         guint8       *body)
{
  static const guint8 zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];

  return crypto_aead_chacha20poly1305_ietf_encrypt (body, NULL,
                                                    file_key, PHOTOSEAL_FILE_KEY_SIZE,
                                                    NULL, 0, NULL,
                                                    zero_nonce, wrap_key) == 0;
}

/* The body must be exactly 32 bytes: age rejects a longer one as a header
 * failure before even trying it, so the caller checks the length first. */
gboolean
photoseal_unwrap_file_key (const guint8 *wrap_key,
                           const guint8 *body,
                           gsize         body_len,
                           guint8       *file_key)
{
  static const guint8 zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];

  if (body_len != WRAPPED_SIZE)
    return FALSE;

  return crypto_aead_chacha20poly1305_ietf_decrypt (file_key, NULL, NULL,
                                                    body, body_len,
                                                    NULL, 0,
                                                    zero_nonce, wrap_key) == 0;
}
