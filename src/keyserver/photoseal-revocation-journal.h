/* photoseal-revocation-journal.h: revocations kept beside the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *key_id;
  gint64 at;
} PhotosealRevocation;

gboolean   photoseal_revocation_journal_append (const char  *path,
                                                const char  *key_id,
                                                gint64       at,
                                                GError     **error);
GPtrArray *photoseal_revocation_journal_read   (const char  *path,
                                                GError     **error);

G_END_DECLS
