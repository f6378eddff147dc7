/* fuzz-bundle.c: the strict tar reader on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "photoseal.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (data, size, NULL);
  g_autoptr(PhotosealBundleReader) reader = photoseal_bundle_reader_new (in);
  const char *path;
  guint64 entry_size;
  guint8 buffer[4096];

  while (photoseal_bundle_reader_next_entry (reader, &path, &entry_size, NULL, NULL))
    {
      guint64 total = 0;
      gssize n;

      /* Every name handed out must be safe to create under a folder. */
      g_assert_true (photoseal_bundle_path_is_safe (path));
      while ((n = photoseal_bundle_reader_read (reader, buffer, sizeof buffer, NULL, NULL)) > 0)
        total += n;
      g_assert_cmpuint (total, <=, entry_size);
      if (n < 0)
        break;
    }
  return 0;
}
