/* test-format.c: the age layer of libphotoseal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "hostile-files.h"
#include "photoseal.h"
#include "photoseal-chunk-aead.h"

static void
test_hkdf_rfc5869 (void)
{
  /* RFC 5869, test cases 1 and 3. */
  static const guint8 ikm[22] = {
    0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
    0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
  };
  static const guint8 salt[13] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  guint8 okm[42];
  char hex[85];

  photoseal_hkdf_sha256 (okm, sizeof okm, ikm, sizeof ikm, salt, sizeof salt,
                         "\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9");
  sodium_bin2hex (hex, sizeof hex, okm, sizeof okm);
  g_assert_cmpstr (hex, ==, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                            "34007208d5b887185865");

  photoseal_hkdf_sha256 (okm, sizeof okm, ikm, sizeof ikm, NULL, 0, "");
  sodium_bin2hex (hex, sizeof hex, okm, sizeof okm);
  g_assert_cmpstr (hex, ==, "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                            "9d201395faa4b61a96c8");
}

static void
test_base64_canonical (void)
{
  guint8 out[8];
  gsize len = 0;

  g_assert_true (photoseal_base64_decode ("AAE", 3, out, sizeof out, &len));
  g_assert_cmpuint (len, ==, 2);
  g_assert_false (photoseal_base64_decode ("AAE=", 4, out, sizeof out, &len));
  g_assert_false (photoseal_base64_decode ("AAF", 3, out, sizeof out, &len));
  g_assert_false (photoseal_base64_decode ("AA E", 4, out, sizeof out, &len));
  g_assert_false (photoseal_base64_decode ("A", 1, out, sizeof out, &len));
}

static void
test_bech32_keys (void)
{
  g_autoptr(PhotosealX25519Identity) identity = photoseal_x25519_identity_generate ();
  g_autoptr(PhotosealX25519Identity) parsed = NULL;
  g_autoptr(PhotosealX25519Recipient) recipient = NULL;
  g_autoptr(PhotosealX25519Recipient) parsed_recipient = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = photoseal_x25519_identity_to_string (identity);
  g_autofree char *public = NULL;
  g_autofree char *public_again = NULL;
  g_autofree char *flipped = NULL;

  g_assert_true (g_str_has_prefix (secret, "AGE-SECRET-KEY-1"));
  parsed = photoseal_x25519_identity_parse (secret, &error);
  g_assert_no_error (error);

  recipient = photoseal_x25519_identity_get_recipient (identity);
  public = photoseal_x25519_recipient_to_string (recipient);
  g_assert_true (g_str_has_prefix (public, "age1"));
  g_assert_cmpuint (strlen (public), ==, 62);
  parsed_recipient = photoseal_x25519_recipient_parse (public, &error);
  g_assert_no_error (error);
  public_again = photoseal_x25519_recipient_to_string (parsed_recipient);
  g_assert_cmpstr (public, ==, public_again);

  /* One changed character breaks the checksum. */
  flipped = g_strdup (public);
  flipped[10] = flipped[10] == 'q' ? 'p' : 'q';
  g_assert_null (photoseal_x25519_recipient_parse (flipped, &error));
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY);
  g_clear_error (&error);

  /* Mixed case is not Bech32. */
  flipped[10] = public[10];
  flipped[5] = g_ascii_toupper (flipped[5]);
  if (flipped[5] != public[5])
    {
      g_assert_null (photoseal_x25519_recipient_parse (flipped, &error));
      g_clear_error (&error);
    }

  sodium_memzero (secret, strlen (secret));
}

static void
test_origin (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "https://Keys.Example.org", "https://keys.example.org" },
    { "https://keys.example.org:443/", "https://keys.example.org" },
    { "https://keys.example.org:8443", "https://keys.example.org:8443" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "http://[::1]:8080", "http://[::1]:8080" },
    { "http://keys.example.org", NULL },
    { "https://user@keys.example.org", NULL },
    { "https://keys.example.org/path", NULL },
    { "ftp://keys.example.org", NULL },
    { "keys.example.org", NULL },
    { "https://xn--bcher-kva.example", "https://xn--bcher-kva.example" },
    { "http://[0:0:0:0:0:0:0:1]", "http://[::1]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *origin = photoseal_origin_normalize (cases[i].in, &error);

      g_assert_cmpstr (origin, ==, cases[i].out);
      if (cases[i].out == NULL)
        g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY);
    }
}

/* Each of these once reached a markup label or a terminal through the
 * origin in a file's header, after GUri had percent-decoded the host. */
static void
test_origin_hostile (void)
{
  static const char *hostile[] = {
    "https://evil%20host.example", "https://a%3Cb%3E.example", "https://%22quoted%22.example",
    "https://%0D%0Ainjected.example", "https://%1B%5B31mred.example", "https://<b>x</b>.example",
    "https://x\"y.example", "https://x'y.example", "https://a b.example", "https://a\rb.example",
    "https://\x1b[31m.example", "https://b\xc3\xbc" "cher.example", "https://-lead.example",
    "https://trail-.example", "https://a..b", "https://example.org.", "https://1.2.3",
    "https://1.2.3.4.5", "https://[fe80::1%25eth0]", "https://[::1%0a]", "https://[zz::1]",
    "https://example.org:0", "https://a_b.example",
  };
  static const char *fine[] = {
    "https://Keys.Example.org:8443", "http://LOCALHOST:1", "https://10.0.0.1",
    "http://[::1]:8080", "https://[2001:DB8::1]:443", "https://xn--bcher-kva.example",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *origin = photoseal_origin_normalize (hostile[i], &error);

      if (origin != NULL)
        g_error ("accepted %s as %s", hostile[i], origin);
      g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY);
      for (const char *p = error->message; *p; p++)
        g_assert_true ((guchar) *p >= 0x20 && *p != 0x7f);
    }
  for (guint i = 0; i < G_N_ELEMENTS (fine); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *origin = photoseal_origin_normalize (fine[i], &error);
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      again = photoseal_origin_normalize (origin, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again, ==, origin);
      for (const char *p = origin; *p; p++)
        g_assert_true (g_ascii_isalnum (*p) || strchr (":/.[]-", *p) != NULL);
    }
}

static GBytes *
seal_bytes (GPtrArray *recipients,
            GBytes    *plain)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) age = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = g_bytes_get_size (plain);
  const guint8 *data = g_bytes_get_data (plain, NULL);
  gsize done = 0;

  age = photoseal_age_output_stream_new (memory, recipients, NULL, &error);
  g_assert_no_error (error);
  /* Uneven writes cross chunk and batch boundaries at odd places. */
  while (done < len)
    {
      gsize n = MIN (len - done, 1 + (done * 7919) % 100003);

      g_output_stream_write_all (age, data + done, n, NULL, NULL, &error);
      g_assert_no_error (error);
      done += n;
    }
  photoseal_age_output_stream_finish (PHOTOSEAL_AGE_OUTPUT_STREAM (age), NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (age, NULL, &error);
  g_assert_no_error (error);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static GBytes *
open_bytes (GPtrArray *identities,
            GBytes    *sealed,
            GError   **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (sealed);
  g_autoptr(GInputStream) age = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  age = photoseal_age_input_stream_new (in, identities, NULL, error);
  if (age == NULL)
    return NULL;
  if (g_output_stream_splice (out, age, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static GBytes *
random_bytes (gsize len)
{
  guint8 *data = g_malloc (len + 1);

  randombytes_buf (data, len);
  return g_bytes_new_take (data, len);
}

/* The payload's chunks go through libcrypto; libsodium must give the very
 * same bytes, and each must open what the other sealed. */
static void
test_chunk_backends_agree (void)
{
  static const gsize sizes[] = { 0, 1, 15, 16, 17, 63, 64, 65, 1000, 65535, 65536 };
  guint8 key[PHOTOSEAL_CHUNK_KEY_SIZE];
  guint8 nonce[PHOTOSEAL_CHUNK_NONCE_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gsize len = sizes[i];
      g_autoptr(GBytes) plain = random_bytes (len);
      g_autofree guint8 *by_libcrypto = g_malloc (len + PHOTOSEAL_CHUNK_TAG_SIZE);
      g_autofree guint8 *by_libsodium = g_malloc (len + PHOTOSEAL_CHUNK_TAG_SIZE);
      g_autofree guint8 *opened = g_malloc (len + 1);

      randombytes_buf (key, sizeof key);
      randombytes_buf (nonce, sizeof nonce);
      /* The last-chunk flag of age's nonce layout. */
      nonce[11] = i % 2;

      g_assert_true (photoseal_chunk_aead_crypt (PHOTOSEAL_CHUNK_AEAD_LIBCRYPTO, TRUE, key, nonce,
                                                 g_bytes_get_data (plain, NULL), len,
                                                 by_libcrypto));
      g_assert_true (photoseal_chunk_aead_crypt (PHOTOSEAL_CHUNK_AEAD_LIBSODIUM, TRUE, key, nonce,
                                                 g_bytes_get_data (plain, NULL), len,
                                                 by_libsodium));
      g_assert_cmpmem (by_libcrypto, len + PHOTOSEAL_CHUNK_TAG_SIZE,
                       by_libsodium, len + PHOTOSEAL_CHUNK_TAG_SIZE);

      g_assert_true (photoseal_chunk_aead_crypt (PHOTOSEAL_CHUNK_AEAD_LIBCRYPTO, FALSE, key, nonce,
                                                 by_libsodium, len + PHOTOSEAL_CHUNK_TAG_SIZE,
                                                 opened));
      g_assert_cmpmem (opened, len, g_bytes_get_data (plain, NULL), len);
      g_assert_true (photoseal_chunk_aead_crypt (PHOTOSEAL_CHUNK_AEAD_LIBSODIUM, FALSE, key, nonce,
                                                 by_libcrypto, len + PHOTOSEAL_CHUNK_TAG_SIZE,
                                                 opened));
      g_assert_cmpmem (opened, len, g_bytes_get_data (plain, NULL), len);

      /* A flipped bit fails both, and libcrypto's unchecked plaintext is wiped. */
      by_libcrypto[len] ^= 1;
      for (guint backend = 0; backend < 2; backend++)
        {
          g_assert_false (photoseal_chunk_aead_crypt (backend, FALSE, key, nonce, by_libcrypto,
                                                      len + PHOTOSEAL_CHUNK_TAG_SIZE, opened));
          for (gsize j = 0; j < len; j++)
            g_assert_cmpuint (opened[j], ==, 0);
        }
    }

  /* Shorter than a tag is never a chunk. */
  g_assert_false (photoseal_chunk_aead_crypt (PHOTOSEAL_CHUNK_AEAD_LIBCRYPTO, FALSE, key, nonce,
                                              key, 15, key));
}

static void
test_round_trip_sizes (void)
{
  static const gsize sizes[] = {
    0, 1, 65535, 65536, 65537, 2 * 65536,
    PHOTOSEAL_BATCH_CHUNKS * 65536, PHOTOSEAL_BATCH_CHUNKS * 65536 + 1,
    3 * PHOTOSEAL_BATCH_CHUNKS * 65536 - 1, 5 * 1024 * 1024 + 123,
  };
  g_autoptr(PhotosealX25519Identity) identity = photoseal_x25519_identity_generate ();
  g_autoptr(PhotosealX25519Recipient) recipient = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new ();
  g_autoptr(GPtrArray) identities = g_ptr_array_new ();

  recipient = photoseal_x25519_identity_get_recipient (identity);
  g_ptr_array_add (recipients, recipient);
  g_ptr_array_add (identities, identity);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) plain = random_bytes (sizes[i]);
      g_autoptr(GBytes) sealed = seal_bytes (recipients, plain);
      g_autoptr(GBytes) opened = NULL;
      g_autoptr(GError) error = NULL;
      gsize n_chunks = MAX (1, (sizes[i] + 65535) / 65536);

      /* Header, 16-byte nonce, one 16-byte tag per chunk. */
      g_assert_cmpuint (g_bytes_get_size (sealed), >, sizes[i] + 16 + 16 * n_chunks);
      opened = open_bytes (identities, sealed, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (plain, opened));
    }
}

static void
test_scrypt_round_trip (void)
{
  g_autoptr(PhotosealScryptRecipient) recipient = photoseal_scrypt_recipient_new ("correct horse",
                                                                                 10);
  g_autoptr(PhotosealScryptIdentity) right = photoseal_scrypt_identity_new ("correct horse");
  g_autoptr(PhotosealScryptIdentity) wrong = photoseal_scrypt_identity_new ("wrong horse");
  g_autoptr(PhotosealX25519Identity) other = photoseal_x25519_identity_generate ();
  g_autoptr(PhotosealX25519Recipient) other_recipient = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new ();
  g_autoptr(GPtrArray) identities = g_ptr_array_new ();
  g_autoptr(GBytes) plain = random_bytes (100000);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (recipients, recipient);
  sealed = seal_bytes (recipients, plain);

  g_ptr_array_add (identities, wrong);
  g_assert_null (open_bytes (identities, sealed, &error));
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_NO_MATCH);
  g_clear_error (&error);

  g_ptr_array_add (identities, right);
  opened = open_bytes (identities, sealed, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (plain, opened));

  /* A passphrase may not share a header with anyone else. */
  other_recipient = photoseal_x25519_identity_get_recipient (other);
  g_ptr_array_add (recipients, other_recipient);
  g_assert_null (photoseal_age_output_stream_new (sink, recipients, NULL, &error));
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY);
}

static void
test_server_key_stanza (void)
{
  guint8 server_key[PHOTOSEAL_SERVER_KEY_SIZE];
  guint8 other_key[PHOTOSEAL_SERVER_KEY_SIZE];
  const char *key_id = "AAECAwQFBgcICQoLDA0ODw";
  g_autoptr(PhotosealServerKeyRecipient) recipient = NULL;
  g_autoptr(PhotosealServerKeyIdentity) identity = NULL;
  g_autoptr(PhotosealServerKeyIdentity) wrong = NULL;
  g_autoptr(PhotosealServerKeyIdentity) other_id = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new ();
  g_autoptr(GPtrArray) identities = g_ptr_array_new ();
  g_autoptr(GBytes) plain = random_bytes (1000);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  randombytes_buf (server_key, sizeof server_key);
  randombytes_buf (other_key, sizeof other_key);

  g_assert_null (photoseal_server_key_recipient_new ("not-a-key-id", "https://k.example",
                                                     server_key, &error));
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY);
  g_clear_error (&error);
  g_assert_null (photoseal_server_key_recipient_new (key_id, "http://k.example", server_key,
                                                     &error));
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY);
  g_clear_error (&error);

  recipient = photoseal_server_key_recipient_new (key_id, "https://Keys.Example:8443", server_key,
                                                  &error);
  g_assert_no_error (error);
  g_ptr_array_add (recipients, recipient);
  sealed = seal_bytes (recipients, plain);

  text = g_strndup (g_bytes_get_data (sealed, NULL), 120);
  g_assert_nonnull (strstr (text, "\n-> photoseal AAECAwQFBgcICQoLDA0ODw "
                                  "https://keys.example:8443\n"));

  /* The right key id with another key, and another key id, both fail. */
  wrong = photoseal_server_key_identity_new (key_id, other_key);
  other_id = photoseal_server_key_identity_new ("AAECAwQFBgcICQoLDA0OEA", server_key);
  g_ptr_array_add (identities, wrong);
  g_ptr_array_add (identities, other_id);
  g_assert_null (open_bytes (identities, sealed, &error));
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_NO_MATCH);
  g_clear_error (&error);

  identity = photoseal_server_key_identity_new (key_id, server_key);
  g_ptr_array_add (identities, identity);
  opened = open_bytes (identities, sealed, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (plain, opened));
}

static void
test_payload_truncation_and_trailing (void)
{
  g_autoptr(PhotosealX25519Identity) identity = photoseal_x25519_identity_generate ();
  g_autoptr(PhotosealX25519Recipient) recipient = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new ();
  g_autoptr(GPtrArray) identities = g_ptr_array_new ();
  g_autoptr(GBytes) plain = random_bytes (3 * 65536);
  g_autoptr(GBytes) sealed = NULL;
  gsize len;
  const guint8 *data;

  recipient = photoseal_x25519_identity_get_recipient (identity);
  g_ptr_array_add (recipients, recipient);
  g_ptr_array_add (identities, identity);
  sealed = seal_bytes (recipients, plain);
  data = g_bytes_get_data (sealed, &len);

  /* Cut exactly at a chunk boundary: the last full chunk is not final. */
  {
    g_autoptr(GBytes) cut = g_bytes_new (data, len - (65536 + 16));
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) opened = open_bytes (identities, cut, &error);

    g_assert_null (opened);
    g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_PAYLOAD);
  }

  /* Anything after the final chunk is refused. */
  {
    g_autoptr(GByteArray) longer = g_byte_array_new ();
    g_autoptr(GBytes) extended = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) opened = NULL;

    g_byte_array_append (longer, data, len);
    g_byte_array_append (longer, (const guint8 *) "x", 1);
    extended = g_byte_array_free_to_bytes (g_steal_pointer (&longer));
    opened = open_bytes (identities, extended, &error);
    g_assert_null (opened);
    g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_PAYLOAD);
  }
}

/* Payload end checks, with chunks sealed by hand: a default build has no
 * age test kit, and these must still be exercised. */
typedef struct
{
  PhotosealX25519Identity *identity;
  PhotosealX25519Recipient *recipient;
  GPtrArray *identities;
} Keys;

static void
keys_init (Keys *keys)
{
  keys->identity = photoseal_x25519_identity_generate ();
  keys->recipient = photoseal_x25519_identity_get_recipient (keys->identity);
  keys->identities = g_ptr_array_new ();
  g_ptr_array_add (keys->identities, keys->identity);
}

static void
keys_clear (Keys *keys)
{
  g_ptr_array_unref (keys->identities);
  g_object_unref (keys->recipient);
  g_object_unref (keys->identity);
}

static void
assert_payload_refused (Keys               *keys,
                        const HostileChunk *chunks,
                        guint               n_chunks,
                        const char         *trailing)
{
  g_autoptr(GBytes) sealed = hostile_age_file (PHOTOSEAL_RECIPIENT (keys->recipient), chunks,
                                               n_chunks, trailing, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) opened = open_bytes (keys->identities, sealed, &error);

  g_assert_null (opened);
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_PAYLOAD);
}

static void
test_payload_hand_made_ends (void)
{
  const HostileChunk good[] = { { 65536, FALSE }, { 100, TRUE } };
  const HostileChunk empty_after_full[] = { { 65536, FALSE }, { 0, TRUE } };
  const HostileChunk final_then_more[] = { { 65536, TRUE }, { 100, TRUE } };
  const HostileChunk final_in_middle[] = { { 65536, FALSE }, { 65536, TRUE }, { 65536, FALSE },
                                           { 1, TRUE } };
  const HostileChunk full_final[] = { { 65536, FALSE }, { 65536, TRUE } };
  const HostileChunk short_not_final[] = { { 100, FALSE } };
  const HostileChunk empty_only[] = { { 0, TRUE } };
  Keys keys;

  keys_init (&keys);
  /* The controls: the same construction, honest, opens. */
  for (guint i = 0; i < 3; i++)
    {
      const HostileChunk *chunks = i == 0 ? good : i == 1 ? full_final : empty_only;
      guint n = i == 2 ? 1 : 2;
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GBytes) sealed = hostile_age_file (PHOTOSEAL_RECIPIENT (keys.recipient), chunks, n,
                                                   NULL, &plain);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) opened = open_bytes (keys.identities, sealed, &error);

      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (opened, plain));
    }

  assert_payload_refused (&keys, empty_after_full, G_N_ELEMENTS (empty_after_full), NULL);
  assert_payload_refused (&keys, final_then_more, G_N_ELEMENTS (final_then_more), NULL);
  assert_payload_refused (&keys, final_in_middle, G_N_ELEMENTS (final_in_middle), NULL);
  assert_payload_refused (&keys, short_not_final, G_N_ELEMENTS (short_not_final), NULL);
  assert_payload_refused (&keys, good, G_N_ELEMENTS (good), "x");
  assert_payload_refused (&keys, full_final, G_N_ELEMENTS (full_final), "x");
  assert_payload_refused (&keys, empty_only, G_N_ELEMENTS (empty_only), "z");
  keys_clear (&keys);
}

/* 20 full chunks and a short final one cross a 16-chunk batch; a file cut
 * at any chunk boundary, or just after the header, is refused. */
static void
test_payload_truncated_at_every_boundary (void)
{
  HostileChunk chunks[21];
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(PhotosealAgeHeader) header = NULL;
  const guint8 *data;
  gsize len, payload_start;
  Keys keys;

  keys_init (&keys);
  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    chunks[i] = (HostileChunk) { i < 20 ? 65536 : 1000, i == 20 };
  sealed = hostile_age_file (PHOTOSEAL_RECIPIENT (keys.recipient), chunks, G_N_ELEMENTS (chunks),
                             NULL, &plain);
  data = g_bytes_get_data (sealed, &len);
  payload_start = len - 20 * (gsize) PHOTOSEAL_SEALED_CHUNK_SIZE - (1000 + PHOTOSEAL_TAG_SIZE);

  for (guint k = 0; k <= 20; k++)
    {
      gsize cut = payload_start + k * (gsize) PHOTOSEAL_SEALED_CHUNK_SIZE;
      g_autoptr(GBytes) cut_bytes = g_bytes_new (data, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) opened = open_bytes (keys.identities, cut_bytes, &error);

      g_assert_null (opened);
      g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_PAYLOAD);
    }
  for (gsize cut = payload_start - PHOTOSEAL_PAYLOAD_NONCE_SIZE; cut < payload_start; cut++)
    {
      g_autoptr(GBytes) cut_bytes = g_bytes_new (data, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) opened = open_bytes (keys.identities, cut_bytes, &error);

      g_assert_null (opened);
      g_assert_true (photoseal_format_error_is_damage (error));
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) opened = open_bytes (keys.identities, sealed, &error);

    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (opened, plain));
  }
  keys_clear (&keys);
}

/* Streams whose stage thread is busy can be cancelled, closed or dropped
 * half-way: nothing hangs, and what an abandoned seal wrote never opens. */
static void
test_abandoned_streams (void)
{
  g_autoptr(PhotosealX25519Identity) identity = photoseal_x25519_identity_generate ();
  g_autoptr(PhotosealX25519Recipient) recipient =
    photoseal_x25519_identity_get_recipient (identity);
  g_autoptr(GPtrArray) recipients = g_ptr_array_new ();
  g_autoptr(GPtrArray) identities = g_ptr_array_new ();
  g_autoptr(GBytes) plain = random_bytes (8 * 1024 * 1024);
  g_autoptr(GBytes) sealed = NULL;

  g_ptr_array_add (recipients, recipient);
  g_ptr_array_add (identities, identity);
  sealed = seal_bytes (recipients, plain);

  /* Sealing: several batches in flight, then closed without finish(). */
  {
    g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
    g_autoptr(GOutputStream) age = photoseal_age_output_stream_new (memory, recipients, NULL, NULL);
    g_autoptr(GBytes) partial = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (g_output_stream_write_all (age, g_bytes_get_data (plain, NULL),
                                              g_bytes_get_size (plain), NULL, NULL, &error));
    g_assert_true (g_output_stream_close (age, NULL, &error));
    g_assert_no_error (error);
    partial = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
    g_assert_null (open_bytes (identities, partial, &error));
    g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_PAYLOAD);
  }

  /* Sealing with a cancelled cancellable stops at the next batch. */
  {
    g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
    g_autoptr(GOutputStream) age = photoseal_age_output_stream_new (memory, recipients, NULL, NULL);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GError) error = NULL;

    g_cancellable_cancel (cancellable);
    g_assert_false (g_output_stream_write_all (age, g_bytes_get_data (plain, NULL),
                                               g_bytes_get_size (plain), NULL, cancellable,
                                               &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  /* Opening: a cancelled read between batches fails, and reading on
   * afterwards still gives every byte in order. */
  {
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (sealed);
    g_autoptr(GInputStream) age = photoseal_age_input_stream_new (in, identities, NULL, NULL);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GOutputStream) rest = g_memory_output_stream_new_resizable ();
    gsize batch = PHOTOSEAL_BATCH_CHUNKS * PHOTOSEAL_CHUNK_SIZE;
    g_autofree guint8 *first = g_malloc (batch);
    g_autoptr(GBytes) all = NULL;
    g_autoptr(GError) error = NULL;
    gsize got = 0;

    g_assert_true (g_input_stream_read_all (age, first, batch, &got, NULL, &error));
    g_assert_cmpuint (got, ==, batch);
    g_cancellable_cancel (cancellable);
    g_assert_cmpint (g_input_stream_read (age, first, 1, cancellable, &error), ==, -1);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);

    g_output_stream_write_all (rest, first, batch, NULL, NULL, &error);
    g_output_stream_splice (rest, age, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
    g_assert_no_error (error);
    all = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (rest));
    g_assert_true (g_bytes_equal (all, plain));
  }

  /* Opening: the stage reads ahead; dropping the stream stops it. */
  {
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (sealed);
    g_autoptr(GInputStream) age = photoseal_age_input_stream_new (in, identities, NULL, NULL);
    guint8 buffer[100];
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (g_input_stream_read (age, buffer, sizeof buffer, NULL, &error), ==,
                     sizeof buffer);
    g_assert_cmpmem (buffer, sizeof buffer, g_bytes_get_data (plain, NULL), sizeof buffer);
  }
}

/* The writing stage fails on a full disk: the error reaches the caller at
 * the next batch, later writes fail at once rather than read on to the
 * end, and nothing hangs. */
static void
test_write_error (void)
{
  g_autoptr(PhotosealX25519Identity) identity = photoseal_x25519_identity_generate ();
  g_autoptr(PhotosealX25519Recipient) recipient =
    photoseal_x25519_identity_get_recipient (identity);
  g_autoptr(GPtrArray) recipients = g_ptr_array_new ();
  g_autoptr(GBytes) plain = random_bytes (16 * 1024 * 1024);
  gsize room = 3 * PHOTOSEAL_BATCH_CHUNKS * PHOTOSEAL_SEALED_CHUNK_SIZE;
  g_autofree guint8 *disk = g_malloc (room);
  g_autoptr(GOutputStream) full = g_memory_output_stream_new (disk, room, NULL, NULL);
  g_autoptr(GOutputStream) age = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data = g_bytes_get_data (plain, NULL);
  gsize done = 0;

  g_ptr_array_add (recipients, recipient);
  age = photoseal_age_output_stream_new (full, recipients, NULL, &error);
  g_assert_no_error (error);
  while (done < g_bytes_get_size (plain)
         && g_output_stream_write_all (age, data + done, 100000, NULL, NULL, &error))
    done += 100000;
  if (error == NULL)
    photoseal_age_output_stream_finish (PHOTOSEAL_AGE_OUTPUT_STREAM (age), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);

  /* The stream stays failed. */
  g_assert_false (g_output_stream_write_all (age, data, 100000, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (photoseal_age_output_stream_finish (PHOTOSEAL_AGE_OUTPUT_STREAM (age), NULL,
                                                      &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (full)), <=,
                    room);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  photoseal_crypto_init ();

  g_test_add_func ("/format/hkdf/rfc5869", test_hkdf_rfc5869);
  g_test_add_func ("/format/base64/canonical", test_base64_canonical);
  g_test_add_func ("/format/bech32/keys", test_bech32_keys);
  g_test_add_func ("/format/origin", test_origin);
  g_test_add_func ("/format/origin/hostile", test_origin_hostile);
  g_test_add_func ("/format/age/chunk-backends-agree", test_chunk_backends_agree);
  g_test_add_func ("/format/age/round-trip-sizes", test_round_trip_sizes);
  g_test_add_func ("/format/age/scrypt", test_scrypt_round_trip);
  g_test_add_func ("/format/age/server-key-stanza", test_server_key_stanza);
  g_test_add_func ("/format/age/truncation-and-trailing", test_payload_truncation_and_trailing);
  g_test_add_func ("/format/payload/hand-made-ends", test_payload_hand_made_ends);
  g_test_add_func ("/format/payload/truncated-at-every-boundary",
                   test_payload_truncated_at_every_boundary);
  g_test_add_func ("/format/age/abandoned-streams", test_abandoned_streams);
  g_test_add_func ("/format/age/write-error", test_write_error);

  return g_test_run ();
}
