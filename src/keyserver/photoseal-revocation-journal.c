/* photoseal-revocation-journal.c
 *
 * Every revocation is appended here and fsync'd before the database is
 * touched and long before the 204 goes out. A database restored from last
 * week's backup would otherwise bring back keys revoked since; restore
 * replays this journal over it, so a revoked key stays revoked. One line
 * per revocation: "<key-id> <unix-time>\n".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "photoseal-revocation-journal.h"

static void
revocation_free (PhotosealRevocation *revocation)
{
  g_free (revocation->key_id);
  g_free (revocation);
}

gboolean
photoseal_revocation_journal_append (const char *path,
                                     const char *key_id,
                                     gint64      at,
                                     GError    **error)
{
  g_autofree char *line = g_strdup_printf ("%s %" G_GINT64_FORMAT "\n", key_id, at);
  gsize len = strlen (line);
  int fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  gboolean ok;

  if (fd == -1)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "Could not open the revocation journal “%s”: %s", path, g_strerror (errno));
      return FALSE;
    }
  /* One write of a short line to an O_APPEND file is not interleaved. */
  ok = write (fd, line, len) == (ssize_t) len && fsync (fd) == 0;
  if (!ok)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                 "Could not write the revocation journal “%s”: %s", path, g_strerror (errno));
  close (fd);
  return ok;
}

/**
 * photoseal_revocation_journal_read:
 *
 * Returns: (transfer full) (element-type PhotosealRevocation): the
 *   revocations in order; empty when there is no journal
 */
GPtrArray *
photoseal_revocation_journal_read (const char *path,
                                   GError    **error)
{
  g_autoptr(GPtrArray) revocations = g_ptr_array_new_with_free_func (
    (GDestroyNotify) revocation_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&revocations);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], " ", -1);
      PhotosealRevocation *revocation;
      gint64 at = 0;

      /* A torn last line from a crash mid-append is skipped: its revoke
       * never reached the database or the client either. */
      if (*lines[i] == '\0' || g_strv_length (fields) != 2
          || !g_ascii_string_to_signed (fields[1], 10, 1, G_MAXINT64, &at, NULL))
        continue;
      revocation = g_new0 (PhotosealRevocation, 1);
      revocation->key_id = g_strdup (fields[0]);
      revocation->at = at;
      g_ptr_array_add (revocations, revocation);
    }
  return g_steal_pointer (&revocations);
}
