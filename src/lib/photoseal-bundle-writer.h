/* photoseal-bundle-writer.h: writes the tar stream inside a .psf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_BUNDLE_WRITER (photoseal_bundle_writer_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealBundleWriter, photoseal_bundle_writer,
                      PHOTOSEAL, BUNDLE_WRITER, GObject)

PhotosealBundleWriter *photoseal_bundle_writer_new         (GOutputStream         *stream,
                                                            GDateTime             *mtime);
gboolean               photoseal_bundle_writer_begin_entry (PhotosealBundleWriter *self,
                                                            const char            *path,
                                                            guint64                size,
                                                            GError               **error);
gboolean               photoseal_bundle_writer_write       (PhotosealBundleWriter *self,
                                                            const void            *data,
                                                            gsize                  len,
                                                            GCancellable          *cancellable,
                                                            GError               **error);
gboolean               photoseal_bundle_writer_close       (PhotosealBundleWriter *self,
                                                            GCancellable          *cancellable,
                                                            GError               **error);

G_END_DECLS
