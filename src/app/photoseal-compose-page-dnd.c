/* photoseal-compose-page-dnd.c: files dropped or chosen become photos
 *
 * As in GNOME Calendar: only external drops count, an overlay says where to
 * drop, and the files are sorted into photos and refusals in a worker, the
 * refusals named in a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-compose-page"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-compose-page-private.h"
#include "photoseal-toast.h"

typedef struct
{
  GPtrArray *files;
  GPtrArray *photos;
  GPtrArray *refusals;
} FileCheck;

static void
file_check_free (FileCheck *check)
{
  g_ptr_array_unref (check->files);
  g_ptr_array_unref (check->photos);
  g_ptr_array_unref (check->refusals);
  g_free (check);
}

/* Sorts the files into photos and refusals, keeping their order. */
static void
check_files_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  FileCheck *check = task_data;

  for (guint i = 0; i < check->files->len; i++)
    {
      GFile *file = g_ptr_array_index (check->files, i);
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_file_get_basename (file);
      const char *type = NULL;

      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                      G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                                G_FILE_QUERY_INFO_NONE, cancellable, &error);
      if (info != NULL)
        type = g_file_info_get_content_type (info);
      if (info == NULL)
        g_ptr_array_add (check->refusals,
                         g_strdup_printf (_("“%s” could not be read: %s"), name,
                                          error->message));
      /* What is offered is the library's call, so a format it learns to
       * seal (HEIC, say) is accepted here without a change. */
      else if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR || type == NULL
               || photoseal_metadata_get_support (type) == PHOTOSEAL_SUPPORT_NONE)
        g_ptr_array_add (check->refusals,
                         g_strdup_printf (_("“%s” is not a photo, so it was not added"), name));
      else
        g_ptr_array_add (check->photos, g_object_ref (file));
    }
  g_task_return_boolean (task, TRUE);
}

static void
files_checked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (object);
  FileCheck *check = g_task_get_task_data (G_TASK (result));

  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  for (guint i = 0; i < check->refusals->len; i++)
    _photoseal_compose_page_toast (self, g_ptr_array_index (check->refusals, i));
  for (guint i = 0; i < check->photos->len; i++)
    if (!_photoseal_compose_page_find_photo (self, g_ptr_array_index (check->photos, i), NULL))
      g_list_store_append (self->photos, g_ptr_array_index (check->photos, i));
}

/**
 * photoseal_compose_page_add_files:
 *
 * Adds the photos among @files, in their order; each other file is named
 * in a toast. Their types are read off the main loop.
 */
void
photoseal_compose_page_add_files (PhotosealComposePage  *self,
                                  GFile                **files,
                                  guint                  n_files)
{
  g_autoptr(GTask) task = NULL;
  FileCheck *check;

  g_return_if_fail (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  check = g_new0 (FileCheck, 1);
  check->files = g_ptr_array_new_with_free_func (g_object_unref);
  check->photos = g_ptr_array_new_with_free_func (g_object_unref);
  check->refusals = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (check->files, g_object_ref (files[i]));

  task = g_task_new (self, NULL, files_checked_cb, NULL);
  g_task_set_source_tag (task, photoseal_compose_page_add_files);
  g_task_set_task_data (task, check, (GDestroyNotify) file_check_free);
  g_task_run_in_thread (task, check_files_thread);
}

static gboolean
drop_accept_cb (PhotosealComposePage *self,
                GdkDrop              *drop)
{
  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  /* Only external drops: dragging a thumbnail inside the window is not an
   * addition. */
  return gdk_drop_get_drag (drop) == NULL && self->state == PHOTOSEAL_COMPOSE_STATE_FORM;
}

static gboolean
drop_cb (PhotosealComposePage *self,
         const GValue         *value,
         double                x,
         double                y)
{
  GSList *files;
  g_autoptr(GPtrArray) array = g_ptr_array_new ();

  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = files; l != NULL; l = l->next)
    g_ptr_array_add (array, l->data);
  photoseal_compose_page_add_files (self, (GFile **) array->pdata, array->len);
  g_slist_free (files);
  return TRUE;
}

static void
current_drop_cb (PhotosealComposePage *self,
                 GParamSpec           *pspec,
                 GtkDropTarget        *target)
{
  GdkDrop *drop = gtk_drop_target_get_current_drop (target);

  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->drop_status),
                          drop != NULL && drop_accept_cb (self, drop));
}

/* The drop target is on the page itself, not a template child. */
void
_photoseal_compose_page_dnd_init (PhotosealComposePage *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect_object (target, "accept", G_CALLBACK (drop_accept_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (target, "notify::current-drop", G_CALLBACK (current_drop_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
