/* photoseal-metadata.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "photoseal-metadata.h"

/* Placeholder until the scrubbers land: nothing is scrubbed. */
GConverter *
photoseal_scrubber_new_for_content_type (const char *content_type)
{
  return NULL;
}

PhotosealMetadata
photoseal_scrubber_get_removed (GConverter *scrubber)
{
  return PHOTOSEAL_METADATA_NONE;
}

char *
photoseal_metadata_describe (PhotosealMetadata removed)
{
  return g_strdup ("nothing");
}
