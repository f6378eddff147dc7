/* photoseal-pipeline.c
 *
 * Sealing and opening overlap their I/O with their cryptography: a stream
 * hands fixed buffers ("slots") to a stage thread and takes them back when
 * the stage is done with them, so the caller reads or copies the next
 * batch while the stage encrypts and writes (or reads and decrypts) this
 * one. Slots come back in the order they went in. The set of slots is
 * fixed, so memory stays constant; the caller waits when all are out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-pipeline"

#include "config.h"

#include "photoseal-pipeline.h"

/* How often a waiting caller looks at its cancellable. */
#define WAIT_STEP_USEC (50 * 1000)

struct _PhotosealPipeline
{
  PhotosealPipelineFunc func;
  gpointer data;
  GAsyncQueue *todo;
  GAsyncQueue *done;
  GCancellable *cancellable;
  GThread *thread;
  GMutex lock;
  GError *error;
  /* Only the stage's thread reads and writes it. */
  gboolean stopped;
};

static int stop_marker;
#define STOP ((gpointer) &stop_marker)

static gpointer
run_stage (gpointer user_data)
{
  PhotosealPipeline *self = user_data;
  gpointer slot;

  while ((slot = g_async_queue_pop (self->todo)) != STOP)
    {
      if (!self->stopped)
        {
          GError *error = NULL;

          self->stopped = !self->func (slot, self->data, &error);
          g_mutex_lock (&self->lock);
          if (self->error == NULL)
            self->error = error;
          else
            g_clear_error (&error);
          g_mutex_unlock (&self->lock);
        }
      g_async_queue_push (self->done, slot);
    }

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

  self->func = func;
  self->data = data;
  self->todo = g_async_queue_new ();
  self->done = g_async_queue_new ();
  self->cancellable = g_cancellable_new ();
  g_mutex_init (&self->lock);
  return self;
}

/**
 * photoseal_pipeline_free:
 *
 * Stops the stage at once (its I/O is cancelled) and waits for it; the
 * slots are the caller's to free afterwards.
 */
void
photoseal_pipeline_free (PhotosealPipeline *self)
{
  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  photoseal_pipeline_join (self);
  g_async_queue_unref (self->todo);
  g_async_queue_unref (self->done);
  g_object_unref (self->cancellable);
  g_clear_error (&self->error);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * photoseal_pipeline_get_cancellable:
 *
 * Returns: (transfer none): what the stage's I/O should honour; it is
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
  return self->thread != NULL;
}

/* Hands @slot to the stage, starting its thread if needed. */
void
photoseal_pipeline_push (PhotosealPipeline *self,
                         gpointer           slot)
{
  if (self->thread == NULL)
    self->thread = g_thread_new ("photoseal-stage", run_stage, self);
  g_async_queue_push (self->todo, slot);
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
 * Waits for the oldest slot the stage is done with.
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

/* Waits until the stage has done every slot pushed so far. */
void
photoseal_pipeline_join (PhotosealPipeline *self)
{
  if (self->thread == NULL)
    return;

  g_async_queue_push (self->todo, STOP);
  g_thread_join (g_steal_pointer (&self->thread));
}

/* Whether the stage's work has failed so far. */
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
