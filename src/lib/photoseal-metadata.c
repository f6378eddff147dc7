/* photoseal-metadata.c
 *
 * Picks the scrubber for an image from a table and puts what it removed
 * into words. Scrubbers are GConverters, so a caller streams a file
 * through g_converter_input_stream_new() without knowing which format it
 * is. A new format is a PhotosealScrubber subclass and one row below.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-metadata"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "photoseal-heif-scrubber.h"
#include "photoseal-jpeg-scrubber.h"
#include "photoseal-metadata.h"
#include "photoseal-png-scrubber.h"

#define COUNT_BUFFER_SIZE (64 * 1024)

/* Aliases and subtypes of a content type share its row. */
static const struct
{
  const char *content_type;
  /* What users call files of this type, as in "JPEG, PNG and HEIC". */
  const char *name;
  GType (*get_type) (void);
} scrubbers[] = {
  { "image/jpeg", "JPEG", photoseal_jpeg_scrubber_get_type },
  { "image/png", "PNG", photoseal_png_scrubber_get_type },
  { "image/heif", "HEIC", photoseal_heif_scrubber_get_type },
  { "image/avif", "AVIF", photoseal_heif_scrubber_get_type },
};

/* In the order a user cares about them: where and with what the photo was
 * taken comes first. */
static const struct
{
  PhotosealMetadata flag;
  const char *label;
} labels[] = {
  { PHOTOSEAL_METADATA_EXIF, N_("EXIF camera data") },
  { PHOTOSEAL_METADATA_GPS, N_("GPS location") },
  { PHOTOSEAL_METADATA_XMP, N_("XMP") },
  { PHOTOSEAL_METADATA_IPTC, N_("IPTC") },
  { PHOTOSEAL_METADATA_COMMENT, N_("comments") },
  { PHOTOSEAL_METADATA_THUMBNAIL, N_("thumbnail image") },
  { PHOTOSEAL_METADATA_TEXT, N_("text notes") },
  { PHOTOSEAL_METADATA_TRAILER, N_("data after the image") },
  { PHOTOSEAL_METADATA_OTHER, N_("other metadata") },
};

static GType
find_scrubber_type (const char *content_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (scrubbers); i++)
    if (g_content_type_is_a (content_type, scrubbers[i].content_type))
      return scrubbers[i].get_type ();
  return G_TYPE_INVALID;
}

/**
 * photoseal_scrubber_new_for_content_type:
 * @content_type: a content type, such as one from g_file_info_get_content_type()
 *
 * Aliases and subtypes count: "image/pjpeg" gets the JPEG scrubber.
 *
 * Returns: (transfer full) (nullable): a new #PhotosealScrubber, or %NULL
 *   when @content_type is not an image Photoseal can scrub, in which case
 *   the file is stored as it is
 */
GConverter *
photoseal_scrubber_new_for_content_type (const char *content_type)
{
  GType type;

  g_return_val_if_fail (content_type != NULL, NULL);

  type = find_scrubber_type (content_type);
  return type != G_TYPE_INVALID ? g_object_new (type, NULL) : NULL;
}

/**
 * photoseal_metadata_get_support:
 * @content_type: a content type
 *
 * Tells a caller which files to offer for sealing: images are sealed,
 * and those of the types in the table have their metadata removed too.
 *
 * Returns: how the library seals files of @content_type
 */
PhotosealSupport
photoseal_metadata_get_support (const char *content_type)
{
  g_return_val_if_fail (content_type != NULL, PHOTOSEAL_SUPPORT_NONE);

  if (find_scrubber_type (content_type) != G_TYPE_INVALID)
    return PHOTOSEAL_SUPPORT_SCRUBBED;
  if (g_content_type_is_a (content_type, "image/*"))
    return PHOTOSEAL_SUPPORT_AS_IS;
  return PHOTOSEAL_SUPPORT_NONE;
}

/**
 * photoseal_metadata_describe_formats:
 *
 * Returns: (transfer full): the formats metadata is removed from, in the
 *   user's language, such as "JPEG, PNG, HEIC and AVIF"
 */
char *
photoseal_metadata_describe_formats (void)
{
  GString *text = g_string_new (scrubbers[0].name);

  for (guint i = 1; i < G_N_ELEMENTS (scrubbers); i++)
    {
      if (i + 1 < G_N_ELEMENTS (scrubbers))
        /* TRANSLATORS: between the image formats in a list, such as "JPEG, PNG" */
        g_string_append (text, _(", "));
      else
        /* TRANSLATORS: before the last image format in a list, such as "PNG and HEIC" */
        g_string_append (text, _(" and "));
      g_string_append (text, scrubbers[i].name);
    }
  return g_string_free (text, FALSE);
}

/**
 * photoseal_metadata_scrubbed_size:
 * @content_type: the content type of @in
 * @in: the file as it is
 * @size: (out): how many bytes the file has once scrubbed
 * @removed: (out) (optional): the kinds of metadata scrubbing removes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Scrubs @in as sealing would, but keeps only the count of what comes
 * out, to know an item's size before it is written. A content type
 * without a scrubber counts @in as it is.
 *
 * Returns: %TRUE on success; %FALSE with @error set when @in cannot be
 *   read or is not a valid image of its type
 */
gboolean
photoseal_metadata_scrubbed_size (const char         *content_type,
                                  GInputStream       *in,
                                  guint64            *size,
                                  PhotosealMetadata  *removed,
                                  GCancellable       *cancellable,
                                  GError            **error)
{
  g_autoptr(GConverter) scrubber = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree guint8 *buffer = NULL;
  gssize n;

  g_return_val_if_fail (content_type != NULL, FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (in), FALSE);
  g_return_val_if_fail (size != NULL, FALSE);

  scrubber = photoseal_scrubber_new_for_content_type (content_type);
  stream = scrubber != NULL ? g_converter_input_stream_new (in, scrubber) : g_object_ref (in);
  buffer = g_malloc (COUNT_BUFFER_SIZE);

  *size = 0;
  while ((n = g_input_stream_read (stream, buffer, COUNT_BUFFER_SIZE, cancellable, error)) > 0)
    *size += n;
  if (n < 0)
    return FALSE;

  if (removed != NULL)
    *removed = scrubber != NULL ? photoseal_scrubber_get_removed (scrubber)
                                : PHOTOSEAL_METADATA_NONE;
  return TRUE;
}

/**
 * photoseal_metadata_describe:
 * @removed: flags from photoseal_scrubber_get_removed()
 *
 * Returns: (transfer full): a list in the user's language, such as
 *   "EXIF camera data, GPS location, XMP", or "nothing"
 */
char *
photoseal_metadata_describe (PhotosealMetadata removed)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      if (!(removed & labels[i].flag))
        continue;
      if (text->len > 0)
        /* TRANSLATORS: between the kinds of metadata in a list */
        g_string_append (text, _(", "));
      g_string_append (text, _(labels[i].label));
    }

  if (text->len == 0)
    /* TRANSLATORS: no metadata was removed */
    g_string_append (text, _("nothing"));
  return g_string_free (text, FALSE);
}
