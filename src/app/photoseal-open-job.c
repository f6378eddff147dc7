/* photoseal-open-job.c: one .psf, from its header to photos in memory
 *
 * The header is read first, without any key, to learn which key server the
 * file names. A request goes there only with a session this device already
 * has for that very server, or with an access code the person typed: a file
 * cannot make the app send credentials somewhere new. The payload is then
 * decrypted in a worker into memory; nothing decrypted touches the disk
 * unless the person saves it, and nothing is shown until the last chunk has
 * authenticated. (Large items go to unlinked files: see
 * PhotosealOpenedItem.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-open-job"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "photoseal-open-job.h"

struct _PhotosealOpenJob
{
  GObject parent_instance;

  GFile *file;
  PhotosealUser *user;
  char *access_code;
  char *key_id;
  char *origin;
  char *owner_name;
  char *owner_email;

  PhotosealManifest *manifest;
  GPtrArray *items;
  guint64 memory_limit;

  PhotosealProgressReporter *progress;
};

G_DEFINE_FINAL_TYPE (PhotosealOpenJob, photoseal_open_job, G_TYPE_OBJECT)

static void
photoseal_open_job_finalize (GObject *object)
{
  PhotosealOpenJob *self = (PhotosealOpenJob *)object;

  g_clear_object (&self->file);
  g_clear_object (&self->user);
  if (self->access_code != NULL)
    sodium_memzero (self->access_code, strlen (self->access_code));
  g_clear_pointer (&self->access_code, g_free);
  g_clear_pointer (&self->key_id, g_free);
  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->owner_name, g_free);
  g_clear_pointer (&self->owner_email, g_free);
  g_clear_object (&self->manifest);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->progress);

  G_OBJECT_CLASS (photoseal_open_job_parent_class)->finalize (object);
}

static void
photoseal_open_job_class_init (PhotosealOpenJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = photoseal_open_job_finalize;
}

static void
photoseal_open_job_init (PhotosealOpenJob *self)
{
  self->progress = photoseal_progress_reporter_new ();
  self->memory_limit = PHOTOSEAL_OPEN_JOB_MEMORY_LIMIT;
}

/**
 * photoseal_open_job_new:
 * @access_code: (nullable): a code the sender gave, for a recipient
 *   without an account
 */
PhotosealOpenJob *
photoseal_open_job_new (GFile         *file,
                        PhotosealUser *user,
                        const char    *access_code)
{
  PhotosealOpenJob *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (PHOTOSEAL_IS_USER (user), NULL);

  self = g_object_new (PHOTOSEAL_TYPE_OPEN_JOB, NULL);
  self->file = g_object_ref (file);
  self->user = g_object_ref (user);
  self->access_code = g_strdup (access_code);
  return self;
}

GFile *
photoseal_open_job_get_file (PhotosealOpenJob *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_OPEN_JOB (self), NULL);

  return self->file;
}

/**
 * photoseal_open_job_set_memory_limit:
 *
 * Items larger than @limit bytes are kept in unlinked files rather than in
 * memory; %PHOTOSEAL_OPEN_JOB_MEMORY_LIMIT by default.
 */
void
photoseal_open_job_set_memory_limit (PhotosealOpenJob *self,
                                     guint64           limit)
{
  g_return_if_fail (PHOTOSEAL_IS_OPEN_JOB (self));

  self->memory_limit = limit;
}

/* The key server the file names; %NULL until its header has been read. */
const char *
photoseal_open_job_get_origin (PhotosealOpenJob *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_OPEN_JOB (self), NULL);

  return self->origin;
}

/* The key's owner as the key server confirmed it when it released the
 * key; %NULL before, or from a server that does not say. */
const char *
photoseal_open_job_get_owner_name (PhotosealOpenJob *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_OPEN_JOB (self), NULL);

  return self->owner_name;
}

const char *
photoseal_open_job_get_owner_email (PhotosealOpenJob *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_OPEN_JOB (self), NULL);

  return self->owner_email;
}

PhotosealProgressReporter *
photoseal_open_job_get_progress (PhotosealOpenJob *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_OPEN_JOB (self), NULL);

  return self->progress;
}

PhotosealManifest *
photoseal_open_job_get_manifest (PhotosealOpenJob *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_OPEN_JOB (self), NULL);

  return self->manifest;
}

PhotosealOpenedItem *
photoseal_open_job_get_item (PhotosealOpenJob *self,
                             guint             position)
{
  g_return_val_if_fail (PHOTOSEAL_IS_OPEN_JOB (self), NULL);
  g_return_val_if_fail (self->items != NULL && position < self->items->len, NULL);

  return g_ptr_array_index (self->items, position);
}

/* Step 1: the header alone says where the key is. The task data is the
 * file. */
static void
read_header_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(PhotosealAgeHeader) header = NULL;
  PhotosealServerKeyRef *ref;
  GError *error = NULL;

  if (!(header = photoseal_age_header_read_file (file, cancellable, &error))
      || !(ref = photoseal_age_header_find_photoseal_stanza (header, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, ref, (GDestroyNotify) photoseal_server_key_ref_free);
}

typedef struct
{
  GPtrArray *items;
  guint64 memory_limit;
} ItemSink;

static GOutputStream *
item_sink_begin (const PhotosealManifestItem *item,
                 gpointer                     user_data,
                 GError                     **error)
{
  const ItemSink *sink = user_data;

  return photoseal_opened_item_begin (item->size, sink->memory_limit, error);
}

static gboolean
item_sink_end (const PhotosealManifestItem *item,
               GOutputStream               *stream,
               gpointer                     user_data,
               GError                     **error)
{
  ItemSink *sink = user_data;
  PhotosealOpenedItem *opened = photoseal_opened_item_end (stream, error);

  if (opened == NULL)
    return FALSE;
  g_ptr_array_add (sink->items, opened);
  return TRUE;
}

/* What the decrypting worker works on: its own references, never the
 * job's fields. */
typedef struct
{
  GFile *file;
  PhotosealIdentity *identity;
  PhotosealProgressReporter *progress;
  guint64 memory_limit;
} DecryptWork;

static void
decrypt_work_free (DecryptWork *work)
{
  g_clear_object (&work->file);
  g_clear_object (&work->identity);
  g_clear_object (&work->progress);
  g_free (work);
}

/* What the worker hands back, whole or not at all. */
typedef struct
{
  PhotosealManifest *manifest;
  GPtrArray *items;
} Opened;

static void
opened_free (Opened *opened)
{
  g_clear_object (&opened->manifest);
  g_clear_pointer (&opened->items, g_ptr_array_unref);
  g_free (opened);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Opened, opened_free)

/* Step 3: the payload, into memory. */
static void
decrypt_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const DecryptWork *work = task_data;
  static const PhotosealItemSink item_sink = { item_sink_begin, item_sink_end };
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  ItemSink sink = { items, work->memory_limit };
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(PhotosealOpener) opener = NULL;
  Opened *opened;
  GError *error = NULL;

  g_ptr_array_add (identities, g_object_ref (work->identity));
  if (!(in = g_file_read (work->file, cancellable, &error))
      || !(opener = photoseal_opener_new (G_INPUT_STREAM (in), identities, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  photoseal_opener_set_progress_func (opener, photoseal_progress_reporter_report, work->progress);
  if (!photoseal_opener_read_items (opener, &item_sink, &sink, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Handed over only now: the main thread never sees a partial result. */
  opened = g_new0 (Opened, 1);
  opened->manifest = g_object_ref (photoseal_opener_get_manifest (opener));
  opened->items = g_steal_pointer (&items);
  g_task_return_pointer (task, opened, (GDestroyNotify) opened_free);
}

/* Step 2 ends: the released key opens the file. */
static void
released_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhotosealOpenJob *self = g_task_get_source_object (task);
  g_autoptr(PhotosealSealedKey) key = NULL;
  GError *error = NULL;
  DecryptWork *work;

  g_assert (PHOTOSEAL_IS_OPEN_JOB (self));

  key = photoseal_keyserver_client_release_finish (PHOTOSEAL_KEYSERVER_CLIENT (object), result,
                                                   &error);
  if (key == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_free (self->owner_email);
  self->owner_email = g_strdup (key->owner_email);
  g_free (self->owner_name);
  self->owner_name = g_strdup (key->owner_name);
  work = g_new0 (DecryptWork, 1);
  work->file = g_object_ref (self->file);
  work->identity = PHOTOSEAL_IDENTITY (photoseal_server_key_identity_new (key->key_id,
                                                                         key->server_key));
  work->progress = g_object_ref (self->progress);
  work->memory_limit = self->memory_limit;
  g_task_set_task_data (task, work, (GDestroyNotify) decrypt_work_free);
  g_task_run_in_thread (task, decrypt_thread);
}

static void
client_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhotosealOpenJob *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  GError *error = NULL;

  g_assert (PHOTOSEAL_IS_OPEN_JOB (self));

  client = photoseal_user_client_for_finish (self->user, result, &error);
  if (client == NULL)
    {
      if (error == NULL)
        error = g_error_new (PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED,
                             _("You are not signed in to %s, where this file’s key is. Nothing "
                               "was sent there."), self->origin);
      g_task_return_error (task, error);
      return;
    }
  photoseal_keyserver_client_release_async (client, self->key_id, NULL,
                                            cancellable, released_cb,
                                            g_steal_pointer (&task));
}

static void
header_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhotosealOpenJob *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(PhotosealServerKeyRef) place = NULL;
  GError *error = NULL;

  g_assert (PHOTOSEAL_IS_OPEN_JOB (self));

  if (!(place = g_task_propagate_pointer (G_TASK (result), &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  self->key_id = g_steal_pointer (&place->key_id);
  self->origin = g_steal_pointer (&place->origin);

  if (self->access_code != NULL)
    {
      g_autoptr(PhotosealKeyserverClient) client = NULL;

      if (!(client = photoseal_keyserver_client_new (self->origin, &error)))
        {
          g_task_return_error (task, error);
          return;
        }
      photoseal_keyserver_client_release_async (client, self->key_id, self->access_code,
                                                cancellable, released_cb,
                                                g_steal_pointer (&task));
      return;
    }
  photoseal_user_client_for_async (self->user, self->origin, cancellable,
                                   client_cb, g_steal_pointer (&task));
}

void
photoseal_open_job_run_async (PhotosealOpenJob    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) header_task = NULL;

  g_return_if_fail (PHOTOSEAL_IS_OPEN_JOB (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, photoseal_open_job_run_async);
  header_task = g_task_new (self, cancellable, header_read_cb, g_steal_pointer (&task));
  g_task_set_task_data (header_task, g_object_ref (self->file), g_object_unref);
  g_task_run_in_thread (header_task, read_header_thread);
}

gboolean
photoseal_open_job_run_finish (PhotosealOpenJob  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_autoptr(Opened) opened = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!(opened = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;
  g_set_object (&self->manifest, opened->manifest);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = g_steal_pointer (&opened->items);
  return TRUE;
}
