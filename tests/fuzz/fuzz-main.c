/* fuzz-main.c: runs a fuzz harness over its seed corpus as a plain test
 *
 * Without -Dfuzzing the harnesses link against this instead of libFuzzer:
 * every seed, then every truncation of it and every single-bit flip of
 * its first 512 bytes, go through the harness, so the default build still
 * exercises the parsers on hostile input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static guint64 runs;

static void
run_variants (const guint8 *data,
              gsize         size)
{
  g_autofree guint8 *copy = g_memdup2 (data, size);

  LLVMFuzzerTestOneInput (data, size);
  runs++;
  for (gsize cut = 0; cut < size; cut += 1 + size / 64)
    {
      LLVMFuzzerTestOneInput (data, cut);
      runs++;
    }
  for (gsize i = 0; i < MIN (size, 512); i++)
    for (guint bit = 0; bit < 8; bit += 3)
      {
        copy[i] ^= 1 << bit;
        LLVMFuzzerTestOneInput (copy, size);
        copy[i] ^= 1 << bit;
        runs++;
      }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  guint seeds = 0;

  if (argc != 2)
    g_error ("usage: %s CORPUS-FOLDER", argv[0]);

  dir = g_dir_open (argv[1], 0, &error);
  g_assert_no_error (error);
  for (const char *name; (name = g_dir_read_name (dir));)
    {
      g_autofree char *path = g_build_filename (argv[1], name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      g_file_get_contents (path, &contents, &len, &error);
      g_assert_no_error (error);
      run_variants ((const guint8 *) contents, len);
      seeds++;
    }

  g_assert_cmpuint (seeds, >, 0);
  g_print ("%u seeds, %" G_GUINT64_FORMAT " inputs\n", seeds, runs);
  return 0;
}
