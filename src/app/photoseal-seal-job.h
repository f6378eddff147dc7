/* photoseal-seal-job.h: one seal, from the key server's key to the file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal.h"
#include "photoseal-progress-reporter.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_SEAL_JOB (photoseal_seal_job_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealSealJob, photoseal_seal_job, PHOTOSEAL, SEAL_JOB, GObject)

PhotosealSealJob *photoseal_seal_job_new             (PhotosealKeyserverClient *client,
                                                      PhotosealSealer          *sealer,
                                                      const char * const       *recipients,
                                                      GDateTime                *expires,
                                                      gboolean                  access_code,
                                                      GFile                    *destination);
PhotosealProgressReporter *
                  photoseal_seal_job_get_progress    (PhotosealSealJob         *self);
const char       *photoseal_seal_job_get_access_code (PhotosealSealJob         *self);
GListModel       *photoseal_seal_job_get_recipient_states
                                                     (PhotosealSealJob         *self);
GFile            *photoseal_seal_job_get_destination (PhotosealSealJob         *self);
goffset           photoseal_seal_job_get_size        (PhotosealSealJob         *self);
void              photoseal_seal_job_run_async       (PhotosealSealJob         *self,
                                                      GCancellable             *cancellable,
                                                      GAsyncReadyCallback       callback,
                                                      gpointer                  user_data);
gboolean          photoseal_seal_job_run_finish      (PhotosealSealJob         *self,
                                                      GAsyncResult             *result,
                                                      GError                  **error);

G_END_DECLS
