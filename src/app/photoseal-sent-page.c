/* photoseal-sent-page.c: the files this account sealed, and who opened them
 *
 * The library lists the keys as PhotosealKeyInfo objects in a GListModel,
 * which the list box binds to PhotosealSentRow widgets, as GNOME Calendar's
 * calendar list binds its calendars. Each row adds what this computer's
 * label store kept (patient, file name, photos); the store is opened in a
 * worker (keyring and disk), and a store that cannot be read leaves the
 * rows without patients rather than the page without rows.
 *
 * The list refreshes when the page is shown, when the window regains focus
 * and from the Refresh button; a refresh that fails says so and keeps the
 * last list. Managing a file is a page action taking its key id, from the
 * row's menu; revoking and removing the access code ask first, naming the
 * file, and the rest open a PhotosealManageKeyDialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sent-page"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-alert.h"
#include "photoseal-manage-key-dialog.h"
#include "photoseal-sent-page.h"
#include "photoseal-sent-row.h"
#include "photoseal-toast.h"

struct _PhotosealSentPage
{
  AdwBin parent_instance;

  PhotosealUser *user;
  GCancellable *cancellable;   /* the load under way */
  GCancellable *changes;       /* changes asked for, which a reload must not stop */
  GListModel *keys;
  PhotosealLabelStore *labels;
  GDateTime *loaded;
  char *shown;                  /* what the rows show, to leave them be when nothing changed */
  GHashTable *expanded;         /* key ids of the rows open, kept across reloads */
  PhotosealKeyInfo *asking;     /* the key a question is about */
  GtkWindow *window;            /* watched for focus */

  GtkStack *state_stack;
  AdwStatusPage *empty_status;
  GtkListBox *keys_list;
  GtkLabel *status_label;
};

G_DEFINE_FINAL_TYPE (PhotosealSentPage, photoseal_sent_page, ADW_TYPE_BIN)

/* The rows ***************************************************************/

static const PhotosealLabel *
label_for (PhotosealSentPage *self,
           PhotosealKeyInfo  *key)
{
  if (self->labels == NULL)
    return NULL;
  return photoseal_label_store_lookup (self->labels, photoseal_key_info_get_key_id (key));
}

static void
row_expanded_cb (PhotosealSentRow  *row,
                 GParamSpec        *pspec,
                 PhotosealSentPage *self)
{
  const char *key_id = photoseal_key_info_get_key_id (photoseal_sent_row_get_key (row));

  g_assert (PHOTOSEAL_IS_SENT_PAGE (self));

  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)))
    g_hash_table_add (self->expanded, g_strdup (key_id));
  else
    g_hash_table_remove (self->expanded, key_id);
}

static GtkWidget *
create_key_row (gpointer item,
                gpointer user_data)
{
  PhotosealSentPage *self = user_data;
  PhotosealKeyInfo *key = item;
  GtkWidget *row = photoseal_sent_row_new (photoseal_user_get_client (self->user), key,
                                           label_for (self, key));

  if (g_hash_table_contains (self->expanded, photoseal_key_info_get_key_id (key)))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (row_expanded_cb), self, 0);
  return row;
}

/* Loading ****************************************************************/

static void
show_failure (PhotosealSentPage *self,
              const char        *message)
{
  g_autofree char *when = photoseal_date_format_time (self->loaded);
  g_autofree char *text = g_strdup_printf (_("Could not refresh: %s. The list is as it was "
                                             "at %s."), message, when);

  gtk_label_set_text (self->status_label, text);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
}

static void
show_loaded (PhotosealSentPage *self)
{
  g_autofree char *when = photoseal_date_format_time (self->loaded);
  g_autofree char *text = g_strdup_printf (_("Updated %s"), when);

  gtk_label_set_text (self->status_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
}

static void
append_time (GString   *text,
             GDateTime *time)
{
  g_string_append_printf (text, "%" G_GINT64_FORMAT "|", time ? g_date_time_to_unix (time) : -1);
}

/* Everything a row shows of each key. A refresh that finds the same keeps
 * the rows, so an open menu or a row being read does not vanish each time
 * the window regains focus. */
static char *
describe_rows (PhotosealSentPage *self,
               GListModel        *keys)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(PhotosealKeyInfo) key = g_list_model_get_item (keys, i);
      const PhotosealLabel *label = label_for (self, key);
      g_autofree char *patient = photoseal_sent_row_describe_patient (label);
      g_autofree char *file = photoseal_sent_row_describe_file (key, label);
      g_autofree char *recipients = photoseal_sent_row_describe_recipients (key);

      g_string_append_printf (text, "%s|%s|%s|%s|%s|%" G_GINT64_FORMAT "|",
                              photoseal_key_info_get_key_id (key),
                              photoseal_key_info_get_status (key), patient, file, recipients,
                              photoseal_key_info_get_releases (key));
      append_time (text, photoseal_key_info_get_expires (key));
      append_time (text, photoseal_key_info_get_revoked (key));
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

/* The empty list's words, after a failed first load said otherwise. */
static void
show_nothing_sealed (PhotosealSentPage *self)
{
  adw_status_page_set_title (self->empty_status, _("Nothing Sealed Yet"));
  adw_status_page_set_description (self->empty_status,
                                   _("Files you seal appear here, with who opened them and "
                                     "when."));
}

static void
keys_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PhotosealSentPage) self = user_data;
  g_autoptr(GListModel) keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  g_assert (PHOTOSEAL_IS_SENT_PAGE (self));

  keys = photoseal_keyserver_client_list_keys_finish (PHOTOSEAL_KEYSERVER_CLIENT (object), result,
                                                      &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (keys == NULL && self->keys != NULL)
    {
      show_failure (self, error->message);
      return;
    }
  if (keys == NULL)
    {
      /* A status page's description is markup: the server's text is escaped. */
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_title (self->empty_status, _("Could Not Load Sent Files"));
      adw_status_page_set_description (self->empty_status, escaped);
      gtk_stack_set_visible_child_name (self->state_stack, "empty");
      return;
    }

  g_clear_pointer (&self->loaded, g_date_time_unref);
  self->loaded = g_date_time_new_now_local ();
  show_loaded (self);
  show_nothing_sealed (self);
  shown = describe_rows (self, keys);
  if (g_strcmp0 (shown, self->shown) == 0)
    return;
  g_free (self->shown);
  self->shown = g_steal_pointer (&shown);
  g_set_object (&self->keys, keys);
  gtk_list_box_bind_model (self->keys_list, self->keys, create_key_row, self, NULL);
  gtk_stack_set_visible_child_name (self->state_stack,
                                    g_list_model_get_n_items (keys) ? "list" : "empty");
}

static void
open_labels_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  PhotosealLabelStore *labels = photoseal_label_store_open_default (cancellable, &error);

  /* Without labels the list is still useful: rows say "Unknown patient". */
  if (labels == NULL)
    g_debug ("The labels of sealed files are not shown: %s", error->message);
  g_task_return_pointer (task, labels, g_object_unref);
}

static void
labels_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  PhotosealSentPage *self = PHOTOSEAL_SENT_PAGE (object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  g_assert (PHOTOSEAL_IS_SENT_PAGE (self));

  if (g_cancellable_is_cancelled (cancellable))
    return;
  g_clear_object (&self->labels);
  self->labels = g_task_propagate_pointer (G_TASK (result), NULL);
  if (photoseal_user_get_client (self->user) == NULL)
    return; /* signed out meanwhile */
  photoseal_keyserver_client_list_keys_async (photoseal_user_get_client (self->user),
                                              cancellable, keys_cb, g_object_ref (self));
}

/* Fetches the labels and the list again: when the page is shown, the
 * window regains focus, after a seal or a change, or on Refresh. */
void
photoseal_sent_page_reload (PhotosealSentPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PHOTOSEAL_IS_SENT_PAGE (self));

  if (self->user == NULL || !photoseal_user_get_signed_in (self->user))
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->keys == NULL)
    gtk_stack_set_visible_child_name (self->state_stack, "loading");
  task = g_task_new (self, self->cancellable, labels_cb, NULL);
  g_task_set_source_tag (task, photoseal_sent_page_reload);
  g_task_run_in_thread (task, open_labels_thread);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  photoseal_sent_page_reload (PHOTOSEAL_SENT_PAGE (widget));
}

/* Focus: another program (or psf) may have sealed or changed something. */
static void
window_active_cb (PhotosealSentPage *self)
{
  g_assert (PHOTOSEAL_IS_SENT_PAGE (self));

  if (gtk_window_is_active (self->window) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    photoseal_sent_page_reload (self);
}

static void
photoseal_sent_page_root (GtkWidget *widget)
{
  PhotosealSentPage *self = PHOTOSEAL_SENT_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (photoseal_sent_page_parent_class)->root (widget);
  root = gtk_widget_get_root (widget);
  if (!GTK_IS_WINDOW (root))
    return;
  self->window = GTK_WINDOW (root);
  g_signal_connect_object (root, "notify::is-active", G_CALLBACK (window_active_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
photoseal_sent_page_unroot (GtkWidget *widget)
{
  PhotosealSentPage *self = PHOTOSEAL_SENT_PAGE (widget);

  if (self->window != NULL)
    g_signal_handlers_disconnect_by_func (self->window, window_active_cb, self);
  self->window = NULL;
  GTK_WIDGET_CLASS (photoseal_sent_page_parent_class)->unroot (widget);
}

/* Managing ***************************************************************/

static PhotosealKeyInfo *
find_key (PhotosealSentPage *self,
          GVariant          *key_id)
{
  const char *wanted = g_variant_get_string (key_id, NULL);

  for (guint i = 0; self->keys && i < g_list_model_get_n_items (self->keys); i++)
    {
      g_autoptr(PhotosealKeyInfo) key = g_list_model_get_item (self->keys, i);

      if (g_strcmp0 (photoseal_key_info_get_key_id (key), wanted) == 0)
        return g_steal_pointer (&key);
    }
  return NULL;
}

/* Names the file as its row does, so a question cannot be about the wrong one. */
static char *
describe (PhotosealSentPage *self,
          PhotosealKeyInfo  *key)
{
  const PhotosealLabel *label = label_for (self, key);
  g_autofree char *patient = photoseal_sent_row_describe_patient (label);
  g_autofree char *file = photoseal_sent_row_describe_file (key, label);
  g_autofree char *recipients = photoseal_sent_row_describe_recipients (key);

  return g_strdup_printf (_("%s\n%s\nFor %s"), patient, file, recipients);
}

static void
report_change (PhotosealSentPage *self,
               GError            *error,
               const char        *done)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    message = g_strdup_printf (_("Not changed: %s"), error->message);
  photoseal_toast_show (GTK_WIDGET (self), message ? message : done);
  photoseal_sent_page_reload (self);
}

static void
revoked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PhotosealSentPage) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_SENT_PAGE (self));

  photoseal_keyserver_client_revoke_key_finish (PHOTOSEAL_KEYSERVER_CLIENT (object), result,
                                                &error);
  report_change (self, error, _("Revoked: no copy of that file can be opened now"));
}

static void
code_removed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PhotosealSentPage) self = user_data;
  g_autoptr(PhotosealKeyInfo) key = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_SENT_PAGE (self));

  key = photoseal_keyserver_client_update_key_finish (PHOTOSEAL_KEYSERVER_CLIENT (object), result,
                                                      &error);
  report_change (self, error, _("Access code removed: only the recipients listed can open it"));
}

static void
answer_cb (GtkWidget         *dialog,
           const char        *response,
           PhotosealSentPage *self)
{
  g_autoptr(PhotosealKeyInfo) key = NULL;
  PhotosealKeyserverClient *client;

  g_assert (PHOTOSEAL_IS_SENT_PAGE (self));

  key = g_steal_pointer (&self->asking);
  if (key == NULL || self->user == NULL)
    return;
  client = photoseal_user_get_client (self->user);
  if (g_strcmp0 (response, "revoke") == 0)
    photoseal_keyserver_client_revoke_key_async (client, photoseal_key_info_get_key_id (key),
                                                 self->changes, revoked_cb,
                                                 g_object_ref (self));
  else if (g_strcmp0 (response, "remove") == 0)
    photoseal_keyserver_client_update_key_async (client, photoseal_key_info_get_key_id (key),
                                                 PHOTOSEAL_KEY_UPDATE_REMOVE_ACCESS_CODE, NULL,
                                                 NULL, self->changes, code_removed_cb,
                                                 g_object_ref (self));
}

/* The dialogs are modal: one question at a time. */
static void
ask (PhotosealSentPage *self,
     PhotosealKeyInfo  *key,
     const char        *heading,
     const char        *consequence,
     const char        *response,
     const char        *answer)
{
  g_autofree char *file = describe (self, key);
  g_autofree char *body = g_strdup_printf ("%s\n\n%s", file, consequence);
  GtkWidget *dialog = photoseal_alert_new (heading, body, _("_Cancel"), response, answer);

  g_set_object (&self->asking, key);
  g_signal_connect_object (dialog, "response", G_CALLBACK (answer_cb), self, 0);
  photoseal_alert_present (dialog, GTK_WIDGET (self));
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhotosealSentPage *self = PHOTOSEAL_SENT_PAGE (widget);
  g_autoptr(PhotosealKeyInfo) key = find_key (self, parameter);

  if (key != NULL)
    ask (self, key, _("Revoke This File?"),
         _("Nobody will be able to open any copy of it again, including recipients who have "
           "not opened it yet. This cannot be undone."), "revoke", _("_Revoke"));
}

static void
remove_code_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PhotosealSentPage *self = PHOTOSEAL_SENT_PAGE (widget);
  g_autoptr(PhotosealKeyInfo) key = find_key (self, parameter);

  if (key != NULL)
    ask (self, key, _("Remove the Access Code?"),
         _("The access code stops working at once. Only the recipients listed can open the "
           "file then, with their own accounts."), "remove", _("_Remove Code"));
}

static void
manage_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhotosealSentPage *self = PHOTOSEAL_SENT_PAGE (widget);
  g_autoptr(PhotosealKeyInfo) key = find_key (self, parameter);
  g_autofree char *description = NULL;
  PhotosealManageKeyAction action;
  GtkWidget *dialog;

  if (key == NULL || self->user == NULL)
    return;
  if (g_str_equal (action_name, "sent.recipients"))
    action = PHOTOSEAL_MANAGE_KEY_RECIPIENTS;
  else if (g_str_equal (action_name, "sent.expiry"))
    action = PHOTOSEAL_MANAGE_KEY_EXPIRY;
  else
    action = PHOTOSEAL_MANAGE_KEY_NEW_CODE;
  description = describe (self, key);
  dialog = photoseal_manage_key_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                            photoseal_user_get_client (self->user), key,
                                            description, action);
  g_signal_connect_object (dialog, "changed", G_CALLBACK (photoseal_sent_page_reload), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The class **************************************************************/

static void
photoseal_sent_page_dispose (GObject *object)
{
  PhotosealSentPage *self = (PhotosealSentPage *)object;

  /* No gtk_widget_dispose_template (): AdwBin unparents its child, the
   * template's root, itself; disposing the template too would do it twice. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->changes);
  g_clear_object (&self->changes);
  g_clear_object (&self->user);
  g_clear_object (&self->keys);
  g_clear_object (&self->labels);
  g_clear_object (&self->asking);
  g_clear_pointer (&self->loaded, g_date_time_unref);
  g_clear_pointer (&self->shown, g_free);
  g_clear_pointer (&self->expanded, g_hash_table_unref);

  G_OBJECT_CLASS (photoseal_sent_page_parent_class)->dispose (object);
}

static void
photoseal_sent_page_class_init (PhotosealSentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = photoseal_sent_page_dispose;
  widget_class->root = photoseal_sent_page_root;
  widget_class->unroot = photoseal_sent_page_unroot;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/photoseal/Photoseal/photoseal-sent-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealSentPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSentPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSentPage, keys_list);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSentPage, status_label);

  gtk_widget_class_install_action (widget_class, "sent.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "sent.revoke", "s", revoke_action);
  gtk_widget_class_install_action (widget_class, "sent.remove-code", "s", remove_code_action);
  gtk_widget_class_install_action (widget_class, "sent.recipients", "s", manage_action);
  gtk_widget_class_install_action (widget_class, "sent.expiry", "s", manage_action);
  gtk_widget_class_install_action (widget_class, "sent.new-code", "s", manage_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "sent.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "sent.reload",
                                       NULL);
}

static void
photoseal_sent_page_init (PhotosealSentPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->changes = g_cancellable_new ();
  self->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Signed out, or in as someone else: nothing of the last account's files
 * stays on the page, not even for a moment on a shared ward computer. */
static void
account_changed_cb (PhotosealSentPage *self)
{
  g_assert (PHOTOSEAL_IS_SENT_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_list_box_bind_model (self->keys_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->keys);
  g_clear_object (&self->labels);
  g_clear_object (&self->asking);
  g_clear_pointer (&self->shown, g_free);
  g_clear_pointer (&self->loaded, g_date_time_unref);
  g_hash_table_remove_all (self->expanded);
  gtk_label_set_text (self->status_label, "");
  gtk_stack_set_visible_child_name (self->state_stack, "loading");
  photoseal_sent_page_reload (self);
}

void
photoseal_sent_page_set_user (PhotosealSentPage *self,
                              PhotosealUser     *user)
{
  g_return_if_fail (PHOTOSEAL_IS_SENT_PAGE (self));

  if (self->user != NULL)
    g_signal_handlers_disconnect_by_func (self->user, account_changed_cb, self);
  g_set_object (&self->user, user);
  if (user == NULL)
    return;
  g_signal_connect_object (user, "notify::signed-in", G_CALLBACK (account_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (user, "notify::origin", G_CALLBACK (account_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (user, "notify::email", G_CALLBACK (account_changed_cb), self,
                           G_CONNECT_SWAPPED);
}
