/* hostile-files.h: crafted .psf files and parts of them, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal.h"

G_BEGIN_DECLS

typedef struct
{
  const char *path;
  int type;             /* an AE_IF* file type; 0 is a regular file */
  const char *contents;
  gint64 size;          /* the size the header claims; -1 for the contents' */
  const char *link;
} HostileEntry;

/* One STREAM chunk of a hand-made payload: @len plaintext bytes, sealed
 * with the final flag when @final, whatever its position. */
typedef struct
{
  gsize len;
  gboolean final;
} HostileChunk;

GBytes *hostile_tar               (const HostileEntry *entries,
                                   guint               n_entries);
char   *hostile_manifest          (const char         *items_json);
char   *hostile_manifest_item     (const char         *path,
                                   const char         *name,
                                   const char         *contents,
                                   gint64              size);
char   *hostile_deep_manifest     (guint               depth);
char   *hostile_many_items        (guint               n_items);
GBytes *hostile_encrypt           (GPtrArray          *recipients,
                                   GBytes             *plain);
GBytes *hostile_age_file          (PhotosealRecipient *recipient,
                                   const HostileChunk *chunks,
                                   guint               n_chunks,
                                   const char         *trailing,
                                   GBytes            **plain);
GBytes *hostile_psf               (const char         *kind,
                                   GPtrArray          *recipients,
                                   GError            **error);

extern const char *const hostile_psf_kinds[];

G_END_DECLS
