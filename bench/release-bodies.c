/* release-bodies.c: the crypto of a key server client, for bench/keyserver.sh
 *
 *   release-bodies device-key FILE          makes an Ed25519 device key: the
 *                                           secret key to FILE, the public key
 *                                           on stdout (base64)
 *   release-bodies ephemeral-key            an X25519 public key (base64)
 *   release-bodies bodies FILE KEY-ID COUNT COUNT signed release bodies, one
 *                                           JSON object a line, on stdout
 *   release-bodies requests FILE METHOD TARGET BODY COUNT
 *                                           COUNT signed requests (v1.1 request
 *                                           signatures), one a line on stdout:
 *                                           timestamp, nonce, signature, body,
 *                                           separated by spaces
 *
 * Each body has its own ephemeral key, a fresh random nonce and the
 * current time, signed as docs/API.md says: Ed25519 over
 * "photoseal/v1/release" ‖ key id (16 raw bytes) ‖ ephemeral key (32) ‖
 * timestamp (8, big-endian) ‖ nonce (16). The server refuses a nonce it
 * has seen, so each line can be sent once. A signed request's signature
 * is over photoseal_protocol_request_message(), which libphotoseal builds
 * for the client and the server alike; its nonce can be sent once too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "photoseal-protocol.h"

#define LABEL "photoseal/v1/release"
#define LABEL_LEN (sizeof LABEL - 1)

static void
print_base64 (FILE                *out,
              const unsigned char *data,
              size_t               len)
{
  char text[sodium_base64_ENCODED_LEN (64, sodium_base64_VARIANT_ORIGINAL)];

  sodium_bin2base64 (text, sizeof text, data, len, sodium_base64_VARIANT_ORIGINAL);
  fputs (text, out);
}

static int
device_key (const char *path)
{
  unsigned char public[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  FILE *file = fopen (path, "wb");

  if (file == NULL)
    {
      perror (path);
      return 1;
    }
  crypto_sign_keypair (public, secret);
  if (fwrite (secret, sizeof secret, 1, file) != 1 || fclose (file) != 0)
    {
      perror (path);
      return 1;
    }
  print_base64 (stdout, public, sizeof public);
  putchar ('\n');
  return 0;
}

static int
ephemeral_key (void)
{
  unsigned char public[crypto_box_PUBLICKEYBYTES];
  unsigned char secret[crypto_box_SECRETKEYBYTES];

  crypto_box_keypair (public, secret);
  print_base64 (stdout, public, sizeof public);
  putchar ('\n');
  return 0;
}

static int
read_device_key (const char    *path,
                 unsigned char  secret[crypto_sign_SECRETKEYBYTES])
{
  FILE *file = fopen (path, "rb");

  if (file == NULL || fread (secret, crypto_sign_SECRETKEYBYTES, 1, file) != 1)
    {
      fprintf (stderr, "release-bodies: %s: not a device key\n", path);
      if (file != NULL)
        fclose (file);
      return 1;
    }
  fclose (file);
  return 0;
}

static int
bodies (const char *path,
        const char *key_id,
        long        count)
{
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  unsigned char message[LABEL_LEN + 16 + 32 + 8 + 16];
  unsigned char *raw_id = message + LABEL_LEN;
  unsigned char *ephemeral = raw_id + 16;
  unsigned char *stamp = ephemeral + 32;
  unsigned char *nonce = stamp + 8;
  unsigned char ephemeral_secret[crypto_box_SECRETKEYBYTES];
  unsigned char signature[crypto_sign_BYTES];
  size_t len = 0;

  if (read_device_key (path, secret) != 0)
    return 1;
  if (sodium_base642bin (raw_id, 16, key_id, strlen (key_id), NULL, &len, NULL,
                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || len != 16)
    {
      fprintf (stderr, "release-bodies: %s: not a key id\n", key_id);
      return 1;
    }
  memcpy (message, LABEL, LABEL_LEN);

  for (long n = 0; n < count; n++)
    {
      uint64_t timestamp = (uint64_t) time (NULL);

      crypto_box_keypair (ephemeral, ephemeral_secret);
      for (int i = 0; i < 8; i++)
        stamp[i] = timestamp >> (56 - 8 * i);
      randombytes_buf (nonce, 16);
      crypto_sign_detached (signature, NULL, message, sizeof message, secret);

      fputs ("{\"ephemeral_public_key\":\"", stdout);
      print_base64 (stdout, ephemeral, 32);
      printf ("\",\"timestamp\":%llu,\"nonce\":\"", (unsigned long long) timestamp);
      print_base64 (stdout, nonce, 16);
      fputs ("\",\"signature\":\"", stdout);
      print_base64 (stdout, signature, sizeof signature);
      fputs ("\"}\n", stdout);
    }
  sodium_memzero (secret, sizeof secret);
  return fflush (stdout) == 0 ? 0 : 1;
}

static int
requests (const char *path,
          const char *method,
          const char *target,
          const char *body,
          long        count)
{
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  g_autoptr(GBytes) body_bytes = g_bytes_new_static (body, strlen (body));
  guint8 nonce[PHOTOSEAL_PROTOCOL_NONCE_SIZE];
  unsigned char signature[crypto_sign_BYTES];

  if (read_device_key (path, secret) != 0)
    return 1;

  for (long n = 0; n < count; n++)
    {
      gint64 timestamp = (gint64) time (NULL);
      g_autoptr(GBytes) message = NULL;

      randombytes_buf (nonce, sizeof nonce);
      message = photoseal_protocol_request_message (method, target, body_bytes, timestamp, nonce);
      crypto_sign_detached (signature, NULL, g_bytes_get_data (message, NULL),
                            g_bytes_get_size (message), secret);

      printf ("%" G_GINT64_FORMAT " ", timestamp);
      print_base64 (stdout, nonce, sizeof nonce);
      putchar (' ');
      print_base64 (stdout, signature, sizeof signature);
      printf (" %s\n", body);
    }
  sodium_memzero (secret, sizeof secret);
  return fflush (stdout) == 0 ? 0 : 1;
}

int
main (int   argc,
      char *argv[])
{
  if (sodium_init () < 0)
    return 1;

  if (argc == 3 && strcmp (argv[1], "device-key") == 0)
    return device_key (argv[2]);
  if (argc == 2 && strcmp (argv[1], "ephemeral-key") == 0)
    return ephemeral_key ();
  if (argc == 5 && strcmp (argv[1], "bodies") == 0 && atol (argv[4]) > 0)
    return bodies (argv[2], argv[3], atol (argv[4]));
  if (argc == 7 && strcmp (argv[1], "requests") == 0 && atol (argv[6]) > 0)
    return requests (argv[2], argv[3], argv[4], argv[5], atol (argv[6]));

  fprintf (stderr, "usage: release-bodies device-key FILE\n"
                   "       release-bodies ephemeral-key\n"
                   "       release-bodies bodies FILE KEY-ID COUNT\n"
                   "       release-bodies requests FILE METHOD TARGET BODY COUNT\n");
  return 2;
}
