/* fuzz-manifest.c: the manifest.json parser on arbitrary bytes
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
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(PhotosealManifest) manifest = photoseal_manifest_new_from_bytes (bytes, NULL);
  g_autoptr(GBytes) encoded = NULL;
  g_autoptr(PhotosealManifest) again = NULL;

  if (manifest == NULL)
    return 0;

  /* A manifest that was accepted names only safe paths and survives a
   * round trip through the writer. */
  for (guint i = 0; i < photoseal_manifest_get_n_items (manifest); i++)
    g_assert_true (photoseal_bundle_path_is_safe (photoseal_manifest_get_item (manifest, i)->path));
  encoded = photoseal_manifest_to_bytes (manifest, NULL);
  /* The writer adds the fields a reader defaults, so a manifest right at
   * the 1 MiB limit may not fit once written again. */
  if (encoded == NULL)
    return 0;
  again = photoseal_manifest_new_from_bytes (encoded, NULL);
  g_assert_nonnull (again);
  g_assert_cmpuint (photoseal_manifest_get_n_items (again), ==,
                    photoseal_manifest_get_n_items (manifest));
  return 0;
}
