/* photoseal-atomic-file.c
 *
 * Output goes to a hidden temporary file in the destination's folder (so
 * the final rename stays on one file system), is fsync'd, then renamed over
 * the destination and the folder fsync'd. Until commit, a crash or an error
 * leaves the destination as it was; an uncommitted file is removed when
 * the object is finalised. The file keeps mkstemp's mode 0600: it is only
 * ever read by the person who wrote it until they share it on purpose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-atomic-file"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>

#include "photoseal-atomic-file.h"
#include "photoseal-error.h"

struct _PhotosealAtomicFile
{
  GObject parent_instance;

  char *path;
  char *temp_path;
  GOutputStream *stream;
  int fd;
};

G_DEFINE_FINAL_TYPE (PhotosealAtomicFile, photoseal_atomic_file, G_TYPE_OBJECT)

static void
photoseal_atomic_file_finalize (GObject *object)
{
  PhotosealAtomicFile *self = (PhotosealAtomicFile *) object;

  g_clear_object (&self->stream);
  if (self->fd != -1)
    {
      close (self->fd);
      g_unlink (self->temp_path);
    }
  g_free (self->path);
  g_free (self->temp_path);

  G_OBJECT_CLASS (photoseal_atomic_file_parent_class)->finalize (object);
}

static void
photoseal_atomic_file_class_init (PhotosealAtomicFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_atomic_file_finalize;
}

static void
photoseal_atomic_file_init (PhotosealAtomicFile *self)
{
  self->fd = -1;
}

/**
 * photoseal_atomic_file_new:
 * @destination: a local file
 */
PhotosealAtomicFile *
photoseal_atomic_file_new (GFile   *destination,
                           GError **error)
{
  g_autoptr(PhotosealAtomicFile) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (G_IS_FILE (destination), NULL);

  self = g_object_new (PHOTOSEAL_TYPE_ATOMIC_FILE, NULL);
  self->path = g_file_get_path (destination);
  if (self->path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only local files can be written"));
      return NULL;
    }

  dir = g_path_get_dirname (self->path);
  base = g_path_get_basename (self->path);
  self->temp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  self->fd = g_mkstemp_full (self->temp_path, O_RDWR | O_CLOEXEC, 0600);
  if (self->fd == -1)
    return photoseal_set_errno_error (error, errno, "create a file in", dir), NULL;

  self->stream = g_unix_output_stream_new (self->fd, FALSE);
  return g_steal_pointer (&self);
}

/**
 * photoseal_atomic_file_get_stream:
 *
 * Returns: (transfer none): where to write the contents
 */
GOutputStream *
photoseal_atomic_file_get_stream (PhotosealAtomicFile *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_ATOMIC_FILE (self), NULL);

  return self->stream;
}

static void
sync_folder (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd != -1)
    {
      fsync (fd);
      close (fd);
    }
}

gboolean
photoseal_atomic_file_commit (PhotosealAtomicFile *self,
                              GError             **error)
{
  int fd;

  g_return_val_if_fail (PHOTOSEAL_IS_ATOMIC_FILE (self), FALSE);
  g_return_val_if_fail (self->fd != -1, FALSE);

  if (!g_output_stream_is_closed (self->stream)
      && !g_output_stream_close (self->stream, NULL, error))
    return FALSE;
  if (fsync (self->fd) != 0)
    return photoseal_set_errno_error (error, errno, "write", self->path);

  fd = self->fd;
  self->fd = -1;
  close (fd);
  if (g_rename (self->temp_path, self->path) != 0)
    {
      int saved_errno = errno;

      g_unlink (self->temp_path);
      return photoseal_set_errno_error (error, saved_errno, "save", self->path);
    }
  sync_folder (self->path);
  return TRUE;
}
