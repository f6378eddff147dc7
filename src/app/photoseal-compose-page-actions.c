/* photoseal-compose-page-actions.c: what the compose page can do
 *
 * Adding and removing photos, sealing (form → progress → done, or back to
 * the form with a toast, everything still filled in), and sharing the
 * sealed file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-compose-page"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "photoseal-compose-page-private.h"
#include "photoseal-toast.h"
#include "photoseal-file-chooser.h"
#include "photoseal-share.h"

static void
photos_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PhotosealComposePage) self = user_data;
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  if (!(files = photoseal_file_chooser_run_finish (result, NULL)))
    return;
  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    g_ptr_array_add (array, g_list_model_get_item (files, i));
  photoseal_compose_page_add_files (self, (GFile **) array->pdata, array->len);
}

static void
add_photos_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);

  photoseal_file_chooser_run_async (GTK_WINDOW (gtk_widget_get_root (widget)),
                                    PHOTOSEAL_FILE_CHOOSER_OPEN_PHOTOS, _("Add Photos"), NULL,
                                    photos_chosen_cb, g_object_ref (self));
}

static void
remove_photo_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));
  guint position;

  if (_photoseal_compose_page_find_photo (self, file, &position))
    g_list_store_remove (self->photos, position);
}

/* A new file in the cache folder: "Photos 2026-11-29 14.05.psf". The
 * patient's name stays out of it, as file names travel in the clear. */
static GFile *
new_destination (GError **error)
{
  g_autofree char *folder = g_build_filename (g_get_user_cache_dir (), "photoseal", "sealed", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H.%M");

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      photoseal_set_errno_error (error, errno, "create", folder);
      return NULL;
    }
  for (guint i = 1; ; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup_printf (_("Photos %s.psf"), stamp)
                                     : g_strdup_printf (_("Photos %s (%u).psf"), stamp, i);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return g_file_new_for_path (path);
    }
}

static void
show_done (PhotosealComposePage *self)
{
  g_autofree char *name = g_file_get_basename (self->sealed_file);
  g_autofree char *size = NULL;
  g_autofree char *who = NULL;
  g_autofree char *description = NULL;
  g_autofree char *markup = NULL;
  const char *code = photoseal_seal_job_get_access_code (self->job);

  size = g_format_size (photoseal_seal_job_get_size (self->job));
  who = self->recipients[0] ? g_strjoinv (", ", self->recipients)
                            : g_strdup (_("the holder of the access code"));
  if (self->expires != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (self->expires);
      g_autofree char *until = g_date_time_format (local, "%x %H:%M");

      description = g_strdup_printf (_("%s (%s) can be opened by %s until %s."), name, size, who,
                                     until);
    }
  else
    description = g_strdup_printf (_("%s (%s) can be opened by %s."), name, size, who);
  markup = g_markup_escape_text (description, -1);
  adw_status_page_set_description (self->done_status, markup);

  gtk_widget_set_visible (self->access_code_group, code != NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->access_code_row), code ? code : "");
  _photoseal_compose_page_set_state (self, PHOTOSEAL_COMPOSE_STATE_DONE);
}

static void
sealed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PhotosealComposePage) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  if (!photoseal_seal_job_run_finish (PHOTOSEAL_SEAL_JOB (object), result, &error))
    {
      g_clear_object (&self->job);
      _photoseal_compose_page_set_state (self, PHOTOSEAL_COMPOSE_STATE_FORM);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not seal: %s"), error->message);
          photoseal_toast_show (GTK_WIDGET (self), message);
        }
      return;
    }
  g_set_object (&self->sealed_file, photoseal_seal_job_get_destination (self->job));
  show_done (self);
}

static void
fraction_cb (PhotosealComposePage      *self,
             GParamSpec                *pspec,
             PhotosealProgressReporter *progress)
{
  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  gtk_progress_bar_set_fraction (self->progress_bar,
                                 photoseal_progress_reporter_get_fraction (progress));
}

static void
seal_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);
  g_autoptr(PhotosealSealer) sealer = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) recipients = NULL;

  if (self->job != NULL || !_photoseal_compose_page_validate (self, &recipients))
    return;
  if (!(destination = new_destination (&error)))
    {
      photoseal_toast_show (GTK_WIDGET (self), error->message);
      return;
    }
  expires = _photoseal_compose_page_chosen_expiry (self);

  sealer = _photoseal_compose_page_build_sealer (self);
  self->job = photoseal_seal_job_new (photoseal_user_get_client (self->user), sealer,
                                      (const char * const *) recipients, expires,
                                      gtk_switch_get_active (self->access_code_switch),
                                      destination);
  g_strfreev (self->recipients);
  self->recipients = g_steal_pointer (&recipients);
  g_clear_pointer (&self->expires, g_date_time_unref);
  self->expires = g_steal_pointer (&expires);
  g_signal_connect_object (photoseal_seal_job_get_progress (self->job), "notify::fraction",
                           G_CALLBACK (fraction_cb), self, G_CONNECT_SWAPPED);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  _photoseal_compose_page_set_state (self, PHOTOSEAL_COMPOSE_STATE_PROGRESS);
  photoseal_seal_job_run_async (self->job, self->cancellable, sealed_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PhotosealComposePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  if (!photoseal_share_save_copy_finish (result, &error))
    message = g_strdup_printf (_("Could not save: %s"), error->message);
  else
    message = g_strdup (_("Saved"));
  photoseal_toast_show (GTK_WIDGET (self), message);
}

static void
save_as_chosen_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PhotosealComposePage) self = user_data;
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GFile) destination = NULL;

  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  if (!(files = photoseal_file_chooser_run_finish (result, NULL))
      || !(destination = g_list_model_get_item (files, 0)))
    return;
  photoseal_share_save_copy_async (self->sealed_file, destination, saved_cb, g_object_ref (self));
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);
  g_autofree char *name = g_file_get_basename (self->sealed_file);

  photoseal_file_chooser_run_async (GTK_WINDOW (gtk_widget_get_root (widget)),
                                    PHOTOSEAL_FILE_CHOOSER_SAVE, _("Save Sealed File"), name,
                                    save_as_chosen_cb, g_object_ref (self));
}

static void
emailed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PhotosealComposePage) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  if (!photoseal_share_by_email_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Email portal: %s", error->message);
      photoseal_toast_show (GTK_WIDGET (self), _("No email app answered. Use Save As… or Show in Folder "
                                            "and attach the file yourself."));
    }
}

static void
email_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);

  photoseal_share_by_email_async (GTK_WINDOW (gtk_widget_get_root (widget)), self->sealed_file,
                                  (const char * const *) self->recipients, emailed_cb,
                                  g_object_ref (self));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);

  photoseal_share_copy (widget, self->sealed_file);
  photoseal_toast_show (GTK_WIDGET (self), _("Sealed file copied"));
}

static void
copy_access_code_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          photoseal_seal_job_get_access_code (self->job));
  photoseal_toast_show (GTK_WIDGET (self), _("Access code copied"));
}

static void
show_in_folder_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);

  photoseal_share_show_in_folder (GTK_WINDOW (gtk_widget_get_root (widget)), self->sealed_file);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);

  _photoseal_compose_page_clear_form (self);
  /* The code was shown once; it does not stay in a hidden row. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->access_code_row), "");
  g_clear_object (&self->job);
  g_clear_object (&self->sealed_file);
  _photoseal_compose_page_set_state (self, PHOTOSEAL_COMPOSE_STATE_FORM);
  photoseal_compose_page_focus_first_field (self);
}

void
_photoseal_compose_page_class_actions_init (PhotosealComposePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "compose.add-photos", NULL, add_photos_action);
  gtk_widget_class_install_action (widget_class, "compose.remove-photo", "s", remove_photo_action);
  gtk_widget_class_install_action (widget_class, "compose.seal", NULL, seal_action);
  gtk_widget_class_install_action (widget_class, "compose.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "compose.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "compose.email", NULL, email_action);
  gtk_widget_class_install_action (widget_class, "compose.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "compose.copy-access-code", NULL,
                                   copy_access_code_action);
  gtk_widget_class_install_action (widget_class, "compose.show-in-folder", NULL,
                                   show_in_folder_action);
  gtk_widget_class_install_action (widget_class, "compose.new", NULL, new_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "compose.cancel", NULL);
}

/* Ctrl+O and Ctrl+Return work in the whole window while the page shows,
 * even before anything has the focus or when it is in the header bar:
 * class key bindings would see only keys sent to the focused widget
 * inside the page. The window runs managed shortcuts only for a mapped
 * page. */
void
_photoseal_compose_page_actions_init (PhotosealComposePage *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (controller);
  GtkShortcut *seal = gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>Return"),
                                        gtk_named_action_new ("compose.seal"));
  GtkShortcut *add = gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>o"),
                                       gtk_named_action_new ("compose.add-photos"));

  gtk_shortcut_controller_set_scope (shortcuts, GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (shortcuts, seal);
  gtk_shortcut_controller_add_shortcut (shortcuts, add);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
