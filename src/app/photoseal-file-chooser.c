/* photoseal-file-chooser.c: the native file chooser, in one place
 *
 * GtkFileChooserNative goes through the file chooser portal inside Flatpak,
 * which is how files reach the app without any filesystem permission. It
 * is deprecated from GTK 4.10 in favour of GtkFileDialog; keeping it in
 * this one file makes that port local.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-file-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-file-chooser.h"

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
add_image_filter (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (images, _("Photos"));
  gtk_file_filter_add_pixbuf_formats (images);
  gtk_file_chooser_add_filter (chooser, images);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
}

/**
 * photoseal_file_chooser_run_async:
 * @suggested_name: (nullable): the file name offered when saving
 *
 * Asks for photos to add, a file to save to, or a folder. Finishes with a
 * list of #GFile, or %G_IO_ERROR_CANCELLED when dismissed.
 */
void
photoseal_file_chooser_run_async (GtkWindow                *parent,
                                  PhotosealFileChooserMode  mode,
                                  const char               *title,
                                  const char               *suggested_name,
                                  GAsyncReadyCallback       callback,
                                  gpointer                  user_data)
{
  static const struct {
    GtkFileChooserAction action;
    const char *accept;
  } modes[] = {
    [PHOTOSEAL_FILE_CHOOSER_OPEN_PHOTOS] = { GTK_FILE_CHOOSER_ACTION_OPEN, N_("_Add") },
    [PHOTOSEAL_FILE_CHOOSER_OPEN_SEALED] = { GTK_FILE_CHOOSER_ACTION_OPEN, N_("_Open") },
    [PHOTOSEAL_FILE_CHOOSER_SAVE] = { GTK_FILE_CHOOSER_ACTION_SAVE, N_("_Save") },
    [PHOTOSEAL_FILE_CHOOSER_SELECT_FOLDER] = { GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, N_("_Select") },
  };
  GtkFileChooserNative *dialog;
  GTask *task;

  g_return_if_fail (mode <= PHOTOSEAL_FILE_CHOOSER_SELECT_FOLDER);

  dialog = gtk_file_chooser_native_new (title, parent, modes[mode].action,
                                        _(modes[mode].accept), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  if (mode == PHOTOSEAL_FILE_CHOOSER_OPEN_PHOTOS)
    {
      gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
      add_image_filter (GTK_FILE_CHOOSER (dialog));
    }
  if (mode == PHOTOSEAL_FILE_CHOOSER_OPEN_SEALED)
    {
      g_autoptr(GtkFileFilter) sealed = gtk_file_filter_new ();

      gtk_file_filter_set_name (sealed, _("Sealed Photos"));
      gtk_file_filter_add_mime_type (sealed, "application/x-photoseal");
      gtk_file_filter_add_suffix (sealed, "psf");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), sealed);
    }
  if (suggested_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested_name);

  task = g_task_new (parent, NULL, callback, user_data);
  g_task_set_source_tag (task, photoseal_file_chooser_run_async);
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), task);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

GListModel *
photoseal_file_chooser_run_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
