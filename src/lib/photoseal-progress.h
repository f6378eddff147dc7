/* photoseal-progress.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PhotosealProgressFunc:
 * @done: bytes processed so far
 * @total: bytes to process in all
 *
 * Called from the thread doing the work, at most once per 64 KiB chunk.
 */
typedef void (*PhotosealProgressFunc) (guint64  done,
                                       guint64  total,
                                       gpointer user_data);

G_END_DECLS
