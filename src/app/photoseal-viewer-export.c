/* photoseal-viewer-export.c: opened items onto the disk, atomically
 *
 * Save Photo… and Export All… are the only ways, beside the report, that
 * decrypted photos reach the disk. Each item is written atomically in a
 * worker; an export into a folder never replaces a file and never writes a
 * hidden one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-viewer-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "photoseal-viewer-export.h"

/* The name an item is exported under: its base name without leading
 * dots, so that a sender's ".bashrc" cannot land as a hidden (and, in a
 * home folder, executed) file. */
static char *
export_name (const char *name)
{
  g_autofree char *base = g_path_get_basename (name);
  const char *start = base;

  while (*start == '.')
    start++;
  if (*start == '\0' || g_str_equal (base, "/"))
    return g_strdup (_("Photo"));
  return g_strdup (start);
}

/* Claims a name in @folder that is not taken, "photo.jpg", then
 * "photo (2).jpg", by creating it: an existing file is never replaced,
 * not even one made between a check and the write. The item's atomic
 * write then replaces only this empty file of ours. */
static GFile *
claim_name_in (GFile         *folder,
               const char    *name,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *base = export_name (name);
  const char *dot = strrchr (base, '.');
  g_autofree char *stem = dot && dot != base ? g_strndup (base, dot - base) : g_strdup (base);
  const char *extension = dot && dot != base ? dot : "";

  for (guint i = 1; ; i++)
    {
      g_autofree char *candidate = i == 1 ? g_strconcat (stem, extension, NULL)
                                          : g_strdup_printf ("%s (%u)%s", stem, i, extension);
      g_autoptr(GFile) file = g_file_get_child (folder, candidate);
      g_autoptr(GFileOutputStream) out = NULL;
      g_autoptr(GError) local_error = NULL;

      if ((out = g_file_create (file, G_FILE_CREATE_PRIVATE, cancellable, &local_error)))
        {
          g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
          return g_steal_pointer (&file);
        }
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
}

/* Where each opened item goes: @destinations, or, for an export, free
 * names in @folder, found by the worker (they take file-system lookups). */
typedef struct
{
  GPtrArray *destinations;
  GFile *folder;
  GPtrArray *names;
  GPtrArray *contents;
} SaveItems;

static void
save_items_free (SaveItems *save)
{
  g_ptr_array_unref (save->destinations);
  g_clear_object (&save->folder);
  g_ptr_array_unref (save->names);
  g_ptr_array_unref (save->contents);
  g_free (save);
}

/* An export that failed leaves no empty files behind: the names claimed
 * from @first on are removed. */
static void
unclaim (SaveItems *save,
         guint      first)
{
  for (guint i = first; save->folder != NULL && i < save->destinations->len; i++)
    g_file_delete (g_ptr_array_index (save->destinations, i), NULL, NULL);
}

static void
save_items_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  SaveItems *save = task_data;
  GError *error = NULL;

  for (guint i = 0; save->folder != NULL && i < save->names->len; i++)
    {
      GFile *claimed = claim_name_in (save->folder, g_ptr_array_index (save->names, i),
                                      cancellable, &error);

      if (claimed == NULL)
        {
          unclaim (save, 0);
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (save->destinations, claimed);
    }

  for (guint i = 0; i < save->destinations->len; i++)
    {
      g_autoptr(PhotosealAtomicFile) output = NULL;
      g_autoptr(GInputStream) in = NULL;

      if (!(in = photoseal_opened_item_read (g_ptr_array_index (save->contents, i), &error))
          || !(output = photoseal_atomic_file_new (g_ptr_array_index (save->destinations, i),
                                                   &error))
          || g_output_stream_splice (photoseal_atomic_file_get_stream (output), in,
                                     G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, cancellable, &error) < 0
          || !photoseal_atomic_file_commit (output, &error))
        {
          unclaim (save, i);
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
save_items_async (GObject             *source,
                  SaveItems           *save,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, NULL, callback, user_data);

  g_task_set_source_tag (task, save_items_async);
  g_task_set_task_data (task, save, (GDestroyNotify) save_items_free);
  g_task_run_in_thread (task, save_items_thread);
}

static SaveItems *
save_items_new (void)
{
  SaveItems *save = g_new0 (SaveItems, 1);

  save->destinations = g_ptr_array_new_with_free_func (g_object_unref);
  save->names = g_ptr_array_new_with_free_func (g_free);
  save->contents = g_ptr_array_new_with_free_func (g_object_unref);
  return save;
}

/**
 * photoseal_viewer_export_to_file_async:
 * @source: the object the result is for
 * @destination: the file to write, replaced atomically
 *
 * Writes @item to @destination (a person chose it, so it may replace a file).
 */
void
photoseal_viewer_export_to_file_async (GObject             *source,
                                       PhotosealOpenedItem *item,
                                       GFile               *destination,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  SaveItems *save = save_items_new ();

  g_ptr_array_add (save->destinations, g_object_ref (destination));
  g_ptr_array_add (save->contents, g_object_ref (item));
  save_items_async (source, save, callback, user_data);
}

/**
 * photoseal_viewer_export_to_folder_async:
 * @source: the object the result is for
 * @job: a job that has opened its file
 *
 * Writes every item of @job into @folder under its own name ("name (2).jpg"
 * when taken), each file atomically.
 */
void
photoseal_viewer_export_to_folder_async (GObject             *source,
                                         PhotosealOpenJob    *job,
                                         GFile               *folder,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  PhotosealManifest *manifest = photoseal_open_job_get_manifest (job);
  SaveItems *save = save_items_new ();

  save->folder = g_object_ref (folder);
  for (guint i = 0; i < photoseal_manifest_get_n_items (manifest); i++)
    {
      g_ptr_array_add (save->names, g_strdup (photoseal_manifest_get_item (manifest, i)->name));
      g_ptr_array_add (save->contents, g_object_ref (photoseal_open_job_get_item (job, i)));
    }
  save_items_async (source, save, callback, user_data);
}

gboolean
photoseal_viewer_export_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
