/* photoseal-opener.c
 *
 * Opening checks, in order: the age header and its MAC, the manifest as the
 * first entry, then every entry against the manifest (same path, same
 * size, nothing extra), and finally the end of the age payload, whose last
 * chunk must authenticate. Only then does the sink get to keep what it was
 * given. Every byte was authenticated by the payload's AEAD on the way, so
 * items carry no checksum of their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-opener"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "photoseal-age-input-stream.h"
#include "photoseal-bundle-reader.h"
#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-extraction.h"
#include "photoseal-opener.h"

/* Larger reads fall out of the L2 cache and are several times slower. */
#define READ_SIZE (64 * 1024)

struct _PhotosealOpener
{
  GObject parent_instance;

  GInputStream *payload;
  PhotosealBundleReader *bundle;
  PhotosealManifest *manifest;
  GBytes *manifest_bytes;
  PhotosealProgressFunc progress_func;
  gpointer progress_data;
  gboolean items_read;
};

G_DEFINE_FINAL_TYPE (PhotosealOpener, photoseal_opener, G_TYPE_OBJECT)

static void
photoseal_opener_finalize (GObject *object)
{
  PhotosealOpener *self = (PhotosealOpener *) object;

  g_clear_object (&self->bundle);
  g_clear_object (&self->payload);
  g_clear_object (&self->manifest);
  g_clear_pointer (&self->manifest_bytes, g_bytes_unref);

  G_OBJECT_CLASS (photoseal_opener_parent_class)->finalize (object);
}

static void
photoseal_opener_class_init (PhotosealOpenerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_opener_finalize;
}

static void
photoseal_opener_init (PhotosealOpener *self)
{
}

static gboolean
mismatch (GError    **error,
          const char *path,
          const char *why)
{
  g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_MANIFEST,
               _("The file's contents are damaged: “%s” %s"), path, why);
  return FALSE;
}

static GBytes *
read_manifest_entry (PhotosealOpener *self,
                     GCancellable    *cancellable,
                     GError         **error)
{
  g_autofree guint8 *data = NULL;
  const char *path = NULL;
  guint64 size = 0;
  gsize done = 0;
  g_autoptr(GError) local_error = NULL;

  if (!photoseal_bundle_reader_next_entry (self->bundle, &path, &size, cancellable, &local_error))
    {
      if (local_error == NULL)
        mismatch (&local_error, PHOTOSEAL_MANIFEST_PATH, _("is missing"));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (strcmp (path, PHOTOSEAL_MANIFEST_PATH) != 0)
    return mismatch (error, PHOTOSEAL_MANIFEST_PATH, _("is not the first entry")), NULL;
  if (size > PHOTOSEAL_MANIFEST_MAX_SIZE)
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_LIMIT,
                   _("The file's manifest is larger than 1 MiB"));
      return NULL;
    }

  data = g_malloc (size + 1);
  while (done < size)
    {
      gssize n = photoseal_bundle_reader_read (self->bundle, data + done, size - done,
                                               cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        return mismatch (error, PHOTOSEAL_MANIFEST_PATH, _("is truncated")), NULL;
      done += n;
    }

  return g_bytes_new_take (g_steal_pointer (&data), size);
}

/* Past the header when @header is given (read from @stream already). */
static PhotosealOpener *
opener_new (GInputStream       *stream,
            PhotosealAgeHeader *header,
            GPtrArray          *identities,
            GCancellable       *cancellable,
            GError            **error)
{
  g_autoptr(PhotosealOpener) self = g_object_new (PHOTOSEAL_TYPE_OPENER, NULL);

  if (header != NULL)
    self->payload = photoseal_age_input_stream_new_after_header (G_BUFFERED_INPUT_STREAM (stream),
                                                                 header, identities, cancellable,
                                                                 error);
  else
    self->payload = photoseal_age_input_stream_new (stream, identities, cancellable, error);
  if (self->payload == NULL)
    return NULL;
  self->bundle = photoseal_bundle_reader_new (self->payload);

  self->manifest_bytes = read_manifest_entry (self, cancellable, error);
  if (self->manifest_bytes == NULL)
    return NULL;
  self->manifest = photoseal_manifest_new_from_bytes (self->manifest_bytes, error);
  if (self->manifest == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * photoseal_opener_new:
 * @stream: a .psf
 * @identities: (element-type PhotosealIdentity): keys to try
 *
 * Reads the header and the manifest. Nothing in the manifest should be
 * acted on as final until photoseal_opener_read_items() succeeds: only
 * then is the whole file known to be authentic and complete.
 *
 * Returns: (transfer full): the opener, or %NULL with a
 *   %PHOTOSEAL_FORMAT_ERROR or an I/O error
 */
PhotosealOpener *
photoseal_opener_new (GInputStream *stream,
                      GPtrArray    *identities,
                      GCancellable *cancellable,
                      GError      **error)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (identities != NULL, NULL);

  return opener_new (stream, NULL, identities, cancellable, error);
}

/**
 * photoseal_opener_new_after_header:
 * @stream: a .psf, just past the header photoseal_age_header_read() read
 * @header: that header, from which the caller chose @identities
 * @identities: (element-type PhotosealIdentity): keys to try
 *
 * As photoseal_opener_new(), for a file read once, front to back, such as
 * one arriving on a pipe: the header is not read a second time.
 *
 * Returns: (transfer full): the opener, or %NULL
 */
PhotosealOpener *
photoseal_opener_new_after_header (GBufferedInputStream *stream,
                                   PhotosealAgeHeader   *header,
                                   GPtrArray            *identities,
                                   GCancellable         *cancellable,
                                   GError              **error)
{
  g_return_val_if_fail (G_IS_BUFFERED_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (identities != NULL, NULL);

  return opener_new (G_INPUT_STREAM (stream), header, identities, cancellable, error);
}

/**
 * photoseal_opener_get_header:
 *
 * Returns: (transfer none): the age header, with the photoseal stanza
 */
PhotosealAgeHeader *
photoseal_opener_get_header (PhotosealOpener *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_OPENER (self), NULL);

  return photoseal_age_input_stream_get_header (PHOTOSEAL_AGE_INPUT_STREAM (self->payload));
}

/**
 * photoseal_opener_get_manifest:
 *
 * Returns: (transfer none): the manifest
 */
PhotosealManifest *
photoseal_opener_get_manifest (PhotosealOpener *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_OPENER (self), NULL);

  return self->manifest;
}

void
photoseal_opener_set_progress_func (PhotosealOpener       *self,
                                    PhotosealProgressFunc  func,
                                    gpointer               user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_OPENER (self));

  self->progress_func = func;
  self->progress_data = user_data;
}

static gboolean
read_item (PhotosealOpener             *self,
           const PhotosealManifestItem *item,
           const PhotosealItemSink     *sink,
           gpointer                     user_data,
           guint64                     *done,
           guint64                      total,
           GCancellable                *cancellable,
           GError                     **error)
{
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *path = NULL;
  guint64 size = 0;
  guint64 left;

  if (!photoseal_bundle_reader_next_entry (self->bundle, &path, &size, cancellable, &local_error))
    {
      if (local_error == NULL)
        mismatch (&local_error, item->path, _("is missing"));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (strcmp (path, item->path) != 0)
    return mismatch (error, item->path, _("is not where the manifest says"));
  if (size != item->size)
    return mismatch (error, item->path, _("has a different size than the manifest says"));

  if (!(out = sink->begin (item, user_data, error)))
    return FALSE;

  /* The decrypted bytes go to the sink in place, a batch at a time. */
  for (left = size; left > 0;)
    {
      const guint8 *data = NULL;
      gsize n = 0;

      if (!photoseal_bundle_reader_read_block (self->bundle, &data, &n, cancellable, error))
        return FALSE;
      if (n == 0)
        return mismatch (error, item->path, _("is truncated"));
      if (!g_output_stream_write_all (out, data, n, NULL, cancellable, error))
        return FALSE;
      left -= n;
      *done += n;
      if (self->progress_func != NULL)
        self->progress_func (*done, total, self->progress_data);
    }

  return sink->end (item, out, user_data, error);
}

/* Reads past the end of the tar to the end of the age payload, so that the
 * final chunk is authenticated and nothing follows it. */
static gboolean
check_end (PhotosealOpener *self,
           guint8          *buffer,
           GCancellable    *cancellable,
           GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *path = NULL;
  guint64 size = 0;
  gssize n;

  if (photoseal_bundle_reader_next_entry (self->bundle, &path, &size, cancellable, &local_error))
    return mismatch (error, path, _("is not listed in the manifest"));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  while ((n = g_input_stream_read (self->payload, buffer, READ_SIZE, cancellable, error)) > 0)
    ;
  return n == 0;
}

/**
 * photoseal_opener_read_items:
 * @sink: where the items go
 *
 * Streams every item to @sink, checking it against the manifest. Can be
 * called once. On error, whatever @sink was given must be discarded.
 */
gboolean
photoseal_opener_read_items (PhotosealOpener         *self,
                             const PhotosealItemSink *sink,
                             gpointer                 user_data,
                             GCancellable            *cancellable,
                             GError                 **error)
{
  g_autoptr(PhotosealIoBuffer) buffer = NULL;
  guint64 total;
  guint64 done = 0;

  g_return_val_if_fail (PHOTOSEAL_IS_OPENER (self), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (!self->items_read, FALSE);

  self->items_read = TRUE;
  buffer = g_aligned_alloc (1, READ_SIZE, PHOTOSEAL_IO_ALIGNMENT);
  total = photoseal_manifest_get_total_size (self->manifest);

  for (guint i = 0; i < photoseal_manifest_get_n_items (self->manifest); i++)
    if (!read_item (self, photoseal_manifest_get_item (self->manifest, i), sink, user_data,
                    &done, total, cancellable, error))
      return FALSE;

  return check_end (self, buffer, cancellable, error);
}

static GOutputStream *
extraction_begin (const PhotosealManifestItem *item,
                  gpointer                     user_data,
                  GError                     **error)
{
  return photoseal_extraction_create_item (user_data, item->path, error);
}

static gboolean
extraction_end (const PhotosealManifestItem *item,
                GOutputStream               *stream,
                gpointer                     user_data,
                GError                     **error)
{
  return photoseal_extraction_finish_item (user_data, stream, error);
}

/**
 * photoseal_opener_extract:
 * @parent: the folder to extract into
 * @name: the name of the new folder for this file's items
 *
 * Writes manifest.json and every item into a new folder inside @parent,
 * which appears only once the whole file has been checked.
 *
 * Returns: (transfer full): the new folder, or %NULL
 */
GFile *
photoseal_opener_extract (PhotosealOpener *self,
                          GFile           *parent,
                          const char      *name,
                          GCancellable    *cancellable,
                          GError         **error)
{
  static const PhotosealItemSink sink = { extraction_begin, extraction_end };
  g_autoptr(PhotosealExtraction) extraction = NULL;
  g_autoptr(GOutputStream) manifest = NULL;

  g_return_val_if_fail (PHOTOSEAL_IS_OPENER (self), NULL);

  extraction = photoseal_extraction_new (parent, name, error);
  if (extraction == NULL)
    return NULL;

  manifest = photoseal_extraction_create_item (extraction, PHOTOSEAL_MANIFEST_PATH, error);
  if (manifest == NULL
      || !g_output_stream_write_all (manifest, g_bytes_get_data (self->manifest_bytes, NULL),
                                     g_bytes_get_size (self->manifest_bytes), NULL,
                                     cancellable, error)
      || !photoseal_extraction_finish_item (extraction, manifest, error)
      || !photoseal_opener_read_items (self, &sink, extraction, cancellable, error))
    return NULL;

  return photoseal_extraction_commit (extraction, error);
}
