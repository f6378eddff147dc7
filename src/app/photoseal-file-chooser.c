/* photoseal-file-chooser.c: the native file chooser, in one place
 *
 * Both GtkFileDialog (GTK 4.10) and, on Debian 12's GTK 4.8,
 * GtkFileChooserNative (deprecated in 4.10) go through the file chooser
 * portal inside Flatpak, which is how files reach the app without any
 * filesystem permission. Callers see one API either way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-file-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-file-chooser.h"

static const char *accept_labels[] = {
  [PHOTOSEAL_FILE_CHOOSER_OPEN_PHOTOS] = N_("_Add"),
  [PHOTOSEAL_FILE_CHOOSER_OPEN_SEALED] = N_("_Open"),
  [PHOTOSEAL_FILE_CHOOSER_SAVE] = N_("_Save"),
  [PHOTOSEAL_FILE_CHOOSER_SELECT_FOLDER] = N_("_Select"),
};

/* The filters offered when opening: photos then all files, or sealed files. */
static GListModel *
filters_new (PhotosealFileChooserMode mode)
{
  GListStore *filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) first = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (mode == PHOTOSEAL_FILE_CHOOSER_OPEN_PHOTOS)
    {
      gtk_file_filter_set_name (first, _("Photos"));
      gtk_file_filter_add_pixbuf_formats (first);
    }
  else
    {
      gtk_file_filter_set_name (first, _("Sealed Photos"));
      gtk_file_filter_add_mime_type (first, "application/x-photoseal");
      gtk_file_filter_add_suffix (first, "psf");
    }
  g_list_store_append (filters, first);
  if (mode == PHOTOSEAL_FILE_CHOOSER_OPEN_PHOTOS)
    {
      gtk_file_filter_set_name (all, _("All Files"));
      gtk_file_filter_add_pattern (all, "*");
      g_list_store_append (filters, all);
    }
  return G_LIST_MODEL (filters);
}

#if GTK_CHECK_VERSION (4, 10, 0)

static void
chosen_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GtkFileDialog *dialog = GTK_FILE_DIALOG (object);
  g_autoptr(GTask) task = user_data;
  PhotosealFileChooserMode mode = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  GListStore *files = NULL;

  if (mode == PHOTOSEAL_FILE_CHOOSER_OPEN_PHOTOS)
    files = G_LIST_STORE (gtk_file_dialog_open_multiple_finish (dialog, result, &error));
  else if (mode == PHOTOSEAL_FILE_CHOOSER_OPEN_SEALED)
    file = gtk_file_dialog_open_finish (dialog, result, &error);
  else if (mode == PHOTOSEAL_FILE_CHOOSER_SAVE)
    file = gtk_file_dialog_save_finish (dialog, result, &error);
  else
    file = gtk_file_dialog_select_folder_finish (dialog, result, &error);

  if (file != NULL)
    {
      files = g_list_store_new (G_TYPE_FILE);
      g_list_store_append (files, file);
    }
  if (files != NULL)
    g_task_return_pointer (task, files, g_object_unref);
  else if (g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_FAILED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Dismissed");
}

static void
run_async (GtkWindow                *parent,
           PhotosealFileChooserMode  mode,
           const char               *title,
           const char               *suggested_name,
           GTask                    *task)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, title);
  gtk_file_dialog_set_accept_label (dialog, _(accept_labels[mode]));
  g_task_set_task_data (task, GINT_TO_POINTER (mode), NULL);
  if (mode == PHOTOSEAL_FILE_CHOOSER_OPEN_PHOTOS || mode == PHOTOSEAL_FILE_CHOOSER_OPEN_SEALED)
    {
      g_autoptr(GListModel) filters = filters_new (mode);

      gtk_file_dialog_set_filters (dialog, filters);
    }
  if (suggested_name != NULL)
    gtk_file_dialog_set_initial_name (dialog, suggested_name);

  if (mode == PHOTOSEAL_FILE_CHOOSER_OPEN_PHOTOS)
    gtk_file_dialog_open_multiple (dialog, parent, NULL, chosen_cb, task);
  else if (mode == PHOTOSEAL_FILE_CHOOSER_OPEN_SEALED)
    gtk_file_dialog_open (dialog, parent, NULL, chosen_cb, task);
  else if (mode == PHOTOSEAL_FILE_CHOOSER_SAVE)
    gtk_file_dialog_save (dialog, parent, NULL, chosen_cb, task);
  else
    gtk_file_dialog_select_folder (dialog, parent, NULL, chosen_cb, task);
}

#else

static void
response_cb (GtkNativeDialog *dialog,
             int              response,
             gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    g_task_return_pointer (task, gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog)),
                           g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Dismissed");
  gtk_native_dialog_destroy (dialog);
}

static void
run_async (GtkWindow                *parent,
           PhotosealFileChooserMode  mode,
           const char               *title,
           const char               *suggested_name,
           GTask                    *task)
{
  GtkFileChooserAction action = GTK_FILE_CHOOSER_ACTION_OPEN;
  GtkFileChooserNative *dialog;

  if (mode == PHOTOSEAL_FILE_CHOOSER_SAVE)
    action = GTK_FILE_CHOOSER_ACTION_SAVE;
  else if (mode == PHOTOSEAL_FILE_CHOOSER_SELECT_FOLDER)
    action = GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER;
  dialog = gtk_file_chooser_native_new (title, parent, action, _(accept_labels[mode]),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog),
                                        mode == PHOTOSEAL_FILE_CHOOSER_OPEN_PHOTOS);
  if (mode == PHOTOSEAL_FILE_CHOOSER_OPEN_PHOTOS || mode == PHOTOSEAL_FILE_CHOOSER_OPEN_SEALED)
    {
      g_autoptr(GListModel) filters = filters_new (mode);

      for (guint i = 0; i < g_list_model_get_n_items (filters); i++)
        {
          g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);

          gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
        }
    }
  if (suggested_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested_name);

  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), task);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

#endif

/**
 * photoseal_file_chooser_run_async:
 * @suggested_name: (nullable): the file name offered when saving
 *
 * Asks for photos to add, a sealed file to open, a file to save to, or a
 * folder. Finishes with a list of #GFile, or %G_IO_ERROR_CANCELLED when
 * dismissed.
 */
void
photoseal_file_chooser_run_async (GtkWindow                *parent,
                                  PhotosealFileChooserMode  mode,
                                  const char               *title,
                                  const char               *suggested_name,
                                  GAsyncReadyCallback       callback,
                                  gpointer                  user_data)
{
  GTask *task;

  g_return_if_fail (mode <= PHOTOSEAL_FILE_CHOOSER_SELECT_FOLDER);

  task = g_task_new (parent, NULL, callback, user_data);
  g_task_set_source_tag (task, photoseal_file_chooser_run_async);
  run_async (parent, mode, title, suggested_name, task);
}

GListModel *
photoseal_file_chooser_run_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
