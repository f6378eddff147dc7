/* photoseal-atomic-file.h: a file that appears whole or not at all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_ATOMIC_FILE (photoseal_atomic_file_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealAtomicFile, photoseal_atomic_file, PHOTOSEAL, ATOMIC_FILE, GObject)

PhotosealAtomicFile *photoseal_atomic_file_new        (GFile               *destination,
                                                       GError             **error);
GOutputStream       *photoseal_atomic_file_get_stream (PhotosealAtomicFile *self);
gboolean             photoseal_atomic_file_commit     (PhotosealAtomicFile *self,
                                                       GError             **error);

G_END_DECLS
