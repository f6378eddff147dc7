/* photoseal-sealer.c
 *
 * Sealing reads each input once. manifest.json comes first in the bundle
 * and holds every item's size, so the sealer learns the sizes before it
 * writes anything: a file stored as it is has the size fstat() gives; a
 * photo whose metadata is removed goes through its scrubber once ahead
 * (a dry run), which gives its size and, for a photo of a few MiB, keeps
 * the scrubbed bytes so that the file is not read again. Only larger
 * photos are scrubbed a second time while they are written.
 *
 * A file that changed between its size and its copy is refused with
 * %PHOTOSEAL_FORMAT_ERROR_CHANGED: its size, inode and change times are
 * taken again from the open file after the copy. No checksum is needed:
 * the age payload's AEAD authenticates every byte that was written.
 * Memory stays constant whatever the sizes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sealer"

#include "config.h"

#include <string.h>

#include "photoseal-age-output-stream.h"
#include "photoseal-atomic-file.h"
#include "photoseal-bundle-writer.h"
#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-sealer.h"

/* Larger reads fall out of the L2 cache and are several times slower. */
#define READ_SIZE (64 * 1024)
/* Scrubbed photos up to this size are kept from the dry run to the copy,
 * up to a total that keeps memory bounded for any number of photos. */
#define KEEP_ITEM_MAX (8 * 1024 * 1024)
#define KEEP_TOTAL_MAX (16 * 1024 * 1024)

#define STAMP_ATTRIBUTES \
  G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_UNIX_INODE "," \
  G_FILE_ATTRIBUTE_TIME_MODIFIED "," G_FILE_ATTRIBUTE_TIME_MODIFIED_NSEC "," \
  G_FILE_ATTRIBUTE_TIME_CHANGED "," G_FILE_ATTRIBUTE_TIME_CHANGED_NSEC

typedef struct
{
  GFile *file;
  char *content_type;
  char *stamp;
  guint64 input_size;
  gboolean scrub;
  /* The scrubbed bytes, when the dry run kept them. */
  GBytes *kept;
  PhotosealManifestItem entry;
  PhotosealMetadata removed;
} Item;

struct _PhotosealSealer
{
  GObject parent_instance;

  PhotosealManifest *manifest;
  GPtrArray *items;
  GPtrArray *recipients;
  gboolean remove_metadata;
  PhotosealProgressFunc progress_func;
  gpointer progress_data;
  guint64 progress_done;
  guint64 progress_total;
  gsize kept_total;
  guint8 *buffer;
};

G_DEFINE_FINAL_TYPE (PhotosealSealer, photoseal_sealer, G_TYPE_OBJECT)

static void
item_clear (Item *item)
{
  g_clear_pointer (&item->content_type, g_free);
  g_clear_pointer (&item->stamp, g_free);
  g_clear_pointer (&item->kept, g_bytes_unref);
  g_clear_pointer (&item->entry.path, g_free);
  g_clear_pointer (&item->entry.name, g_free);
  g_clear_pointer (&item->entry.media_type, g_free);
  item->entry.metadata_removed = FALSE;
  item->removed = PHOTOSEAL_METADATA_NONE;
}

static void
item_free (Item *item)
{
  item_clear (item);
  g_clear_object (&item->file);
  g_free (item);
}

static void
photoseal_sealer_finalize (GObject *object)
{
  PhotosealSealer *self = (PhotosealSealer *) object;

  g_clear_object (&self->manifest);
  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->recipients);
  g_aligned_free (self->buffer);

  G_OBJECT_CLASS (photoseal_sealer_parent_class)->finalize (object);
}

static void
photoseal_sealer_class_init (PhotosealSealerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_sealer_finalize;
}

static void
photoseal_sealer_init (PhotosealSealer *self)
{
  self->manifest = photoseal_manifest_new ();
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  self->recipients = g_ptr_array_new_with_free_func (g_object_unref);
  self->remove_metadata = TRUE;
}

PhotosealSealer *
photoseal_sealer_new (void)
{
  return g_object_new (PHOTOSEAL_TYPE_SEALER, NULL);
}

/**
 * photoseal_sealer_get_manifest:
 *
 * The manifest to fill in (sender, patient, consent, note) before sealing;
 * its items are filled in by the sealer.
 *
 * Returns: (transfer none): the manifest
 */
PhotosealManifest *
photoseal_sealer_get_manifest (PhotosealSealer *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_SEALER (self), NULL);

  return self->manifest;
}

void
photoseal_sealer_add_file (PhotosealSealer *self,
                           GFile           *file)
{
  Item *item;

  g_return_if_fail (PHOTOSEAL_IS_SEALER (self));
  g_return_if_fail (G_IS_FILE (file));

  item = g_new0 (Item, 1);
  item->file = g_object_ref (file);
  g_ptr_array_add (self->items, item);
}

void
photoseal_sealer_add_recipient (PhotosealSealer    *self,
                                PhotosealRecipient *recipient)
{
  g_return_if_fail (PHOTOSEAL_IS_SEALER (self));
  g_return_if_fail (PHOTOSEAL_IS_RECIPIENT (recipient));

  g_ptr_array_add (self->recipients, g_object_ref (recipient));
}

/**
 * photoseal_sealer_set_remove_metadata:
 *
 * Whether location, camera and other metadata is removed from photos (the
 * default) of the formats photoseal_metadata_describe_formats() names;
 * other media types are always sealed as they are.
 */
void
photoseal_sealer_set_remove_metadata (PhotosealSealer *self,
                                      gboolean         remove_metadata)
{
  g_return_if_fail (PHOTOSEAL_IS_SEALER (self));

  self->remove_metadata = !!remove_metadata;
}

void
photoseal_sealer_set_progress_func (PhotosealSealer       *self,
                                    PhotosealProgressFunc  func,
                                    gpointer               user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_SEALER (self));

  self->progress_func = func;
  self->progress_data = user_data;
}

/**
 * photoseal_sealer_get_removed:
 *
 * What the scrubber removed from the item at @position in the last seal.
 */
PhotosealMetadata
photoseal_sealer_get_removed (PhotosealSealer *self,
                              guint            position)
{
  g_return_val_if_fail (PHOTOSEAL_IS_SEALER (self), PHOTOSEAL_METADATA_NONE);
  g_return_val_if_fail (position < self->items->len, PHOTOSEAL_METADATA_NONE);

  return ((Item *) g_ptr_array_index (self->items, position))->removed;
}

static void
report_progress (PhotosealSealer *self,
                 guint64          step)
{
  self->progress_done += step;
  if (self->progress_func != NULL)
    self->progress_func (MIN (self->progress_done, self->progress_total), self->progress_total,
                         self->progress_data);
}

static gboolean
prefix_error (GError    **error,
              GFile      *file)
{
  g_autofree char *name = g_file_get_parse_name (file);

  g_prefix_error (error, "%s: ", name);
  return FALSE;
}

/* What changes whenever the file's contents change. */
static char *
stamp_from_info (GFileInfo *info)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ".%u:%"
                          G_GUINT64_FORMAT ".%u",
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_STANDARD_SIZE),
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_UNIX_INODE),
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED),
                          g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_NSEC),
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_CHANGED),
                          g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_CHANGED_NSEC));
}

/* The stamp of the open file, from fstat(). */
static char *
query_stamp (GFileInputStream *in,
             GCancellable     *cancellable,
             GError          **error)
{
  g_autoptr(GFileInfo) info = g_file_input_stream_query_info (in, STAMP_ATTRIBUTES,
                                                              cancellable, error);

  return info ? stamp_from_info (info) : NULL;
}

/* The media type comes from the contents: a name can lie. Only when the
 * contents say nothing certain does the name count, and never to make a
 * file a JPEG or PNG, which would send it through a scrubber. */
static char *
detect_content_type (GInputStream *in,
                     const char   *name,
                     GCancellable *cancellable,
                     GError      **error)
{
  g_autoptr(GConverter) scrubber = NULL;
  guint8 head[4096];
  gsize len = 0;
  gboolean uncertain = TRUE;
  char *type;

  if (!g_input_stream_read_all (in, head, sizeof head, &len, cancellable, error))
    return NULL;

  type = g_content_type_guess (NULL, head, len, &uncertain);
  if (!uncertain)
    return type;

  g_free (type);
  type = g_content_type_guess (name, NULL, 0, NULL);
  if ((scrubber = photoseal_scrubber_new_for_content_type (type)) != NULL)
    {
      g_free (type);
      type = g_content_type_from_mime_type ("application/octet-stream");
    }
  return type;
}

/* Learns what the item is: its size and change stamp (from fstat), its
 * media type (from its contents), whether it is scrubbed, and the name it
 * is shown and stored under. */
static gboolean
describe_item (PhotosealSealer *self,
               Item            *item,
               guint            position,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr(GFileInfo) type_info = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GConverter) scrubber = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *base = NULL;

  /* Before opening it: opening a FIFO would block. */
  type_info = g_file_query_info (item->file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                 G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (type_info == NULL)
    return FALSE;
  if (g_file_info_get_file_type (type_info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           "Only regular files can be sealed");
      return FALSE;
    }

  if (!(in = g_file_read (item->file, cancellable, error))
      || !(info = g_file_input_stream_query_info (in, STAMP_ATTRIBUTES, cancellable, error)))
    return FALSE;
  item->input_size = g_file_info_get_size (info);
  item->stamp = stamp_from_info (info);

  base = g_file_get_basename (item->file);
  item->entry.name = g_filename_display_name (base);
  item->content_type = detect_content_type (G_INPUT_STREAM (in), item->entry.name,
                                            cancellable, error);
  if (item->content_type == NULL)
    return FALSE;
  mime = g_content_type_get_mime_type (item->content_type);
  item->entry.media_type = g_strdup (mime ? mime : "application/octet-stream");
  item->entry.path = photoseal_bundle_path_for_item (position, item->entry.name);

  scrubber = photoseal_scrubber_new_for_content_type (item->content_type);
  item->scrub = self->remove_metadata && scrubber != NULL;
  item->entry.size = item->input_size;
  return TRUE;
}

/* Opens the item as it will be stored: through its scrubber if it has one. */
static GInputStream *
open_item (Item              *item,
           GFileInputStream **file_stream,
           GConverter       **scrubber,
           GCancellable      *cancellable,
           GError           **error)
{
  *file_stream = g_file_read (item->file, cancellable, error);
  *scrubber = NULL;
  if (*file_stream == NULL)
    return NULL;
  if (!item->scrub)
    return G_INPUT_STREAM (g_object_ref (*file_stream));

  /* The one place that runs a scrubber. */
  *scrubber = photoseal_scrubber_new_for_content_type (item->content_type);
  return g_converter_input_stream_new (G_INPUT_STREAM (*file_stream), *scrubber);
}

/* Streams the item as it will be stored to @func, reporting progress. */
typedef gboolean (*ChunkFunc) (gpointer      data,
                               const guint8 *chunk,
                               gsize         len,
                               GCancellable *cancellable,
                               GError      **error);

static gboolean
stream_item (PhotosealSealer *self,
             Item            *item,
             ChunkFunc        func,
             gpointer         data,
             guint64         *size,
             char           **stamp,
             GCancellable    *cancellable,
             GError         **error)
{
  g_autoptr(GFileInputStream) file_stream = NULL;
  g_autoptr(GConverter) scrubber = NULL;
  g_autoptr(GInputStream) in = NULL;
  guint64 reported = 0;
  gssize n;

  if (!(in = open_item (item, &file_stream, &scrubber, cancellable, error)))
    return FALSE;

  *size = 0;
  while ((n = g_input_stream_read (in, self->buffer, READ_SIZE, cancellable, error)) > 0)
    {
      *size += n;
      if (!func (data, self->buffer, n, cancellable, error))
        return FALSE;
      if (reported + n <= item->input_size)
        {
          reported += n;
          report_progress (self, n);
        }
    }
  if (n < 0 || !(*stamp = query_stamp (file_stream, cancellable, error)))
    return FALSE;

  if (scrubber != NULL)
    item->removed = photoseal_scrubber_get_removed (scrubber);
  report_progress (self, item->input_size - reported);
  return TRUE;
}

static gboolean
keep_chunk (gpointer      data,
            const guint8 *chunk,
            gsize         len,
            GCancellable *cancellable,
            GError      **error)
{
  GByteArray **kept = data;

  if (*kept != NULL && (*kept)->len + len > KEEP_ITEM_MAX)
    g_clear_pointer (kept, g_byte_array_unref);
  if (*kept != NULL)
    g_byte_array_append (*kept, chunk, len);
  return TRUE;
}

/* The dry run for a photo too large to keep: only its size once scrubbed. */
static gboolean
count_scrubbed (PhotosealSealer *self,
                Item            *item,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(GFileInputStream) in = g_file_read (item->file, cancellable, error);

  if (in == NULL
      || !photoseal_metadata_scrubbed_size (item->content_type, G_INPUT_STREAM (in),
                                            &item->entry.size, &item->removed,
                                            cancellable, error))
    return FALSE;
  report_progress (self, item->input_size);
  return TRUE;
}

/* The scrubber's dry run: the photo's size once scrubbed, and its bytes
 * when they fit in what may be kept. */
static gboolean
measure_scrubbed (PhotosealSealer *self,
                  Item            *item,
                  GCancellable    *cancellable,
                  GError         **error)
{
  g_autoptr(GByteArray) kept = NULL;
  g_autofree char *stamp = NULL;

  /* Scrubbing mostly removes, so a larger input is not worth keeping. */
  if (item->input_size > KEEP_ITEM_MAX || self->kept_total + item->input_size > KEEP_TOTAL_MAX)
    {
      if (!count_scrubbed (self, item, cancellable, error))
        return FALSE;
    }
  else
    {
      kept = g_byte_array_sized_new (item->input_size);
      if (!stream_item (self, item, keep_chunk, &kept, &item->entry.size, &stamp,
                        cancellable, error))
        return FALSE;
    }

  if (kept != NULL && self->kept_total + kept->len <= KEEP_TOTAL_MAX)
    {
      self->kept_total += kept->len;
      item->kept = g_byte_array_free_to_bytes (g_steal_pointer (&kept));
    }
  item->entry.metadata_removed = item->removed != PHOTOSEAL_METADATA_NONE;
  return TRUE;
}

/* Fills in the manifest's items; %NULL when it would break a reader's
 * limit. With @provisional every size is the largest there can be, so
 * the limits are checked before any photo is scrubbed. */
static GBytes *
build_manifest (PhotosealSealer *self,
                gboolean         provisional,
                GError         **error)
{
  photoseal_manifest_clear_items (self->manifest);
  for (guint i = 0; i < self->items->len; i++)
    {
      PhotosealManifestItem entry = ((Item *) g_ptr_array_index (self->items, i))->entry;

      if (provisional)
        entry.size = G_MAXINT64;
      photoseal_manifest_add_item (self->manifest, &entry);
    }

  return photoseal_manifest_to_bytes (self->manifest, error);
}

static GBytes *
prepare_items (PhotosealSealer *self,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr(GBytes) provisional = NULL;

  self->progress_done = 0;
  self->progress_total = 0;
  self->kept_total = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      item_clear (item);
      if (!describe_item (self, item, i, cancellable, error))
        return prefix_error (error, item->file), NULL;
      self->progress_total += item->scrub ? 2 * item->input_size : item->input_size;
    }

  if (!(provisional = build_manifest (self, TRUE, error)))
    return NULL;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->scrub && !measure_scrubbed (self, item, cancellable, error))
        return prefix_error (error, item->file), NULL;
    }

  return build_manifest (self, FALSE, error);
}

static gboolean
write_chunk (gpointer      data,
             const guint8 *chunk,
             gsize         len,
             GCancellable *cancellable,
             GError      **error)
{
  return photoseal_bundle_writer_write (data, chunk, len, cancellable, error);
}

static gboolean
write_item (PhotosealSealer       *self,
            Item                  *item,
            PhotosealBundleWriter *bundle,
            GCancellable          *cancellable,
            GError               **error)
{
  g_autofree char *stamp = NULL;
  guint64 size = 0;

  if (!photoseal_bundle_writer_begin_entry (bundle, item->entry.path, item->entry.size, error))
    return FALSE;

  if (item->kept != NULL)
    {
      report_progress (self, item->input_size);
      return photoseal_bundle_writer_write (bundle, g_bytes_get_data (item->kept, NULL),
                                            g_bytes_get_size (item->kept), cancellable, error);
    }

  if (!stream_item (self, item, write_chunk, bundle, &size, &stamp, cancellable, error))
    return FALSE;
  if (size != item->entry.size || g_strcmp0 (stamp, item->stamp) != 0)
    {
      g_set_error_literal (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_CHANGED,
                           "The file changed while it was being sealed; seal it again");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_bundle (PhotosealSealer       *self,
              PhotosealBundleWriter *bundle,
              GBytes                *manifest,
              GCancellable          *cancellable,
              GError               **error)
{
  if (!photoseal_bundle_writer_begin_entry (bundle, PHOTOSEAL_MANIFEST_PATH,
                                            g_bytes_get_size (manifest), error)
      || !photoseal_bundle_writer_write (bundle, g_bytes_get_data (manifest, NULL),
                                         g_bytes_get_size (manifest), cancellable, error))
    return FALSE;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      gboolean ok = write_item (self, item, bundle, cancellable, error);

      g_clear_pointer (&item->kept, g_bytes_unref);
      if (!ok)
        return prefix_error (error, item->file);
    }

  return photoseal_bundle_writer_close (bundle, cancellable, error);
}

/**
 * photoseal_sealer_seal:
 * @stream: where the .psf goes; it is not closed
 *
 * Seals every added file for every added recipient. Blocks: call it from a
 * worker thread in an interactive program.
 */
gboolean
photoseal_sealer_seal (PhotosealSealer *self,
                       GOutputStream   *stream,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(GOutputStream) age = NULL;
  g_autoptr(PhotosealBundleWriter) bundle = NULL;
  g_autoptr(GBytes) manifest = NULL;

  g_return_val_if_fail (PHOTOSEAL_IS_SEALER (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (self->recipients->len == 0)
    {
      g_set_error_literal (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY,
                           "Nobody could open this file: add a recipient");
      return FALSE;
    }
  if (self->items->len > PHOTOSEAL_MANIFEST_MAX_ITEMS)
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_LIMIT,
                   "A sealed file holds at most %d photos", PHOTOSEAL_MANIFEST_MAX_ITEMS);
      return FALSE;
    }

  if (self->buffer == NULL)
    self->buffer = g_aligned_alloc (1, READ_SIZE, PHOTOSEAL_IO_ALIGNMENT);

  if (!(manifest = prepare_items (self, cancellable, error)))
    return FALSE;

  age = photoseal_age_output_stream_new (stream, self->recipients, cancellable, error);
  if (age == NULL)
    return FALSE;
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (age), FALSE);
  bundle = photoseal_bundle_writer_new (age, photoseal_manifest_get_created (self->manifest));

  return write_bundle (self, bundle, manifest, cancellable, error)
         && photoseal_age_output_stream_finish (PHOTOSEAL_AGE_OUTPUT_STREAM (age), cancellable, error)
         && g_output_stream_close (age, cancellable, error);
}

/**
 * photoseal_sealer_seal_to_file:
 *
 * Like photoseal_sealer_seal(), into @destination, which appears complete
 * or not at all.
 */
gboolean
photoseal_sealer_seal_to_file (PhotosealSealer *self,
                               GFile           *destination,
                               GCancellable    *cancellable,
                               GError         **error)
{
  g_autoptr(PhotosealAtomicFile) output = NULL;

  g_return_val_if_fail (PHOTOSEAL_IS_SEALER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (destination), FALSE);

  output = photoseal_atomic_file_new (destination, error);
  return output != NULL
         && photoseal_sealer_seal (self, photoseal_atomic_file_get_stream (output), cancellable, error)
         && photoseal_atomic_file_commit (output, error);
}
