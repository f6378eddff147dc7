/* photoseal-bundle-writer.c
 *
 * A POSIX pax tar stream through libarchive, written to any GOutputStream,
 * so that "age -d … | tar x" works on a .psf for an archive recipient.
 * Entries are regular files, mode 0600, all stamped with the seal time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-bundle-writer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <archive.h>
#include <archive_entry.h>

#include "photoseal-bundle-writer.h"
#include "photoseal-error.h"

struct _PhotosealBundleWriter
{
  GObject parent_instance;

  GOutputStream *stream;
  struct archive *archive;
  gint64 mtime;
  guint64 remaining;
  /* Set for the duration of a call, so that libarchive's callback can
   * honour cancellation and hand back the stream's own error. */
  GCancellable *cancellable;
  GError *stream_error;
  gboolean opened;
};

G_DEFINE_FINAL_TYPE (PhotosealBundleWriter, photoseal_bundle_writer, G_TYPE_OBJECT)

static la_ssize_t
write_callback (struct archive *archive,
                void           *user_data,
                const void     *buffer,
                size_t          len)
{
  PhotosealBundleWriter *self = user_data;

  if (!g_output_stream_write_all (self->stream, buffer, len, NULL, self->cancellable,
                                  self->stream_error ? NULL : &self->stream_error))
    return -1;
  return len;
}

static gboolean
archive_failed (PhotosealBundleWriter *self,
                GError               **error)
{
  if (self->stream_error != NULL)
    g_propagate_error (error, g_steal_pointer (&self->stream_error));
  else
    g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_BUNDLE,
                 _("Could not write the bundle: %s"), archive_error_string (self->archive));
  return FALSE;
}

static void
photoseal_bundle_writer_finalize (GObject *object)
{
  PhotosealBundleWriter *self = (PhotosealBundleWriter *) object;

  /* Freeing without closing drops the end-of-archive blocks: an
   * abandoned bundle stays visibly incomplete. */
  if (self->archive != NULL)
    archive_write_free (self->archive);
  g_clear_error (&self->stream_error);
  g_clear_object (&self->stream);

  G_OBJECT_CLASS (photoseal_bundle_writer_parent_class)->finalize (object);
}

static void
photoseal_bundle_writer_class_init (PhotosealBundleWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_bundle_writer_finalize;
}

static void
photoseal_bundle_writer_init (PhotosealBundleWriter *self)
{
}

/**
 * photoseal_bundle_writer_new:
 * @stream: where the tar stream goes (usually a #PhotosealAgeOutputStream)
 * @mtime: the time stamped on every entry
 */
PhotosealBundleWriter *
photoseal_bundle_writer_new (GOutputStream *stream,
                             GDateTime     *mtime)
{
  PhotosealBundleWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);
  g_return_val_if_fail (mtime != NULL, NULL);

  self = g_object_new (PHOTOSEAL_TYPE_BUNDLE_WRITER, NULL);
  self->stream = g_object_ref (stream);
  self->mtime = g_date_time_to_unix (mtime);
  self->archive = archive_write_new ();
  archive_write_set_format_pax_restricted (self->archive);
  /* Pad only to the 512-byte record, not to a 10 KiB block: the tar is
   * inside an encrypted stream, never on a tape. */
  archive_write_set_bytes_in_last_block (self->archive, 1);
  return self;
}

gboolean
photoseal_bundle_writer_begin_entry (PhotosealBundleWriter *self,
                                     const char            *path,
                                     guint64                size,
                                     GError               **error)
{
  struct archive_entry *entry;
  int r;

  g_return_val_if_fail (PHOTOSEAL_IS_BUNDLE_WRITER (self), FALSE);
  g_return_val_if_fail (self->remaining == 0, FALSE);

  if (!self->opened)
    {
      if (archive_write_open2 (self->archive, self, NULL, write_callback, NULL, NULL) != ARCHIVE_OK)
        return archive_failed (self, error);
      self->opened = TRUE;
    }

  entry = archive_entry_new ();
  archive_entry_set_pathname_utf8 (entry, path);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0600);
  archive_entry_set_size (entry, size);
  archive_entry_set_mtime (entry, self->mtime, 0);
  r = archive_write_header (self->archive, entry);
  archive_entry_free (entry);
  if (r != ARCHIVE_OK)
    return archive_failed (self, error);

  self->remaining = size;
  return TRUE;
}

/**
 * photoseal_bundle_writer_write:
 *
 * Appends data to the current entry; more than the size announced in
 * photoseal_bundle_writer_begin_entry() is %PHOTOSEAL_FORMAT_ERROR_CHANGED.
 */
gboolean
photoseal_bundle_writer_write (PhotosealBundleWriter *self,
                               const void            *data,
                               gsize                  len,
                               GCancellable          *cancellable,
                               GError               **error)
{
  const char *p = data;

  g_return_val_if_fail (PHOTOSEAL_IS_BUNDLE_WRITER (self), FALSE);

  if (len > self->remaining)
    {
      g_set_error_literal (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_CHANGED,
                           _("A file grew while it was being sealed"));
      return FALSE;
    }

  self->cancellable = cancellable;
  while (len > 0)
    {
      la_ssize_t n = archive_write_data (self->archive, p, len);

      if (n <= 0)
        {
          self->cancellable = NULL;
          return archive_failed (self, error);
        }
      p += n;
      len -= n;
      self->remaining -= n;
    }
  self->cancellable = NULL;
  return TRUE;
}

/**
 * photoseal_bundle_writer_close:
 *
 * Writes the end-of-archive records. The stream given at construction is
 * flushed but not closed.
 */
gboolean
photoseal_bundle_writer_close (PhotosealBundleWriter *self,
                               GCancellable          *cancellable,
                               GError               **error)
{
  gboolean ok;

  g_return_val_if_fail (PHOTOSEAL_IS_BUNDLE_WRITER (self), FALSE);

  if (self->remaining != 0)
    {
      g_set_error_literal (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_CHANGED,
                           _("A file shrank while it was being sealed"));
      return FALSE;
    }

  self->cancellable = cancellable;
  if (!self->opened
      && archive_write_open2 (self->archive, self, NULL, write_callback, NULL, NULL) != ARCHIVE_OK)
    ok = archive_failed (self, error);
  else
    ok = archive_write_close (self->archive) == ARCHIVE_OK || archive_failed (self, error);
  self->cancellable = NULL;
  self->opened = TRUE;
  return ok;
}
