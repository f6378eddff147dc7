/* chacha-loop.c: the single-core ceiling for sealing
 *
 * Seals N MiB of memory in 64 KiB ChaCha20-Poly1305 chunks on one core,
 * with no I/O, and prints MB/s: what any age implementation on one core
 * can reach at best on this machine, with libcrypto (what psf uses) or
 * libsodium.
 *
 *   chacha-loop [MIB] [libcrypto|libsodium]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "photoseal-chunk-aead.h"

#define CHUNK 65536

int
main (int   argc,
      char *argv[])
{
  size_t mib = argc > 1 ? strtoul (argv[1], NULL, 10) : 1024;
  PhotosealChunkAead backend = argc > 2 && strcmp (argv[2], "libsodium") == 0
                               ? PHOTOSEAL_CHUNK_AEAD_LIBSODIUM : PHOTOSEAL_CHUNK_AEAD_LIBCRYPTO;
  unsigned char key[PHOTOSEAL_CHUNK_KEY_SIZE];
  unsigned char nonce[PHOTOSEAL_CHUNK_NONCE_SIZE] = { 0 };
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
      photoseal_chunk_aead_crypt (backend, TRUE, key, nonce, in, CHUNK, out);
    }
  clock_gettime (CLOCK_MONOTONIC, &end);

  seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
  printf ("%.0f\n", mib * 1048576.0 / 1e6 / seconds);
  free (in);
  free (out);
  return 0;
}
