/* photoseal-viewer-report.h: the report of an opened file, as a PDF or on paper
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "photoseal-open-job.h"
#include "photoseal-report.h"

G_BEGIN_DECLS

PhotosealReport   *photoseal_viewer_report_new          (PhotosealOpenJob          *job,
                                                         const char                *confirmed_by);
void               photoseal_viewer_report_write_async  (PhotosealReport           *report,
                                                         GFile                     *destination,
                                                         PhotosealProgressReporter *progress,
                                                         GCancellable              *cancellable,
                                                         GAsyncReadyCallback        callback,
                                                         gpointer                   user_data);
gboolean           photoseal_viewer_report_write_finish (GAsyncResult              *result,
                                                         GError                   **error);
GtkPrintOperation *photoseal_viewer_report_print_operation (PhotosealReport        *report);

G_END_DECLS
