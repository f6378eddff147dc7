/* test-protocol.c: the key-server protocol's byte strings, against fixed
 * vectors computed outside this code base (Python's hashlib and struct)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal.h"

static const guint8 nonce[PHOTOSEAL_PROTOCOL_NONCE_SIZE] = {
  0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
  0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
};

static char *
to_hex (const guint8 *data,
        gsize         len)
{
  char *hex = g_malloc (len * 2 + 1);

  sodium_bin2hex (hex, len * 2 + 1, data, len);
  return hex;
}

static void
test_key_id (void)
{
  guint8 raw[PHOTOSEAL_KEY_ID_SIZE];
  guint8 back[PHOTOSEAL_KEY_ID_SIZE];
  char text[PHOTOSEAL_KEY_ID_TEXT_SIZE];

  for (guint i = 0; i < sizeof raw; i++)
    raw[i] = i;
  photoseal_key_id_encode (raw, text);
  g_assert_cmpstr (text, ==, "AAECAwQFBgcICQoLDA0ODw");
  g_assert_true (photoseal_key_id_decode (text, back));
  g_assert_cmpmem (back, sizeof back, raw, sizeof raw);
  g_assert_true (photoseal_key_id_decode (text, NULL));

  /* Hostile: wrong lengths, padding, the other alphabet, trailing bytes,
   * non-canonical last character. */
  g_assert_false (photoseal_key_id_decode (NULL, NULL));
  g_assert_false (photoseal_key_id_decode ("", NULL));
  g_assert_false (photoseal_key_id_decode ("AAECAwQFBgcICQoLDA0OD", NULL));
  g_assert_false (photoseal_key_id_decode ("AAECAwQFBgcICQoLDA0ODw==", NULL));
  g_assert_false (photoseal_key_id_decode ("AAECAwQFBgcICQoLDA0OD+", NULL));
  g_assert_false (photoseal_key_id_decode ("AAECAwQFBgcICQoLDA0ODwA", NULL));
  g_assert_false (photoseal_key_id_decode ("AAECAwQFBgcICQoLDA0ODx", NULL));
  g_assert_false (photoseal_key_id_decode ("AAECAwQFBgcICQoLDA0O w", NULL));
}

static void
test_release_message (void)
{
  guint8 raw_key_id[PHOTOSEAL_KEY_ID_SIZE];
  guint8 ephemeral[32];
  guint8 message[PHOTOSEAL_PROTOCOL_RELEASE_MESSAGE_SIZE];
  g_autofree char *hex = NULL;

  for (guint i = 0; i < sizeof raw_key_id; i++)
    raw_key_id[i] = i;
  for (guint i = 0; i < sizeof ephemeral; i++)
    ephemeral[i] = 32 + i;
  g_assert_cmpuint (sizeof message, ==, 92);
  photoseal_protocol_release_message (raw_key_id, ephemeral, 1700000000, nonce, message);
  hex = to_hex (message, sizeof message);
  g_assert_cmpstr (hex, ==,
                   "70686f746f7365616c2f76312f72656c65617365000102030405060708090a0b0c0d0e0f"
                   "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
                   "000000006553f100a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
}

static void
test_request_message (void)
{
  static const char body_text[] = "{\"recipients\":[\"bob@localhost\"]}";
  g_autoptr(GBytes) body = g_bytes_new_static (body_text, strlen (body_text));
  g_autoptr(GBytes) patch = NULL;
  g_autoptr(GBytes) delete = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) delete_empty = NULL;
  g_autofree char *hex = NULL;

  patch = photoseal_protocol_request_message ("PATCH", "/v1/keys/AAECAwQFBgcICQoLDA0ODw?x=1",
                                              body, 1700000000, nonce);
  hex = to_hex (g_bytes_get_data (patch, NULL), g_bytes_get_size (patch));
  g_assert_cmpstr (hex, ==,
                   "70686f746f7365616c2f76312f726571756573745041544348002f76312f6b6579732f"
                   "41414543417751464267634943516f4c4441304f44773f783d3100"
                   "0ac7fd6e45ec937f954b623e04f9575bb703a90fc9648e1d686aa39dfab0a753"
                   "000000006553f100a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  g_clear_pointer (&hex, g_free);

  /* No body hashes as the empty string; negative times are two's complement. */
  delete = photoseal_protocol_request_message ("DELETE", "/v1/keys/AAECAwQFBgcICQoLDA0ODw",
                                               NULL, -1, nonce);
  hex = to_hex (g_bytes_get_data (delete, NULL), g_bytes_get_size (delete));
  g_assert_cmpstr (hex, ==,
                   "70686f746f7365616c2f76312f7265717565737444454c455445002f76312f6b6579732f"
                   "41414543417751464267634943516f4c4441304f447700"
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                   "ffffffffffffffffa0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  delete_empty = photoseal_protocol_request_message ("DELETE", "/v1/keys/AAECAwQFBgcICQoLDA0ODw",
                                                     empty, -1, nonce);
  g_assert_true (g_bytes_equal (delete, delete_empty));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  photoseal_crypto_init ();

  g_test_add_func ("/protocol/key-id", test_key_id);
  g_test_add_func ("/protocol/release-message", test_release_message);
  g_test_add_func ("/protocol/request-message", test_request_message);

  return g_test_run ();
}
