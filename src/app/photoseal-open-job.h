/* photoseal-open-job.h: one .psf, from its header to photos in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-opened-item.h"
#include "photoseal-progress-reporter.h"
#include "photoseal-user.h"

G_BEGIN_DECLS

/* Larger items are kept in unlinked files, not in memory. */
#define PHOTOSEAL_OPEN_JOB_MEMORY_LIMIT (64 * 1024 * 1024)

#define PHOTOSEAL_TYPE_OPEN_JOB (photoseal_open_job_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealOpenJob, photoseal_open_job, PHOTOSEAL, OPEN_JOB, GObject)

PhotosealOpenJob  *photoseal_open_job_new          (GFile             *file,
                                                    PhotosealUser     *user,
                                                    const char        *access_code);
GFile             *photoseal_open_job_get_file     (PhotosealOpenJob  *self);
const char        *photoseal_open_job_get_origin   (PhotosealOpenJob  *self);
const char        *photoseal_open_job_get_owner_name  (PhotosealOpenJob *self);
const char        *photoseal_open_job_get_owner_email (PhotosealOpenJob *self);
PhotosealProgressReporter *
                   photoseal_open_job_get_progress (PhotosealOpenJob  *self);
PhotosealManifest *photoseal_open_job_get_manifest (PhotosealOpenJob  *self);
PhotosealOpenedItem *
                   photoseal_open_job_get_item     (PhotosealOpenJob  *self,
                                                    guint              position);
void               photoseal_open_job_set_memory_limit (PhotosealOpenJob *self,
                                                    guint64            limit);
void               photoseal_open_job_run_async    (PhotosealOpenJob  *self,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
gboolean           photoseal_open_job_run_finish   (PhotosealOpenJob  *self,
                                                    GAsyncResult      *result,
                                                    GError           **error);

G_END_DECLS
