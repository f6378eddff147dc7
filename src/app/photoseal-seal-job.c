/* photoseal-seal-job.c: one seal, from the key server's key to the file
 *
 * The key is made on the main thread (libsoup's async API), by the
 * library's photoseal_sealer_add_server_key_async(); the photos are
 * then hashed, scrubbed and encrypted in a worker, which reports progress
 * through a PhotosealProgressReporter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-seal-job"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-seal-job.h"

struct _PhotosealSealJob
{
  GObject parent_instance;

  PhotosealKeyserverClient *client;
  PhotosealSealer *sealer;
  GStrv recipients;
  GDateTime *expires;
  GFile *destination;
  char *key_id;
  char *access_code;
  GListModel *recipient_states;
  goffset size;
  gboolean want_access_code;

  PhotosealProgressReporter *progress;
};

G_DEFINE_FINAL_TYPE (PhotosealSealJob, photoseal_seal_job, G_TYPE_OBJECT)

static void
photoseal_seal_job_finalize (GObject *object)
{
  PhotosealSealJob *self = (PhotosealSealJob *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->sealer);
  g_clear_pointer (&self->recipients, g_strfreev);
  g_clear_pointer (&self->expires, g_date_time_unref);
  g_clear_object (&self->destination);
  g_clear_pointer (&self->key_id, g_free);
  /* The access code opens the file: wipe it, as the library does. */
  if (self->access_code != NULL)
    sodium_memzero (self->access_code, strlen (self->access_code));
  g_clear_pointer (&self->access_code, g_free);
  g_clear_object (&self->recipient_states);
  g_clear_object (&self->progress);

  G_OBJECT_CLASS (photoseal_seal_job_parent_class)->finalize (object);
}

static void
photoseal_seal_job_class_init (PhotosealSealJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = photoseal_seal_job_finalize;
}

static void
photoseal_seal_job_init (PhotosealSealJob *self)
{
  self->progress = photoseal_progress_reporter_new ();
}

/**
 * photoseal_seal_job_new:
 * @sealer: a sealer with its manifest and photos set; the job adds the key
 *   server's recipient and owns it from now on
 */
PhotosealSealJob *
photoseal_seal_job_new (PhotosealKeyserverClient *client,
                        PhotosealSealer          *sealer,
                        const char * const       *recipients,
                        GDateTime                *expires,
                        gboolean                  access_code,
                        GFile                    *destination)
{
  PhotosealSealJob *self;

  g_return_val_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (client), NULL);
  g_return_val_if_fail (PHOTOSEAL_IS_SEALER (sealer), NULL);
  g_return_val_if_fail (G_IS_FILE (destination), NULL);

  self = g_object_new (PHOTOSEAL_TYPE_SEAL_JOB, NULL);
  self->client = g_object_ref (client);
  self->sealer = g_object_ref (sealer);
  self->recipients = g_strdupv ((char **) recipients);
  self->expires = expires ? g_date_time_ref (expires) : NULL;
  self->want_access_code = access_code;
  self->destination = g_object_ref (destination);
  return self;
}

PhotosealProgressReporter *
photoseal_seal_job_get_progress (PhotosealSealJob *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_SEAL_JOB (self), NULL);

  return self->progress;
}

/* Shown once: the server keeps only a hash of it. */
const char *
photoseal_seal_job_get_access_code (PhotosealSealJob *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_SEAL_JOB (self), NULL);

  return self->access_code;
}

/* What the key server did for each recipient (#PhotosealRecipientInfo):
 * account, invited, not_sent or no_account; %NULL before the key is made. */
GListModel *
photoseal_seal_job_get_recipient_states (PhotosealSealJob *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_SEAL_JOB (self), NULL);

  return self->recipient_states;
}

/* The sealed file's size, once the job has finished. */
goffset
photoseal_seal_job_get_size (PhotosealSealJob *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_SEAL_JOB (self), 0);

  return self->size;
}

GFile *
photoseal_seal_job_get_destination (PhotosealSealJob *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_SEAL_JOB (self), NULL);

  return self->destination;
}

/* What the worker works on: its own references, never the job's fields.
 * The main thread leaves the sealer alone until the task returns. */
typedef struct
{
  PhotosealSealer *sealer;
  GFile *destination;
  char *key_id;
} SealWork;

static void
seal_work_free (SealWork *work)
{
  g_clear_object (&work->sealer);
  g_clear_object (&work->destination);
  g_free (work->key_id);
  g_free (work);
}

/* The Sent list's patient and file name, kept on this computer only (the
 * key server never learns them). Losing a label loses a name in a list,
 * not the sealed file: it is no reason to fail the seal. */
static void
remember_label (const SealWork *work)
{
  g_autofree char *file_name = g_file_get_basename (work->destination);
  PhotosealManifest *manifest = photoseal_sealer_get_manifest (work->sealer);
  g_autoptr(GError) error = NULL;

  if (!photoseal_label_store_remember_seal (work->key_id, manifest, file_name, NULL, &error))
    g_message ("The sealed file's label was not kept: %s", error->message);
}

/* Returns the sealed file's size, read here rather than by the page on
 * the main loop. */
static void
seal_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const SealWork *work = task_data;
  g_autoptr(GFileInfo) info = NULL;
  GError *error = NULL;
  goffset *size;

  if (!photoseal_sealer_seal_to_file (work->sealer, work->destination, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  remember_label (work);
  info = g_file_query_info (work->destination, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  size = g_new (goffset, 1);
  *size = info ? g_file_info_get_size (info) : 0;
  g_task_return_pointer (task, size, g_free);
}

static void
key_added_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhotosealSealJob *self = g_task_get_source_object (task);
  GError *error = NULL;
  SealWork *work;

  g_assert (PHOTOSEAL_IS_SEAL_JOB (self));

  if (!photoseal_sealer_add_server_key_finish (self->sealer, result, &self->key_id,
                                               &self->access_code, &self->recipient_states,
                                               &error))
    {
      g_task_return_error (task, error);
      return;
    }
  photoseal_sealer_set_progress_func (self->sealer, photoseal_progress_reporter_report,
                                      self->progress);
  work = g_new0 (SealWork, 1);
  work->sealer = g_object_ref (self->sealer);
  work->destination = g_object_ref (self->destination);
  work->key_id = g_strdup (self->key_id);
  g_task_set_task_data (task, work, (GDestroyNotify) seal_work_free);
  g_task_run_in_thread (task, seal_thread);
}

void
photoseal_seal_job_run_async (PhotosealSealJob    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PHOTOSEAL_IS_SEAL_JOB (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, photoseal_seal_job_run_async);
  photoseal_sealer_add_server_key_async (self->sealer, self->client,
                                         (const char * const *) self->recipients, self->expires,
                                         self->want_access_code, cancellable, key_added_cb,
                                         g_steal_pointer (&task));
}

static void
abandoned_key_revoked_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!photoseal_keyserver_client_revoke_key_finish (PHOTOSEAL_KEYSERVER_CLIENT (object), result,
                                                     &error))
    g_debug ("The unused key stays on the server: %s", error->message);
}

gboolean
photoseal_seal_job_run_finish (PhotosealSealJob  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_autofree goffset *size = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if ((size = g_task_propagate_pointer (G_TASK (result), error)))
    {
      self->size = *size;
      return TRUE;
    }

  /* No file holds the key made for this seal: revoke it (best effort), so
   * the Sent list does not fill with keys to nothing. */
  if (self->key_id != NULL)
    photoseal_keyserver_client_revoke_key_async (self->client, self->key_id, NULL,
                                                 abandoned_key_revoked_cb, NULL);
  return FALSE;
}
