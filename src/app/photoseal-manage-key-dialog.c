/* photoseal-manage-key-dialog.c: change who may open a sent file, until when, and its code
 *
 * One dialog, one action: add or remove recipients, move the expiry, or
 * issue a new access code (shown once, as the sealed page shows it). The
 * library parses what was typed and the server checks and audits the
 * change; the dialog shows either's message as plain text, never markup.
 * A change the server took emits ::changed, so the Sent list reloads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-manage-key-dialog"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "photoseal-alert.h"
#include "photoseal-manage-key-dialog.h"

struct _PhotosealManageKeyDialog
{
  AdwWindow parent_instance;

  PhotosealKeyserverClient *client;
  PhotosealKeyInfo *key;
  PhotosealManageKeyAction action;
  GCancellable *cancellable;
  GPtrArray *removed;           /* addresses whose rows were removed */
  char *code;
  gboolean code_copied;
  gboolean leaving;
  gboolean reissuing;

  AdwWindowTitle *window_title;
  GtkButton *apply_button;
  GtkButton *cancel_button;
  GtkLabel *file_label;
  GtkStack *action_stack;
  GtkListBox *recipients_list;
  AdwEntryRow *add_row;
  GtkSwitch *never_switch;
  AdwEntryRow *expiry_row;
  GtkLabel *code_label;
  GtkLabel *error_label;
};

G_DEFINE_FINAL_TYPE (PhotosealManageKeyDialog, photoseal_manage_key_dialog, ADW_TYPE_WINDOW)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
show_error (PhotosealManageKeyDialog *self,
            const char               *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (PhotosealManageKeyDialog *self,
          gboolean                  busy)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "manage.apply", !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->action_stack), !busy);
}

/* Answers ****************************************************************/

static gboolean
failed (PhotosealManageKeyDialog *self,
        GError                   *error)
{
  if (error == NULL)
    return FALSE;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_busy (self, FALSE);
      show_error (self, error->message);
    }
  return TRUE;
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PhotosealManageKeyDialog) self = user_data;
  g_autoptr(PhotosealKeyInfo) key = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_MANAGE_KEY_DIALOG (self));

  key = photoseal_keyserver_client_update_key_finish (PHOTOSEAL_KEYSERVER_CLIENT (object), result,
                                                      &error);
  if (failed (self, error))
    return;
  g_signal_emit (self, signals[CHANGED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
reissued_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PhotosealManageKeyDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_MANAGE_KEY_DIALOG (self));

  self->reissuing = FALSE;
  self->code = photoseal_keyserver_client_reissue_access_code_finish (
    PHOTOSEAL_KEYSERVER_CLIENT (object), result, &error);
  if (failed (self, error))
    return;
  gtk_label_set_text (self->code_label, self->code);
  gtk_stack_set_visible_child_name (self->action_stack, "code");
  gtk_widget_set_sensitive (GTK_WIDGET (self->action_stack), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->apply_button), FALSE);
  gtk_button_set_label (self->cancel_button, _("_Done"));
  gtk_widget_grab_focus (GTK_WIDGET (self->code_label));
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Applying ***************************************************************/

static char **
edited_recipients (PhotosealManageKeyDialog  *self,
                   GError                   **error)
{
  g_autofree const char **remove = g_new0 (const char *, self->removed->len + 1);
  g_auto(GStrv) add = NULL;

  for (guint i = 0; i < self->removed->len; i++)
    remove[i] = self->removed->pdata[i];
  if (!(add = photoseal_parse_recipients (gtk_editable_get_text (GTK_EDITABLE (self->add_row)),
                                          error)))
    return NULL;
  if (add[0] == NULL && self->removed->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Type an address to add, or remove a recipient."));
      return NULL;
    }
  return photoseal_key_info_edit_recipients (self->key, (const char * const *) add, remove,
                                             error);
}

/* The end of the day typed, in local time: the file can be opened all of
 * that day, as on the compose page. */
static GDateTime *
chosen_expiry (PhotosealManageKeyDialog  *self,
               GError                   **error)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->expiry_row));
  g_autofree char *day = photoseal_date_parse_day_in_order (text, photoseal_date_locale_order (),
                                                            error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) until = NULL;
  int year, month, mday;

  if (day == NULL || sscanf (day, "%d-%d-%d", &year, &month, &mday) != 3)
    return NULL;
  until = g_date_time_new_local (year, month, mday, 23, 59, 59);
  if (until == NULL || g_date_time_compare (until, now) < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("That day has passed: choose today or a later day, or revoke "
                             "the file to stop it at once."));
      return NULL;
    }
  return g_steal_pointer (&until);
}

static void
apply_recipients (PhotosealManageKeyDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) recipients = edited_recipients (self, &error);

  if (recipients == NULL)
    {
      show_error (self, error->message);
      return;
    }
  set_busy (self, TRUE);
  photoseal_keyserver_client_update_key_async (self->client,
                                               photoseal_key_info_get_key_id (self->key),
                                               PHOTOSEAL_KEY_UPDATE_RECIPIENTS,
                                               (const char * const *) recipients, NULL,
                                               self->cancellable, updated_cb,
                                               g_object_ref (self));
}

static void
apply_expiry (PhotosealManageKeyDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) expires = NULL;

  if (!gtk_switch_get_active (self->never_switch) && !(expires = chosen_expiry (self, &error)))
    {
      show_error (self, error->message);
      return;
    }
  set_busy (self, TRUE);
  photoseal_keyserver_client_update_key_async (self->client,
                                               photoseal_key_info_get_key_id (self->key),
                                               PHOTOSEAL_KEY_UPDATE_EXPIRES, NULL, expires,
                                               self->cancellable, updated_cb,
                                               g_object_ref (self));
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PhotosealManageKeyDialog *self = PHOTOSEAL_MANAGE_KEY_DIALOG (widget);

  show_error (self, NULL);
  switch (self->action)
    {
    case PHOTOSEAL_MANAGE_KEY_RECIPIENTS:
      apply_recipients (self);
      break;
    case PHOTOSEAL_MANAGE_KEY_EXPIRY:
      apply_expiry (self);
      break;
    case PHOTOSEAL_MANAGE_KEY_NEW_CODE:
      set_busy (self, TRUE);
      self->reissuing = TRUE;
      photoseal_keyserver_client_reissue_access_code_async (
        self->client, photoseal_key_info_get_key_id (self->key), self->cancellable, reissued_cb,
        g_object_ref (self));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhotosealManageKeyDialog *self = PHOTOSEAL_MANAGE_KEY_DIALOG (widget);

  if (self->code != NULL)
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->code);
      self->code_copied = TRUE;
    }
}

static void
leave_response_cb (GtkWidget                *alert,
                   const char               *response,
                   PhotosealManageKeyDialog *self)
{
  g_assert (PHOTOSEAL_IS_MANAGE_KEY_DIALOG (self));

  if (g_strcmp0 (response, "leave") != 0)
    return;
  self->leaving = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/* The new code is shown once and the old one no longer works: closing
 * before copying it asks first, as the sealed page does. */
static gboolean
photoseal_manage_key_dialog_close_request (GtkWindow *window)
{
  PhotosealManageKeyDialog *self = PHOTOSEAL_MANAGE_KEY_DIALOG (window);
  GtkWidget *alert;

  /* The server may have made the new code already, and the old one is
   * gone then: the dialog stays for the answer (at most the client's
   * timeout), or the new code would never be seen. */
  if (self->reissuing)
    return TRUE;
  if (self->code == NULL || self->code_copied || self->leaving)
    return GTK_WINDOW_CLASS (photoseal_manage_key_dialog_parent_class)->close_request (window);
  alert = photoseal_alert_new (_("Access Code Not Copied"),
                               _("The new access code is shown only now, and the old one no "
                                 "longer works. Without it, recipients without an account "
                                 "cannot open the file."),
                               _("_Back to the Code"), "leave", _("_Close"));
  g_signal_connect_object (alert, "response", G_CALLBACK (leave_response_cb), self, 0);
  photoseal_alert_present (alert, GTK_WIDGET (self));
  return TRUE;
}

/* Setting up *************************************************************/

static void
remove_clicked_cb (GtkButton                *button,
                   PhotosealManageKeyDialog *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);

  g_assert (PHOTOSEAL_IS_MANAGE_KEY_DIALOG (self));

  g_ptr_array_add (self->removed,
                   g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))));
  gtk_list_box_remove (self->recipients_list, row);
}

static void
add_recipient_row (PhotosealManageKeyDialog *self,
                   const char               *address)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  g_autofree char *name = g_strdup_printf (_("Remove %s"), address);

  /* The address is the server's text. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), address);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  gtk_list_box_append (self->recipients_list, row);
}

static void
set_up_expiry (PhotosealManageKeyDialog *self)
{
  GDateTime *expires = photoseal_key_info_get_expires (self->key);

  gtk_switch_set_active (self->never_switch, expires == NULL);
  if (expires != NULL)
    {
      g_autofree char *day = photoseal_date_format_local_day (expires);

      gtk_editable_set_text (GTK_EDITABLE (self->expiry_row), day);
    }
  g_object_bind_property (self->never_switch, "active", self->expiry_row, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
}

static void
set_up (PhotosealManageKeyDialog *self)
{
  static const char * const pages[] = { "recipients", "expiry", "new-code" };
  const char *titles[] = { _("Recipients"), _("Expiry"), _("New Access Code") };
  const char *applies[] = { _("_Save"), _("_Save"), _("_Issue New Code") };
  const char * const *recipients = photoseal_key_info_get_recipients (self->key);

  gtk_window_set_title (GTK_WINDOW (self), titles[self->action]);
  adw_window_title_set_title (self->window_title, titles[self->action]);
  gtk_button_set_label (self->apply_button, applies[self->action]);
  gtk_stack_set_visible_child_name (self->action_stack, pages[self->action]);
  for (guint i = 0; recipients[i] != NULL; i++)
    add_recipient_row (self, recipients[i]);
  set_up_expiry (self);
  if (self->action == PHOTOSEAL_MANAGE_KEY_RECIPIENTS)
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->add_row));
  else if (self->action == PHOTOSEAL_MANAGE_KEY_EXPIRY)
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->expiry_row));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->apply_button));
}

/**
 * photoseal_manage_key_dialog_new:
 * @description: the file, as the Sent row names it: patient, file, date
 */
GtkWidget *
photoseal_manage_key_dialog_new (GtkWindow                *parent,
                                 PhotosealKeyserverClient *client,
                                 PhotosealKeyInfo         *key,
                                 const char               *description,
                                 PhotosealManageKeyAction  action)
{
  PhotosealManageKeyDialog *self;

  g_return_val_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (client), NULL);
  g_return_val_if_fail (PHOTOSEAL_IS_KEY_INFO (key), NULL);
  g_return_val_if_fail (action <= PHOTOSEAL_MANAGE_KEY_NEW_CODE, NULL);

  self = g_object_new (PHOTOSEAL_TYPE_MANAGE_KEY_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  self->key = g_object_ref (key);
  self->action = action;
  gtk_label_set_text (self->file_label, description);
  set_up (self);
  return GTK_WIDGET (self);
}

static void
photoseal_manage_key_dialog_dispose (GObject *object)
{
  PhotosealManageKeyDialog *self = (PhotosealManageKeyDialog *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->key);
  g_clear_pointer (&self->removed, g_ptr_array_unref);
  /* The access code opens the file: wipe it. */
  if (self->code != NULL)
    sodium_memzero (self->code, strlen (self->code));
  g_clear_pointer (&self->code, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), PHOTOSEAL_TYPE_MANAGE_KEY_DIALOG);

  G_OBJECT_CLASS (photoseal_manage_key_dialog_parent_class)->dispose (object);
}

static void
photoseal_manage_key_dialog_class_init (PhotosealManageKeyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = photoseal_manage_key_dialog_dispose;
  window_class->close_request = photoseal_manage_key_dialog_close_request;

  /**
   * PhotosealManageKeyDialog::changed:
   *
   * The server took the change: the key is not as it was any more.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/photoseal/Photoseal/photoseal-manage-key-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealManageKeyDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, PhotosealManageKeyDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealManageKeyDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealManageKeyDialog, file_label);
  gtk_widget_class_bind_template_child (widget_class, PhotosealManageKeyDialog, action_stack);
  gtk_widget_class_bind_template_child (widget_class, PhotosealManageKeyDialog, recipients_list);
  gtk_widget_class_bind_template_child (widget_class, PhotosealManageKeyDialog, add_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealManageKeyDialog, never_switch);
  gtk_widget_class_bind_template_child (widget_class, PhotosealManageKeyDialog, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealManageKeyDialog, code_label);
  gtk_widget_class_bind_template_child (widget_class, PhotosealManageKeyDialog, error_label);

  gtk_widget_class_install_action (widget_class, "manage.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "manage.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
photoseal_manage_key_dialog_init (PhotosealManageKeyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->removed = g_ptr_array_new_with_free_func (g_free);
}
