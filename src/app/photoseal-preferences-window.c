/* photoseal-preferences-window.c: account and sealing defaults
 *
 * Switching server is signing out, then signing in to the other server on
 * the welcome page. From libadwaita 1.5 the preferences are an
 * AdwPreferencesDialog over the main window; on Debian 12's 1.2 they are an
 * AdwPreferencesWindow. The few calls that differ are here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

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

  AdwActionRow *account_row;
  GtkWidget *sign_out_button;
  AdwComboRow *expiry_row;
  GtkSwitch *metadata_switch;
  AdwEntryRow *archive_row;
};

#if ADW_CHECK_VERSION (1, 5, 0)
G_DEFINE_FINAL_TYPE (PhotosealPreferencesWindow, photoseal_preferences_window, ADW_TYPE_PREFERENCES_DIALOG)
#else
G_DEFINE_FINAL_TYPE (PhotosealPreferencesWindow, photoseal_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)
#endif

static const int expiry_days[] = { 0, 1, 7, 30 };

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
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PhotosealPreferencesWindow *self = PHOTOSEAL_PREFERENCES_WINDOW (widget);

  photoseal_user_sign_out (self->user);
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_close (ADW_DIALOG (self));
#else
  gtk_window_close (GTK_WINDOW (self));
#endif
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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/photoseal/Photoseal/photoseal-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, metadata_switch);
  gtk_widget_class_bind_template_child (widget_class, PhotosealPreferencesWindow, archive_row);
  gtk_widget_class_bind_template_callback (widget_class, expiry_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, archive_applied_cb);

  gtk_widget_class_install_action (widget_class, "preferences.sign-out", NULL, sign_out_action);
}

static void
photoseal_preferences_window_init (PhotosealPreferencesWindow *self)
{
  g_autofree char *archive = NULL;
  int days;

  gtk_widget_init_template (GTK_WIDGET (self));

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
