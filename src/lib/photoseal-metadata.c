/* photoseal-metadata.c
 *
 * Picks the scrubber for an image and puts what it removed into words.
 * Scrubbers are GConverters, so a caller streams a file through
 * g_converter_input_stream_new() without knowing which format it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-metadata"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "photoseal-jpeg-scrubber.h"
#include "photoseal-metadata.h"
#include "photoseal-png-scrubber.h"

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

/**
 * photoseal_scrubber_new_for_content_type:
 * @content_type: a content type, such as one from g_file_info_get_content_type()
 *
 * Aliases and subtypes count: "image/pjpeg" gets the JPEG scrubber.
 *
 * Returns: (transfer full) (nullable): a new scrubber, or %NULL when
 *   @content_type is not an image Photoseal can scrub, in which case the
 *   file is stored as it is
 */
GConverter *
photoseal_scrubber_new_for_content_type (const char *content_type)
{
  g_return_val_if_fail (content_type != NULL, NULL);

  if (g_content_type_is_a (content_type, "image/jpeg"))
    return G_CONVERTER (photoseal_jpeg_scrubber_new ());
  if (g_content_type_is_a (content_type, "image/png"))
    return G_CONVERTER (photoseal_png_scrubber_new ());
  return NULL;
}

/**
 * photoseal_scrubber_get_removed:
 * @scrubber: a scrubber from photoseal_scrubber_new_for_content_type()
 *
 * Returns: the kinds of metadata @scrubber has removed since it was
 *   created or last reset
 */
PhotosealMetadata
photoseal_scrubber_get_removed (GConverter *scrubber)
{
  if (PHOTOSEAL_IS_JPEG_SCRUBBER (scrubber))
    return photoseal_jpeg_scrubber_get_removed (PHOTOSEAL_JPEG_SCRUBBER (scrubber));
  if (PHOTOSEAL_IS_PNG_SCRUBBER (scrubber))
    return photoseal_png_scrubber_get_removed (PHOTOSEAL_PNG_SCRUBBER (scrubber));

  g_return_val_if_reached (PHOTOSEAL_METADATA_NONE);
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
