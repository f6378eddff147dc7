/* photoseal-opener.h: one .psf in, its manifest and items out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-age-header.h"
#include "photoseal-manifest.h"
#include "photoseal-progress.h"

G_BEGIN_DECLS

/**
 * PhotosealItemSink:
 * @begin: returns a stream for the item's bytes, or %NULL with an error
 * @end: takes the stream back once the item's bytes are all written and
 *   checked; the item may be kept only when everything succeeded
 *
 * Where opened items go: a folder, or memory for a viewer.
 */
typedef struct
{
  GOutputStream *(*begin) (const PhotosealManifestItem *item,
                           gpointer                     user_data,
                           GError                     **error);
  gboolean       (*end)   (const PhotosealManifestItem *item,
                           GOutputStream               *stream,
                           gpointer                     user_data,
                           GError                     **error);
} PhotosealItemSink;

#define PHOTOSEAL_TYPE_OPENER (photoseal_opener_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealOpener, photoseal_opener, PHOTOSEAL, OPENER, GObject)

PhotosealOpener    *photoseal_opener_new                (GInputStream             *stream,
                                                         GPtrArray                *identities,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);
PhotosealOpener    *photoseal_opener_new_after_header   (GBufferedInputStream     *stream,
                                                         PhotosealAgeHeader       *header,
                                                         GPtrArray                *identities,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);
PhotosealAgeHeader *photoseal_opener_get_header         (PhotosealOpener          *self);
PhotosealManifest  *photoseal_opener_get_manifest       (PhotosealOpener          *self);
void                photoseal_opener_set_progress_func  (PhotosealOpener          *self,
                                                         PhotosealProgressFunc     func,
                                                         gpointer                  user_data);
gboolean            photoseal_opener_read_items         (PhotosealOpener          *self,
                                                         const PhotosealItemSink  *sink,
                                                         gpointer                  user_data,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);
GFile              *photoseal_opener_extract            (PhotosealOpener          *self,
                                                         GFile                    *parent,
                                                         const char               *name,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);

G_END_DECLS
