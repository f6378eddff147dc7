/* photoseal-preferences-window.c: account and sealing defaults
 *
 * Switching server is signing out, then signing in to the other server on
 * the welcome page. The account's devices are listed with Remove (removing
 * this one signs out); Change Password has the key server mail a code to
 * the account's address, since the server changes a password only with
 * one, and signs this device in again with the new password, as the
 * change ends every session. From libadwaita 1.5 the preferences are an
 * AdwPreferencesDialog over the main window; on Debian 12's 1.2 they are an
 * AdwPreferencesWindow. The few calls that differ are here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-alert.h"
#include "photoseal-preferences-window.h"
#include "photoseal-toast.h"

struct _PhotosealPreferencesWindow
{
#if ADW_CHECK_VERSION (1, 5, 0)
  AdwPreferencesDialog parent_instance;
#else
  AdwPreferencesWindow parent_instance;
#endif

  PhotosealUser *user;
  GSettings *settings;
  GCancellable *cancellable;
  /* The device the open confirmation would remove. */
  PhotosealDeviceInfo *removing;

  AdwActionRow *account_row;
  GtkWidget *sign_out_button;
  GtkWidget *password_group;
  GtkWidget *send_code_button;
  AdwEntryRow *password_code_row;
  AdwPasswordEntryRow *new_password_row;
  GtkWidget *change_password_button;
  GtkWidget *devices_group;
  GtkListBox *devices_list;
  AdwComboRow *expiry_row;
  GtkSwitch *metadata_switch;
  AdwEntryRow *archive_row;
};

#if ADW_CHECK_VERSION (1, 5, 0)
G_DEFINE_FINAL_TYPE (PhotosealPreferencesWindow, photoseal_preferences_window,
                     ADW_TYPE_PREFERENCES_DIALOG)
#else
G_DEFINE_FINAL_TYPE (PhotosealPreferencesWindow, photoseal_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)
#endif

static const int expiry_days[] = { 0, 1, 7, 30 };

static void
close_preferences (PhotosealPreferencesWindow *self)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_close (ADW_DIALOG (self));
#else
  gtk_window_close (GTK_WINDOW (self));
#endif
}

static void
show_password_form (PhotosealPreferencesWindow *self,
                    gboolean                    shown)
{
  gtk_widget_set_visible (GTK_WIDGET (self->password_code_row), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->new_password_row), shown);
  gtk_widget_set_visible (self->change_password_button, shown);
  gtk_editable_set_text (GTK_EDITABLE (self->password_code_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_row), "");
}

static void
show_error (PhotosealPreferencesWindow *self,
            const GError               *error)
{
  g_autofree char *message = photoseal_user_describe_error (error);

  photoseal_toast_show (GTK_WIDGET (self), message);
}

/* Devices ***************************************************************/

static void reload_devices (PhotosealPreferencesWindow *self);

static void
device_removed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PhotosealPreferencesWindow) self = user_data;
  g_autoptr(PhotosealDeviceInfo) device = g_steal_pointer (&self->removing);
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_PREFERENCES_WINDOW (self));

  if (!photoseal_keyserver_client_remove_device_finish (PHOTOSEAL_KEYSERVER_CLIENT (object),
                                                        result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  if (photoseal_device_info_get_current (device))
    {
      /* The server has ended this session; forget it here too. */
      photoseal_user_sign_out (self->user);
      close_preferences (self);
      return;
    }
  reload_devices (self);
}

static void
remove_response_cb (GtkWidget                  *dialog,
                    const char                 *response,
                    PhotosealPreferencesWindow *self)
{
  PhotosealKeyserverClient *client = photoseal_user_get_client (self->user);

  g_assert (PHOTOSEAL_IS_PREFERENCES_WINDOW (self));

  if (g_strcmp0 (response, "remove") != 0 || client == NULL || self->removing == NULL)
    {
      g_clear_object (&self->removing);
      return;
    }
  photoseal_keyserver_client_remove_device_async (client,
                                                  photoseal_device_info_get_id (self->removing),
                                                  self->cancellable, device_removed_cb,
                                                  g_object_ref (self));
}

static void
remove_clicked_cb (GtkButton                  *button,
                   PhotosealPreferencesWindow *self)
{
  PhotosealDeviceInfo *device = g_object_get_data (G_OBJECT (button), "device");
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_assert (PHOTOSEAL_IS_PREFERENCES_WINDOW (self));

  g_set_object (&self->removing, device);
  /* The name goes in the body: a long one in the heading would not fit a
   * narrow alert. */
  if (photoseal_device_info_get_current (device))
    {
      heading = g_strdup (_("Remove This Device?"));
      body = g_strdup (_("This is the device you are using: removing it signs you out here. "
                         "Sign in again to go on sealing and opening files."));
    }
  else
    {
      heading = g_strdup (_("Remove Device?"));
      body = g_strdup_printf (_("“%s” is signed out at once, and its key can open no file any "
                                "more. Signing in on it again enrols it anew."),
                              photoseal_device_info_get_name (device));
    }
  dialog = photoseal_alert_new (heading, body,
                                _("_Cancel"), "remove", _("_Remove"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  photoseal_alert_present (dialog, GTK_WIDGET (self));
}

static GtkWidget *
create_device_row (gpointer item,
                   gpointer user_data)
{
  PhotosealPreferencesWindow *self = user_data;
  PhotosealDeviceInfo *device = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_with_mnemonic (_("_Remove…"));
  GDateTime *expires = photoseal_device_info_get_expires (device);
  g_autofree char *until = NULL;
  g_autofree char *subtitle = NULL;

  /* The name is whatever the device sent at sign-in: text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 photoseal_device_info_get_name (device));
  if (expires != NULL)
    until = photoseal_date_format_local_day (expires);
  if (photoseal_device_info_get_current (device))
    subtitle = g_strdup (_("This device"));
  else if (until != NULL)
    subtitle = g_strdup_printf (_("Signed in until %s"), until);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : "");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove this device"), -1);
  g_object_set_data_full (G_OBJECT (remove), "device", g_object_ref (device), g_object_unref);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

static void
devices_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PhotosealPreferencesWindow) self = user_data;
  g_autoptr(GListModel) devices = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_PREFERENCES_WINDOW (self));

  devices = photoseal_keyserver_client_list_devices_finish (PHOTOSEAL_KEYSERVER_CLIENT (object),
                                                            result, &error);
  if (devices == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  gtk_list_box_bind_model (self->devices_list, devices, create_device_row, self, NULL);
}

static void
reload_devices (PhotosealPreferencesWindow *self)
{
  PhotosealKeyserverClient *client = photoseal_user_get_client (self->user);

  if (client != NULL)
    photoseal_keyserver_client_list_devices_async (client, self->cancellable, devices_listed_cb,
                                                   g_object_ref (self));
}

/* Password **************************************************************/

static void
code_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PhotosealPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_PREFERENCES_WINDOW (self));

  gtk_widget_set_sensitive (self->send_code_button, TRUE);
  if (!photoseal_user_request_code_finish (PHOTOSEAL_USER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  show_password_form (self, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_code_row));
}

static void
send_password_code_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  PhotosealPreferencesWindow *self = PHOTOSEAL_PREFERENCES_WINDOW (widget);

  if (!photoseal_user_get_signed_in (self->user))
    return;
  gtk_widget_set_sensitive (self->send_code_button, FALSE);
  photoseal_user_request_code_async (self->user, PHOTOSEAL_USER_CODE_PASSWORD, NULL, NULL,
                                     self->cancellable, code_sent_cb, g_object_ref (self));
}

static void
password_changed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PhotosealPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_PREFERENCES_WINDOW (self));

  gtk_widget_set_sensitive (self->password_group, TRUE);
  if (!photoseal_user_sign_in_finish (PHOTOSEAL_USER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  show_password_form (self, FALSE);
  photoseal_toast_show (GTK_WIDGET (self), _("Password changed. Your other devices are signed "
                                             "out."));
  reload_devices (self);
}

static void
change_password_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PhotosealPreferencesWindow *self = PHOTOSEAL_PREFERENCES_WINDOW (widget);
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->password_code_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->new_password_row));

  if (!photoseal_user_get_signed_in (self->user))
    return;
  if (*code == '\0' || *password == '\0')
    {
      photoseal_toast_show (GTK_WIDGET (self), _("Fill in the code from the mail and the new "
                                                 "password."));
      return;
    }
  gtk_widget_set_sensitive (self->password_group, FALSE);
  photoseal_user_change_password_async (self->user, code, password, self->cancellable,
                                        password_changed_cb, g_object_ref (self));
}

/* Account ***************************************************************/

static void
update_account (PhotosealPreferencesWindow *self)
{
  g_assert (PHOTOSEAL_IS_PREFERENCES_WINDOW (self));

  gboolean signed_in = photoseal_user_get_signed_in (self->user);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row),
                                 signed_in ? photoseal_user_get_email (self->user)
                                           : _("Not signed in"));
  adw_action_row_set_subtitle (self->account_row,
                               signed_in ? photoseal_user_get_origin (self->user) : "");
  gtk_widget_set_visible (self->sign_out_button, signed_in);
  gtk_widget_set_visible (self->password_group, signed_in);
  gtk_widget_set_visible (self->devices_group, signed_in);
  if (signed_in)
    reload_devices (self);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PhotosealPreferencesWindow *self = PHOTOSEAL_PREFERENCES_WINDOW (widget);

  photoseal_user_sign_out (self->user);
  close_preferences (self);
}

static void
expiry_selected_cb (PhotosealPreferencesWindow *self)
{
  g_assert (PHOTOSEAL_IS_PREFERENCES_WINDOW (self));

  g_settings_set_enum (self->settings, "default-expiry",
                       expiry_days[adw_combo_row_get_selected (self->expiry_row)]);
}

static void
archive_applied_cb (PhotosealPreferencesWindow *self)
{
  const char *text;
  g_autoptr(PhotosealX25519Recipient) recipient = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_PREFERENCES_WINDOW (self));

  text = gtk_editable_get_text (GTK_EDITABLE (self->archive_row));

  if (*text != '\0' && !(recipient = photoseal_x25519_recipient_parse (text, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("Not an age public key: %s"), error->message);

      gtk_widget_add_css_class (GTK_WIDGET (self->archive_row), "error");
      photoseal_toast_show (GTK_WIDGET (self), message);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->archive_row), "error");
  g_settings_set_string (self->settings, "archive-recipient", text);
}

static void
photoseal_preferences_window_dispose (GObject *object)
{
  PhotosealPreferencesWindow *self = (PhotosealPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->removing);
  gtk_widget_dispose_template (GTK_WIDGET (self), PHOTOSEAL_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->user);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (photoseal_preferences_window_parent_class)->dispose (object);
}

static void
photoseal_preferences_window_class_init (PhotosealPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = photoseal_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/photoseal/Photoseal/photoseal-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, password_group);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, send_code_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow,
                                        password_code_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, new_password_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow,
                                        change_password_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, devices_group);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, devices_list);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, metadata_switch);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, archive_row);
  gtk_widget_class_bind_template_callback (widget_class, expiry_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, archive_applied_cb);

  gtk_widget_class_install_action (widget_class, "preferences.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "preferences.send-password-code", NULL,
                                   send_password_code_action);
  gtk_widget_class_install_action (widget_class, "preferences.change-password", NULL,
                                   change_password_action);
}

static void
photoseal_preferences_window_init (PhotosealPreferencesWindow *self)
{
  g_autofree char *archive = NULL;
  int days;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "remove-metadata", self->metadata_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  days = g_settings_get_enum (self->settings, "default-expiry");
  for (guint i = 0; i < G_N_ELEMENTS (expiry_days); i++)
    if (expiry_days[i] == days)
      adw_combo_row_set_selected (self->expiry_row, i);
  archive = g_settings_get_string (self->settings, "archive-recipient");
  gtk_editable_set_text (GTK_EDITABLE (self->archive_row), archive);
}

/* Shows the preferences of @user over @parent. */
void
photoseal_preferences_window_present (GtkWindow     *parent,
                                      PhotosealUser *user)
{
  PhotosealPreferencesWindow *self;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (PHOTOSEAL_IS_USER (user));

  self = g_object_new (PHOTOSEAL_TYPE_PREFERENCES_WINDOW, NULL);
  self->user = g_object_ref (user);
  g_signal_connect_object (user, "notify::signed-in", G_CALLBACK (update_account), self,
                           G_CONNECT_SWAPPED);
  update_account (self);
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_set_content_height (ADW_DIALOG (self), 560);
  adw_dialog_present (ADW_DIALOG (self), GTK_WIDGET (parent));
#else
  gtk_window_set_default_size (GTK_WINDOW (self), -1, 560);
  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_present (GTK_WINDOW (self));
#endif
}
