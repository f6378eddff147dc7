/* photoseal-bundle-reader.h: reads the tar stream inside a .psf, strictly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_BUNDLE_READER (photoseal_bundle_reader_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealBundleReader, photoseal_bundle_reader,
                      PHOTOSEAL, BUNDLE_READER, GObject)

gboolean               photoseal_bundle_entry_type_is_safe (guint                  file_type,
                                                           const char            *link,
                                                           gboolean               sparse);
PhotosealBundleReader *photoseal_bundle_reader_new        (GInputStream          *stream);
gboolean               photoseal_bundle_reader_next_entry (PhotosealBundleReader *self,
                                                           const char           **path,
                                                           guint64               *size,
                                                           GCancellable          *cancellable,
                                                           GError               **error);
gssize                 photoseal_bundle_reader_read       (PhotosealBundleReader *self,
                                                           void                  *buffer,
                                                           gsize                  len,
                                                           GCancellable          *cancellable,
                                                           GError               **error);
gboolean               photoseal_bundle_reader_read_block (PhotosealBundleReader *self,
                                                           const guint8         **data,
                                                           gsize                 *len,
                                                           GCancellable          *cancellable,
                                                           GError               **error);

G_END_DECLS
