/* photoseal-opened-item.c: one decrypted item, in memory or in an unlinked file
 *
 * The viewer keeps what it opened out of the way of other programs: small
 * items in memory, and items over a limit (a long video) in a 0600 file in
 * the user's runtime folder that is unlinked as soon as it is made, so
 * opening a 2 GB item does not take 2 GB of memory and nothing decrypted
 * is left behind by a crash. Readers reopen the file through /proc, so
 * each has its own position.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-opened-item"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>

#include "photoseal.h"
#include "photoseal-opened-item.h"

struct _PhotosealOpenedItem
{
  GObject parent_instance;

  GBytes *bytes;
  int fd;
};

G_DEFINE_FINAL_TYPE (PhotosealOpenedItem, photoseal_opened_item, G_TYPE_OBJECT)

static void
photoseal_opened_item_finalize (GObject *object)
{
  PhotosealOpenedItem *self = (PhotosealOpenedItem *)object;

  g_clear_pointer (&self->bytes, g_bytes_unref);
  if (self->fd >= 0)
    close (self->fd);

  G_OBJECT_CLASS (photoseal_opened_item_parent_class)->finalize (object);
}

static void
photoseal_opened_item_class_init (PhotosealOpenedItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_opened_item_finalize;
}

static void
photoseal_opened_item_init (PhotosealOpenedItem *self)
{
  self->fd = -1;
}

/* An anonymous 0600 file in the runtime folder: made, then unlinked. */
static int
anonymous_file (GError **error)
{
  g_autofree char *path
    = g_build_filename (g_get_user_runtime_dir (), "photoseal-item-XXXXXX", NULL);
  int fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      photoseal_set_errno_error (error, errno, "create", path);
      return -1;
    }
  g_unlink (path);
  return fd;
}

/**
 * photoseal_opened_item_begin:
 * @size: the item's size, from the manifest
 * @memory_limit: items over this size go to an unlinked file
 *
 * A stream to write an item's bytes into; photoseal_opened_item_end()
 * turns it into the item once everything was written and checked.
 */
GOutputStream *
photoseal_opened_item_begin (guint64   size,
                             guint64   memory_limit,
                             GError  **error)
{
  GOutputStream *stream;
  int fd;

  if (size <= memory_limit)
    return g_memory_output_stream_new_resizable ();

  if ((fd = anonymous_file (error)) < 0)
    return NULL;
  /* The stream closes the file if the item is never finished. */
  stream = g_unix_output_stream_new (fd, TRUE);
  g_object_set_data (G_OBJECT (stream), "photoseal-fd", GINT_TO_POINTER (fd + 1));
  return stream;
}

PhotosealOpenedItem *
photoseal_opened_item_end (GOutputStream  *stream,
                           GError        **error)
{
  g_autoptr(PhotosealOpenedItem) self = g_object_new (PHOTOSEAL_TYPE_OPENED_ITEM, NULL);
  int fd = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (stream), "photoseal-fd")) - 1;

  /* The item keeps its own descriptor of the file; the stream's goes. */
  if (fd >= 0 && (self->fd = fcntl (fd, F_DUPFD_CLOEXEC, 0)) < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not keep a large item: %s", g_strerror (saved_errno));
      return NULL;
    }
  if (!g_output_stream_close (stream, NULL, error))
    return NULL;
  if (G_IS_MEMORY_OUTPUT_STREAM (stream))
    self->bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  return g_steal_pointer (&self);
}

/* Whether the item is held in memory (else in an unlinked file). */
gboolean
photoseal_opened_item_in_memory (PhotosealOpenedItem *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_OPENED_ITEM (self), FALSE);

  return self->bytes != NULL;
}

/**
 * photoseal_opened_item_read:
 *
 * A new stream over the item's bytes, from the start; safe from any thread.
 */
GInputStream *
photoseal_opened_item_read (PhotosealOpenedItem  *self,
                            GError              **error)
{
  g_autofree char *path = NULL;
  int fd;

  g_return_val_if_fail (PHOTOSEAL_IS_OPENED_ITEM (self), NULL);

  if (self->bytes != NULL)
    return g_memory_input_stream_new_from_bytes (self->bytes);

  path = g_strdup_printf ("/proc/self/fd/%d", self->fd);
  if ((fd = g_open (path, O_RDONLY | O_CLOEXEC, 0)) < 0)
    {
      photoseal_set_errno_error (error, errno, "reopen", path);
      return NULL;
    }
  return g_unix_input_stream_new (fd, TRUE);
}

/**
 * photoseal_opened_item_add_to_report:
 * @name: the name the report gives the photo
 *
 * Adds the item to @report as a photo: from memory, or read again from its
 * unlinked file (through its descriptor) each time the report is drawn.
 */
void
photoseal_opened_item_add_to_report (PhotosealOpenedItem *self,
                                     PhotosealReport     *report,
                                     const char          *name)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (PHOTOSEAL_IS_OPENED_ITEM (self));

  if (self->bytes != NULL)
    {
      photoseal_report_add_image_bytes (report, name, self->bytes);
      return;
    }
  path = g_strdup_printf ("/proc/self/fd/%d", self->fd);
  file = g_file_new_for_path (path);
  photoseal_report_add_image_file (report, name, file);
}
