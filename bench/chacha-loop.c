/* chacha-loop.c: the single-core ceiling for sealing
 *
 * Seals N MiB of memory in 64 KiB ChaCha20-Poly1305 chunks on one core,
 * with no I/O, and prints MB/s: what any age implementation on one core
 * can reach at best on this machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#define CHUNK 65536

int
main (int   argc,
      char *argv[])
{
  size_t mib = argc > 1 ? strtoul (argv[1], NULL, 10) : 1024;
  unsigned char key[crypto_aead_chacha20poly1305_ietf_KEYBYTES];
  unsigned char nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = { 0 };
  unsigned char *in = malloc (CHUNK);
  unsigned char *out = malloc (CHUNK + 16);
  struct timespec start, end;
  double seconds;

  if (sodium_init () < 0 || in == NULL || out == NULL)
    return 1;
  randombytes_buf (key, sizeof key);
  randombytes_buf (in, CHUNK);

  clock_gettime (CLOCK_MONOTONIC, &start);
  for (size_t i = 0; i < mib * 16; i++)
    {
      memcpy (nonce, &i, sizeof i);
      crypto_aead_chacha20poly1305_ietf_encrypt (out, NULL, in, CHUNK, NULL, 0, NULL, nonce, key);
    }
  clock_gettime (CLOCK_MONOTONIC, &end);

  seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
  printf ("%.0f\n", mib * 1048576.0 / 1e6 / seconds);
  free (in);
  free (out);
  return 0;
}
