/* fuzz-header.c: the age header parser on arbitrary bytes
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
  g_autoptr(PhotosealAgeHeader) header = NULL;
  g_autoptr(GBytes) encoded = NULL;
  static const guint8 file_key[PHOTOSEAL_FILE_KEY_SIZE];
  gsize header_len = 0;

  header = photoseal_age_header_parse (data, size, &header_len, NULL);
  if (header == NULL)
    return 0;

  /* Whatever parses must re-encode to a header that parses again with
   * the same stanzas: there is one byte representation of a header. */
  g_assert_cmpuint (header_len, <=, size);
  encoded = photoseal_age_header_encode (header, file_key);
  {
    g_autoptr(PhotosealAgeHeader) again = NULL;
    gsize len = 0;

    again = photoseal_age_header_parse (g_bytes_get_data (encoded, NULL),
                                        g_bytes_get_size (encoded), &len, NULL);
    g_assert_nonnull (again);
    g_assert_cmpuint (photoseal_age_header_get_stanzas (again)->len, ==,
                      photoseal_age_header_get_stanzas (header)->len);
    g_assert_true (photoseal_age_header_verify_mac (again, file_key));
  }
  return 0;
}
