/* photoseal-pipeline.h: one stage of work on its own thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _PhotosealPipeline PhotosealPipeline;

/* Works on @slot on the stage's thread. Returning %FALSE (with or without
 * an error) ends the work of every stage: later slots, and this one in
 * later stages, are passed through untouched. */
typedef gboolean (*PhotosealPipelineFunc) (gpointer   slot,
                                           gpointer   data,
                                           GError   **error);

PhotosealPipeline *photoseal_pipeline_new             (PhotosealPipelineFunc   func,
                                                       gpointer                data);
void               photoseal_pipeline_add_stage       (PhotosealPipeline      *self,
                                                       PhotosealPipelineFunc   func,
                                                       gpointer                data);
void               photoseal_pipeline_free            (PhotosealPipeline      *self);
GCancellable      *photoseal_pipeline_get_cancellable (PhotosealPipeline      *self);
gboolean           photoseal_pipeline_is_running      (PhotosealPipeline      *self);
void               photoseal_pipeline_push            (PhotosealPipeline      *self,
                                                       gpointer                slot);
void               photoseal_pipeline_put_done        (PhotosealPipeline      *self,
                                                       gpointer                slot);
gpointer           photoseal_pipeline_pop             (PhotosealPipeline      *self,
                                                       GCancellable           *cancellable,
                                                       GError                **error);
void               photoseal_pipeline_join            (PhotosealPipeline      *self);
gboolean           photoseal_pipeline_check           (PhotosealPipeline      *self,
                                                       GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealPipeline, photoseal_pipeline_free)

G_END_DECLS
