/* photoseal-pipeline.c
 *
 * Sealing and opening overlap their I/O with their cryptography: a stream
 * hands fixed buffers ("slots") to a chain of stages, each on its own
 * thread, and takes them back when the last stage is done with them, so
 * the caller reads or copies the next batch while one stage encrypts a
 * batch and the next writes the one before. Slots come back in the order
 * they went in. The set of slots is fixed, so memory stays constant; the
 * caller waits when all are out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-pipeline"

#include "config.h"

#include "photoseal-pipeline.h"

/* How often a waiting caller looks at its cancellable. */
#define WAIT_STEP_USEC (50 * 1000)
#define MAX_STAGES 2

typedef struct _Stage Stage;

struct _Stage
{
  PhotosealPipeline *pipeline;
  PhotosealPipelineFunc func;
  gpointer data;
  GAsyncQueue *todo;
  /* The next stage, or %NULL when slots go back to the caller. */
  Stage *next;
  GThread *thread;
};

struct _PhotosealPipeline
{
  Stage stages[MAX_STAGES];
  guint n_stages;
  GAsyncQueue *done;
  GCancellable *cancellable;
  GMutex lock;
  GError *error;
  /* Set by the first stage that fails; a slot reaches the next stage only
   * after its own stage set it, so later stages see it in time. */
  gint stopped;
};

static int stop_marker;
#define STOP ((gpointer) &stop_marker)

static void
work_on (Stage   *stage,
         gpointer slot)
{
  PhotosealPipeline *self = stage->pipeline;
  GError *error = NULL;

  if (stage->func (slot, stage->data, &error))
    return;

  g_atomic_int_set (&self->stopped, TRUE);
  g_mutex_lock (&self->lock);
  if (self->error == NULL)
    self->error = error;
  else
    g_clear_error (&error);
  g_mutex_unlock (&self->lock);
}

static gpointer
run_stage (gpointer user_data)
{
  Stage *stage = user_data;
  gpointer slot;

  while ((slot = g_async_queue_pop (stage->todo)) != STOP)
    {
      if (!g_atomic_int_get (&stage->pipeline->stopped))
        work_on (stage, slot);
      g_async_queue_push (stage->next ? stage->next->todo : stage->pipeline->done, slot);
    }
  if (stage->next != NULL)
    g_async_queue_push (stage->next->todo, STOP);

  return NULL;
}

/**
 * photoseal_pipeline_new:
 * @func: the stage's work; it must not touch what the caller owns
 * @data: passed to @func, owned by the caller and kept alive until the
 *   pipeline is freed
 */
PhotosealPipeline *
photoseal_pipeline_new (PhotosealPipelineFunc func,
                        gpointer              data)
{
  PhotosealPipeline *self = g_new0 (PhotosealPipeline, 1);

  self->done = g_async_queue_new ();
  self->cancellable = g_cancellable_new ();
  g_mutex_init (&self->lock);
  photoseal_pipeline_add_stage (self, func, data);
  return self;
}

/**
 * photoseal_pipeline_add_stage:
 * @func: the stage's work, done on every slot after the earlier stages'
 * @data: as for photoseal_pipeline_new()
 *
 * Adds a stage on a thread of its own, before the first slot is pushed.
 */
void
photoseal_pipeline_add_stage (PhotosealPipeline    *self,
                              PhotosealPipelineFunc func,
                              gpointer              data)
{
  Stage *stage;

  g_return_if_fail (self->n_stages < MAX_STAGES);
  g_return_if_fail (!photoseal_pipeline_is_running (self));

  stage = &self->stages[self->n_stages];
  stage->pipeline = self;
  stage->func = func;
  stage->data = data;
  stage->todo = g_async_queue_new ();
  if (self->n_stages > 0)
    self->stages[self->n_stages - 1].next = stage;
  self->n_stages++;
}

/**
 * photoseal_pipeline_free:
 *
 * Stops the stages at once (their I/O is cancelled) and waits for them; the
 * slots are the caller's to free afterwards.
 */
void
photoseal_pipeline_free (PhotosealPipeline *self)
{
  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  photoseal_pipeline_join (self);
  for (guint i = 0; i < self->n_stages; i++)
    g_async_queue_unref (self->stages[i].todo);
  g_async_queue_unref (self->done);
  g_object_unref (self->cancellable);
  g_clear_error (&self->error);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * photoseal_pipeline_get_cancellable:
 *
 * Returns: (transfer none): what the stages' I/O should honour; it is
 *   cancelled when the pipeline is freed
 */
GCancellable *
photoseal_pipeline_get_cancellable (PhotosealPipeline *self)
{
  return self->cancellable;
}

gboolean
photoseal_pipeline_is_running (PhotosealPipeline *self)
{
  return self->stages[0].thread != NULL;
}

/* Hands @slot to the first stage, starting the threads if needed. */
void
photoseal_pipeline_push (PhotosealPipeline *self,
                         gpointer           slot)
{
  if (!photoseal_pipeline_is_running (self))
    for (guint i = 0; i < self->n_stages; i++)
      self->stages[i].thread = g_thread_new ("photoseal-stage", run_stage, &self->stages[i]);
  g_async_queue_push (self->stages[0].todo, slot);
}

/* Makes @slot available to photoseal_pipeline_pop() without work: how
 * the caller puts in the slots it starts with. */
void
photoseal_pipeline_put_done (PhotosealPipeline *self,
                             gpointer           slot)
{
  g_async_queue_push (self->done, slot);
}

/**
 * photoseal_pipeline_pop:
 *
 * Waits for the oldest slot the last stage is done with.
 *
 * Returns: (transfer none): the slot, or %NULL if @cancellable was
 *   cancelled first
 */
gpointer
photoseal_pipeline_pop (PhotosealPipeline *self,
                        GCancellable      *cancellable,
                        GError           **error)
{
  for (;;)
    {
      gpointer slot = g_async_queue_timeout_pop (self->done, WAIT_STEP_USEC);

      if (slot != NULL)
        return slot;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }
}

/* Waits until every stage has done every slot pushed so far. */
void
photoseal_pipeline_join (PhotosealPipeline *self)
{
  if (!photoseal_pipeline_is_running (self))
    return;

  g_async_queue_push (self->stages[0].todo, STOP);
  for (guint i = 0; i < self->n_stages; i++)
    g_thread_join (g_steal_pointer (&self->stages[i].thread));
}

/* Whether the stages' work has failed so far. */
gboolean
photoseal_pipeline_check (PhotosealPipeline *self,
                          GError           **error)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = self->error == NULL;
  if (!ok)
    g_propagate_error (error, g_error_copy (self->error));
  g_mutex_unlock (&self->lock);
  return ok;
}
