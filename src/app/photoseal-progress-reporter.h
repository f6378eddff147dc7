/* photoseal-progress-reporter.h: a worker's progress, as a property on the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_PROGRESS_REPORTER (photoseal_progress_reporter_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealProgressReporter, photoseal_progress_reporter, PHOTOSEAL,
                      PROGRESS_REPORTER, GObject)

PhotosealProgressReporter *photoseal_progress_reporter_new (void);
double photoseal_progress_reporter_get_fraction (PhotosealProgressReporter *self);
void   photoseal_progress_reporter_report       (guint64                    done,
                                                 guint64                    total,
                                                 gpointer                   reporter);

G_END_DECLS
