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
#include <string.h>

#include <glib/gi18n.h>

#include "photoseal-compose-page-private.h"
#include "photoseal-toast.h"
#include "photoseal-file-chooser.h"
#include "photoseal-share.h"
#include "photoseal-alert.h"

/* Above this, "Share by Email…" is no longer suggested. */
#define LARGE_FOR_EMAIL (20 * 1000 * 1000)

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

/* "bob, carol, and dave". */
static char *
join_people (GPtrArray *who)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < who->len; i++)
    {
      if (i > 0 && i == who->len - 1)
        /* Translators: before the last of three or more people ("bob, carol, and dave"). */
        g_string_append (text, who->len > 2 ? _(", and ") : _(" and "));
      else if (i > 0)
        g_string_append (text, _(", "));
      g_string_append (text, g_ptr_array_index (who, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "bob, carol, and anyone with the access code": the people who can open
 * the file, each named. */
static char *
describe_who (const char * const *recipients,
              gboolean            access_code)
{
  g_autoptr(GPtrArray) who = g_ptr_array_new ();

  for (guint i = 0; recipients[i] != NULL; i++)
    g_ptr_array_add (who, (gpointer) recipients[i]);
  if (access_code)
    g_ptr_array_add (who, _("anyone with the access code"));
  return join_people (who);
}

/* Who the key server invited by email, and who it did not reach (no
 * account, or the invitation could not be mailed): they need the access
 * code. Plain text, for a label: the addresses come from the server. */
static char *
describe_reach (GListModel *states,
                gboolean    access_code)
{
  g_autoptr(GPtrArray) invited = g_ptr_array_new ();
  g_autoptr(GPtrArray) missed = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; states != NULL && i < g_list_model_get_n_items (states); i++)
    {
      g_autoptr(PhotosealRecipientInfo) info = g_list_model_get_item (states, i);
      PhotosealRecipientState state = photoseal_recipient_info_get_state (info);

      /* The list holds the infos, and so their emails, while we join them. */
      if (state == PHOTOSEAL_RECIPIENT_INVITED)
        g_ptr_array_add (invited, (gpointer) photoseal_recipient_info_get_email (info));
      else if (state == PHOTOSEAL_RECIPIENT_NOT_SENT || state == PHOTOSEAL_RECIPIENT_NO_ACCOUNT)
        g_ptr_array_add (missed, (gpointer) photoseal_recipient_info_get_email (info));
    }
  if (invited->len > 0)
    {
      g_autofree char *names = join_people (invited);

      g_string_append_printf (text, _("Invited by email: %s."), names);
    }
  if (missed->len > 0)
    {
      g_autofree char *names = join_people (missed);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: %s are addresses the key server could not invite by email. */
      g_string_append_printf (text, access_code ? _("Not reached: %s. Give them the access code.")
                                                : _("Not reached: %s. They need an account to "
                                                    "open the file."), names);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* An age public key, too long to read whole: its start and end. */
static char *
shorten_key (const char *key)
{
  gsize len = strlen (key);

  return len > 24 ? g_strdup_printf ("%.14s…%s", key, key + len - 6) : g_strdup (key);
}

static char *
describe_done (PhotosealComposePage *self,
               const char           *code)
{
  g_autofree char *name = g_file_get_basename (self->sealed_file);
  g_autofree char *size = g_format_size (photoseal_seal_job_get_size (self->job));
  g_autofree char *who = describe_who ((const char * const *) self->recipients, code != NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->expires != NULL)
    {
      g_autofree char *until = photoseal_date_format_time (self->expires);

      g_string_printf (text, _("%s (%s) can be opened by %s until %s."), name, size, who, until);
    }
  else
    g_string_printf (text, _("%s (%s) can be opened by %s."), name, size, who);
  if (self->archive_recipient != NULL)
    {
      g_autofree char *key = shorten_key (self->archive_recipient);

      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("The archive key %s can open it too, without the key "
                                      "server."), key);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "ABCDE-FGHJK" as "ABCDE – FGHJK": two groups of five, to read out. */
static char *
group_code (const char *code)
{
  g_auto(GStrv) groups = g_strsplit (code, "-", -1);

  return g_strjoinv (" – ", groups);
}

static void
show_done (PhotosealComposePage *self)
{
  const char *code = photoseal_seal_job_get_access_code (self->job);
  g_autofree char *description = describe_done (self, code);
  g_autofree char *markup = g_markup_escape_text (description, -1);
  g_autofree char *grouped = code ? group_code (code) : NULL;
  g_autofree char *reach = describe_reach (photoseal_seal_job_get_recipient_states (self->job),
                                           code != NULL);
  gboolean large = photoseal_seal_job_get_size (self->job) > LARGE_FOR_EMAIL;

  adw_status_page_set_description (self->done_status, markup);
  gtk_widget_set_visible (self->access_code_group, code != NULL);
  gtk_label_set_text (self->access_code_label, grouped ? grouped : "");
  gtk_label_set_text (self->reach_label, reach);
  gtk_widget_set_visible (GTK_WIDGET (self->reach_label), *reach != '\0');
  self->code_copied = FALSE;

  /* Most mail servers refuse more than 20-25 MB; email is then not the
   * way to suggest. */
  gtk_widget_set_visible (self->large_file_label, large);
  if (large)
    gtk_widget_remove_css_class (self->email_button, "suggested-action");
  else
    gtk_widget_add_css_class (self->email_button, "suggested-action");
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
          _photoseal_compose_page_toast (self, message);
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

  if (self->job != NULL || !_photoseal_compose_page_validate (self, &recipients)
      || !photoseal_recipient_editor_confirm (self->recipient_editor))
    return;
  if (!(destination = new_destination (&error)))
    {
      _photoseal_compose_page_toast (self, error->message);
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
  _photoseal_compose_page_toast (self, message);
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
      _photoseal_compose_page_toast (self,
                                     _("No email app answered. Use Save As… or Show in Folder "
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
  _photoseal_compose_page_toast (self, _("Sealed file copied"));
}

static void
copy_access_code_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          photoseal_seal_job_get_access_code (self->job));
  self->code_copied = TRUE;
  _photoseal_compose_page_toast (self, _("Access code copied"));
}

static void
folder_shown_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PhotosealComposePage) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  if (photoseal_share_show_in_folder_finish (result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->sealed_file == NULL)
    return;
  g_debug ("Show in Folder: %s", error->message);
  /* Short: a toast does not wrap, and a long path overflowed a narrow
   * window. Save As… stands on the same page for putting the file
   * somewhere known. */
  _photoseal_compose_page_toast (self, _("No file manager could show the folder"));
}

static void
show_in_folder_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);

  photoseal_share_show_in_folder_async (GTK_WINDOW (gtk_widget_get_root (widget)),
                                        self->sealed_file, folder_shown_cb, g_object_ref (self));
}

static void
seal_more (PhotosealComposePage *self)
{
  _photoseal_compose_page_clear_form (self);
  /* The code was shown once; it does not stay in a hidden label. */
  gtk_label_set_text (self->access_code_label, "");
  g_clear_object (&self->job);
  g_clear_object (&self->sealed_file);
  _photoseal_compose_page_set_state (self, PHOTOSEAL_COMPOSE_STATE_FORM);
  /* The next file starts at the top of the form, not where the last ended. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->form_scroller), 0);
  photoseal_compose_page_focus_first_field (self);
}

static void
leave_response_cb (GtkWidget            *dialog,
                   const char           *response,
                   PhotosealComposePage *self)
{
  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  if (g_strcmp0 (response, "leave") == 0)
    seal_more (self);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);
  GtkWidget *dialog;

  if (!photoseal_compose_page_get_code_pending (self))
    {
      seal_more (self);
      return;
    }
  dialog = photoseal_alert_new (_("Access Code Not Copied"),
                                _("The access code is shown only now. Without it, recipients "
                                  "without an account cannot open the file."),
                                _("_Back to the Code"), "leave", _("_Leave"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (leave_response_cb), self, 0);
  photoseal_alert_present (dialog, widget);
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
