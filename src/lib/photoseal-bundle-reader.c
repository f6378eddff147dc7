/* photoseal-bundle-reader.c
 *
 * libarchive's tar reader, restricted to what a .psf may hold: regular
 * files with safe relative paths. Links, devices, FIFOs, folders, sparse
 * files and anything with "..", an absolute path or an oversized name are
 * refused before a byte of them is handed on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-bundle-reader"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <archive.h>
#include <archive_entry.h>

#include "photoseal-age-input-stream.h"
#include "photoseal-bundle-reader.h"
#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-manifest.h"

#define READ_BUFFER_SIZE (64 * 1024)

struct _PhotosealBundleReader
{
  GObject parent_instance;

  GInputStream *stream;
  struct archive *archive;
  guint8 *buffer;
  char *path;
  guint64 size;
  guint64 remaining;
  /* As in the writer: the call's cancellable and the stream's own error,
   * so that a payload failure underneath is reported as itself. */
  GCancellable *cancellable;
  GError *stream_error;
  gboolean opened;
};

G_DEFINE_FINAL_TYPE (PhotosealBundleReader, photoseal_bundle_reader, G_TYPE_OBJECT)

static la_ssize_t
read_callback (struct archive *archive,
               void           *user_data,
               const void    **buffer)
{
  PhotosealBundleReader *self = user_data;
  GError **error = self->stream_error ? NULL : &self->stream_error;
  const guint8 *data = NULL;
  gssize n;

  /* Straight from the decrypted batch: libarchive hands entry data out in
   * place, so an item's bytes are copied only by the write that stores them. */
  if (PHOTOSEAL_IS_AGE_INPUT_STREAM (self->stream))
    {
      gsize len = 0;

      if (!photoseal_age_input_stream_read_block (PHOTOSEAL_AGE_INPUT_STREAM (self->stream),
                                                  &data, &len, self->cancellable, error))
        return -1;
      n = len;
    }
  else
    {
      n = g_input_stream_read (self->stream, self->buffer, READ_BUFFER_SIZE, self->cancellable,
                               error);
      data = self->buffer;
    }
  *buffer = data;
  return n;
}

static gboolean
bundle_error (PhotosealBundleReader *self,
              GError               **error,
              const char            *why)
{
  if (self->stream_error != NULL)
    g_propagate_error (error, g_steal_pointer (&self->stream_error));
  else
    g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_BUNDLE,
                 _("The file's contents are damaged: %s"), why);
  return FALSE;
}

static void
photoseal_bundle_reader_finalize (GObject *object)
{
  PhotosealBundleReader *self = (PhotosealBundleReader *) object;

  archive_read_free (self->archive);
  g_clear_error (&self->stream_error);
  g_clear_object (&self->stream);
  g_aligned_free (self->buffer);
  g_free (self->path);

  G_OBJECT_CLASS (photoseal_bundle_reader_parent_class)->finalize (object);
}

static void
photoseal_bundle_reader_class_init (PhotosealBundleReaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_bundle_reader_finalize;
}

static void
photoseal_bundle_reader_init (PhotosealBundleReader *self)
{
  self->buffer = g_aligned_alloc (1, READ_BUFFER_SIZE, PHOTOSEAL_IO_ALIGNMENT);
  self->archive = archive_read_new ();
  /* Tar only, no decompression filters: nothing else belongs in a .psf. */
  archive_read_support_format_tar (self->archive);
  /* Past the end marker, read on instead of stopping: only the zero
   * padding of the last record may follow, and anything else there (plain
   * text a tar reader would never show, a second archive) is refused as
   * damage or as an entry the manifest does not list. */
  archive_read_set_format_option (self->archive, "tar", "read_concatenated_archives", "1");
}

PhotosealBundleReader *
photoseal_bundle_reader_new (GInputStream *stream)
{
  PhotosealBundleReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_object_new (PHOTOSEAL_TYPE_BUNDLE_READER, NULL);
  self->stream = g_object_ref (stream);
  return self;
}

/**
 * photoseal_bundle_entry_type_is_safe:
 * @file_type: the entry's type, the S_IFMT bits of its mode
 * @link: (nullable): what the entry links to, if it is a hard or symbolic link
 * @sparse: whether the entry is a sparse file
 *
 * Whether an entry of this type may be handed on: a plain regular file only.
 */
gboolean
photoseal_bundle_entry_type_is_safe (guint       file_type,
                                     const char *link,
                                     gboolean    sparse)
{
  return file_type == AE_IFREG && link == NULL && !sparse;
}

static gboolean
check_entry (PhotosealBundleReader *self,
             struct archive_entry  *entry,
             GError               **error)
{
  const char *path = archive_entry_pathname_utf8 (entry);
  const char *link;

  if (path == NULL)
    path = archive_entry_pathname (entry);
  if (!photoseal_bundle_path_is_safe (path))
    return bundle_error (self, error, _("an entry has an unsafe name"));
  link = archive_entry_hardlink (entry) ? archive_entry_hardlink (entry)
                                          : archive_entry_symlink (entry);
  if (!photoseal_bundle_entry_type_is_safe (archive_entry_filetype (entry), link,
                                            archive_entry_sparse_count (entry) > 0))
    return bundle_error (self, error, _("an entry is not a regular file"));
  if (!archive_entry_size_is_set (entry) || archive_entry_size (entry) < 0)
    return bundle_error (self, error, _("an entry has no size"));

  g_free (self->path);
  self->path = g_strdup (path);
  return TRUE;
}

/**
 * photoseal_bundle_reader_next_entry:
 * @path: (out) (transfer none): the entry's path, valid until the next call
 * @size: (out): the entry's size
 *
 * Returns: %TRUE with the next entry; %FALSE at the end (no error, and the
 *   rest of @stream read and found to be padding) or on a damaged or unsafe bundle (%PHOTOSEAL_FORMAT_ERROR_BUNDLE, or the
 *   underlying stream's error)
 */
gboolean
photoseal_bundle_reader_next_entry (PhotosealBundleReader *self,
                                    const char           **path,
                                    guint64               *size,
                                    GCancellable          *cancellable,
                                    GError               **error)
{
  struct archive_entry *entry = NULL;
  int r;

  g_return_val_if_fail (PHOTOSEAL_IS_BUNDLE_READER (self), FALSE);

  self->cancellable = cancellable;
  if (!self->opened)
    {
      self->opened = TRUE;
      r = archive_read_open (self->archive, self, NULL, read_callback, NULL);
      if (r != ARCHIVE_OK)
        {
          self->cancellable = NULL;
          return bundle_error (self, error, archive_error_string (self->archive));
        }
    }
  r = archive_read_next_header (self->archive, &entry);
  self->cancellable = NULL;

  if (r == ARCHIVE_EOF)
    return self->stream_error ? bundle_error (self, error, "") : FALSE;
  if (r != ARCHIVE_OK)
    return bundle_error (self, error, archive_error_string (self->archive));
  if (!check_entry (self, entry, error))
    return FALSE;

  *path = self->path;
  *size = self->size = self->remaining = archive_entry_size (entry);
  return TRUE;
}

/**
 * photoseal_bundle_reader_read:
 *
 * Reads from the current entry. Returns 0 at its end, -1 on error.
 */
gssize
photoseal_bundle_reader_read (PhotosealBundleReader *self,
                              void                  *buffer,
                              gsize                  len,
                              GCancellable          *cancellable,
                              GError               **error)
{
  la_ssize_t n;

  g_return_val_if_fail (PHOTOSEAL_IS_BUNDLE_READER (self), -1);

  self->cancellable = cancellable;
  n = archive_read_data (self->archive, buffer, len);
  self->cancellable = NULL;

  if (n < 0)
    {
      bundle_error (self, error, archive_error_string (self->archive));
      return -1;
    }
  /* Never hand out more than the header announced, whatever the format
   * variant libarchive recognised. */
  if ((guint64) n > self->remaining)
    {
      bundle_error (self, error, _("an entry holds more data than its size"));
      return -1;
    }
  self->remaining -= n;
  return n;
}

/**
 * photoseal_bundle_reader_read_block:
 * @data: (out) (transfer none): the next bytes of the current entry, valid
 *   until the next call on @self
 * @len: (out): how many; 0 at the entry's end
 *
 * Like photoseal_bundle_reader_read() without a copy.
 */
gboolean
photoseal_bundle_reader_read_block (PhotosealBundleReader  *self,
                                    const guint8          **data,
                                    gsize                  *len,
                                    GCancellable           *cancellable,
                                    GError                **error)
{
  const void *block = NULL;
  size_t size = 0;
  la_int64_t offset = 0;
  int r;

  g_return_val_if_fail (PHOTOSEAL_IS_BUNDLE_READER (self), FALSE);

  self->cancellable = cancellable;
  r = archive_read_data_block (self->archive, &block, &size, &offset);
  self->cancellable = NULL;

  *data = NULL;
  *len = 0;
  if (r == ARCHIVE_EOF)
    return TRUE;
  if (r != ARCHIVE_OK)
    return bundle_error (self, error, archive_error_string (self->archive));
  /* Never hand out more than the header announced, nor out of order. */
  if (size > self->remaining || offset < 0
      || (guint64) offset != self->size - self->remaining)
    return bundle_error (self, error, "an entry holds more data than its size");

  self->remaining -= size;
  *data = block;
  *len = size;
  return TRUE;
}
