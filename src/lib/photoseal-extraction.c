/* photoseal-extraction.c
 *
 * Items are written into a hidden 0700 folder inside the destination,
 * created with O_EXCL | O_NOFOLLOW relative to that folder's descriptor, so
 * a name in the bundle can never reach outside it or through a symlink.
 * Commit renames the folder into place without replacing anything; until
 * then a failure removes every file that was written.
 *
 * A process killed mid-way cannot clean up, so the folder is named
 * ".photoseal-partial.NAME.XXXXXX" and holds an flock() for as long as its
 * extraction lives: the next extraction into the same folder removes those
 * of the current user whose lock is free and which have not changed for a
 * while (the grace period covers the instant between mkdtemp and flock).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-extraction"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>

#include "photoseal-error.h"
#include "photoseal-extraction.h"

#define PARTIAL_PREFIX ".photoseal-partial."
#define STALE_AFTER_SECONDS 10

struct _PhotosealExtraction
{
  GObject parent_instance;

  char *parent;
  char *name;
  char *temp_path;
  int dir_fd;
  /* Relative paths of what was created, to undo in reverse order. */
  GPtrArray *created;
  gboolean committed;
};

G_DEFINE_FINAL_TYPE (PhotosealExtraction, photoseal_extraction, G_TYPE_OBJECT)

static void
remove_partial (PhotosealExtraction *self)
{
  for (guint i = self->created->len; i > 0; i--)
    {
      const char *path = g_ptr_array_index (self->created, i - 1);

      if (unlinkat (self->dir_fd, path, 0) != 0 && errno == EISDIR)
        unlinkat (self->dir_fd, path, AT_REMOVEDIR);
    }
  g_rmdir (self->temp_path);
}

static void
photoseal_extraction_finalize (GObject *object)
{
  PhotosealExtraction *self = (PhotosealExtraction *) object;

  if (self->dir_fd != -1)
    {
      if (!self->committed)
        remove_partial (self);
      close (self->dir_fd);
    }
  g_ptr_array_unref (self->created);
  g_free (self->parent);
  g_free (self->name);
  g_free (self->temp_path);

  G_OBJECT_CLASS (photoseal_extraction_parent_class)->finalize (object);
}

static void
photoseal_extraction_class_init (PhotosealExtractionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_extraction_finalize;
}

static void
photoseal_extraction_init (PhotosealExtraction *self)
{
  self->dir_fd = -1;
  self->created = g_ptr_array_new_with_free_func (g_free);
}

/* Removes what an extraction can have made: files in folders. */
static void
remove_tree_at (int         parent_fd,
                const char *name,
                guint       depth)
{
  int fd;
  DIR *stream;

  if (unlinkat (parent_fd, name, 0) == 0 || errno != EISDIR || depth > 64)
    return;
  fd = openat (parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd == -1 || !(stream = fdopendir (fd)))
    {
      if (fd != -1)
        close (fd);
      return;
    }
  for (struct dirent *entry; (entry = readdir (stream));)
    if (strcmp (entry->d_name, ".") != 0 && strcmp (entry->d_name, "..") != 0)
      remove_tree_at (dirfd (stream), entry->d_name, depth + 1);
  closedir (stream);
  unlinkat (parent_fd, name, AT_REMOVEDIR);
}

/* Whether @name in @parent_fd is a partial extraction of ours that nobody
 * is writing: our own folder, unchanged for a while, its lock free. */
static gboolean
is_stale_partial (int         parent_fd,
                  const char *name)
{
  struct stat st;
  gboolean stale;
  int fd;

  if (!g_str_has_prefix (name, PARTIAL_PREFIX)
      || fstatat (parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0
      || !S_ISDIR (st.st_mode) || st.st_uid != getuid ()
      || st.st_mtime > time (NULL) - STALE_AFTER_SECONDS)
    return FALSE;
  fd = openat (parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd == -1)
    return FALSE;
  stale = flock (fd, LOCK_EX | LOCK_NB) == 0;
  close (fd);
  return stale;
}

/* Removes the partial extractions that killed runs left in @parent. */
static void
sweep_stale (const char *parent)
{
  int fd = open (parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *stream;

  if (fd == -1 || !(stream = fdopendir (fd)))
    {
      if (fd != -1)
        close (fd);
      return;
    }
  for (struct dirent *entry; (entry = readdir (stream));)
    if (is_stale_partial (dirfd (stream), entry->d_name))
      {
        g_debug ("Removing a partial extraction a stopped run left: %s", entry->d_name);
        remove_tree_at (dirfd (stream), entry->d_name, 0);
      }
  closedir (stream);
}

/**
 * photoseal_extraction_new:
 * @parent: the folder to extract into; created if missing
 * @name: the name the finished folder should get inside @parent
 */
PhotosealExtraction *
photoseal_extraction_new (GFile      *parent,
                          const char *name,
                          GError    **error)
{
  g_autoptr(PhotosealExtraction) self = NULL;

  g_return_val_if_fail (G_IS_FILE (parent), NULL);
  g_return_val_if_fail (name != NULL && strchr (name, '/') == NULL, NULL);

  self = g_object_new (PHOTOSEAL_TYPE_EXTRACTION, NULL);
  self->parent = g_file_get_path (parent);
  self->name = g_strdup (name);
  if (self->parent == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Photos can only be extracted to a local folder"));
      return NULL;
    }
  if (g_mkdir_with_parents (self->parent, 0700) != 0)
    return photoseal_set_errno_error (error, errno, "create", self->parent), NULL;

  sweep_stale (self->parent);

  self->temp_path = g_strdup_printf ("%s/" PARTIAL_PREFIX "%s.XXXXXX", self->parent, name);
  if (g_mkdtemp_full (self->temp_path, 0700) == NULL)
    return photoseal_set_errno_error (error, errno, "create a folder in", self->parent), NULL;
  self->dir_fd = open (self->temp_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (self->dir_fd != -1)
    flock (self->dir_fd, LOCK_EX | LOCK_NB);
  if (self->dir_fd == -1)
    {
      int saved_errno = errno;

      g_rmdir (self->temp_path);
      return photoseal_set_errno_error (error, saved_errno, "open", self->temp_path), NULL;
    }

  return g_steal_pointer (&self);
}

/* Creates the folders leading to @path (already checked to be safe). */
static gboolean
make_parents (PhotosealExtraction *self,
              const char          *path,
              GError             **error)
{
  g_autofree char *prefix = g_strdup (path);

  for (char *slash = strchr (prefix, '/'); slash; slash = strchr (slash + 1, '/'))
    {
      *slash = '\0';
      if (mkdirat (self->dir_fd, prefix, 0700) == 0)
        g_ptr_array_add (self->created, g_strdup (prefix));
      else if (errno != EEXIST)
        return photoseal_set_errno_error (error, errno, "create", prefix);
      *slash = '/';
    }
  return TRUE;
}

/**
 * photoseal_extraction_create_item:
 * @path: a bundle path that passed photoseal_bundle_path_is_safe()
 *
 * Returns: (transfer full): a stream to write the item to; hand it to
 *   photoseal_extraction_finish_item() when done
 */
GOutputStream *
photoseal_extraction_create_item (PhotosealExtraction *self,
                                  const char          *path,
                                  GError             **error)
{
  int fd;

  g_return_val_if_fail (PHOTOSEAL_IS_EXTRACTION (self), NULL);
  g_return_val_if_fail (!self->committed, NULL);

  if (!make_parents (self, path, error))
    return NULL;
  fd = openat (self->dir_fd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd == -1)
    return photoseal_set_errno_error (error, errno, "create", path), NULL;
  g_ptr_array_add (self->created, g_strdup (path));

  return g_unix_output_stream_new (fd, TRUE);
}

gboolean
photoseal_extraction_finish_item (PhotosealExtraction *self,
                                  GOutputStream       *stream,
                                  GError             **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_EXTRACTION (self), FALSE);
  g_return_val_if_fail (G_IS_UNIX_OUTPUT_STREAM (stream), FALSE);

  if (fsync (g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (stream))) != 0)
    return photoseal_set_errno_error (error, errno, "write", self->name);
  return g_output_stream_close (stream, NULL, error);
}

/**
 * photoseal_extraction_commit:
 *
 * Moves the folder into place as @name, or "@name (2)" and so on when that
 * exists: nothing already there is ever replaced.
 *
 * Returns: (transfer full): the finished folder
 */
GFile *
photoseal_extraction_commit (PhotosealExtraction *self,
                             GError             **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_EXTRACTION (self), NULL);
  g_return_val_if_fail (!self->committed, NULL);

  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *final_path = NULL;
      int parent_fd;

      if (n == 1)
        final_path = g_build_filename (self->parent, self->name, NULL);
      else
        final_path = g_strdup_printf ("%s/%s (%u)", self->parent, self->name, n);

      if (renameat2 (AT_FDCWD, self->temp_path, AT_FDCWD, final_path, RENAME_NOREPLACE) != 0)
        {
          if (errno == EEXIST)
            continue;
          return photoseal_set_errno_error (error, errno, "move into place", final_path), NULL;
        }

      self->committed = TRUE;
      parent_fd = open (self->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (parent_fd != -1)
        {
          fsync (parent_fd);
          close (parent_fd);
        }
      return g_file_new_for_path (final_path);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("Too many folders named “%s” already exist in “%s”"),
               self->name, self->parent);
  return NULL;
}
