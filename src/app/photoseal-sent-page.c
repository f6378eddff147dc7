/* photoseal-sent-page.c: the files this account sealed, and who opened them
 *
 * The library lists the keys as PhotosealKeyInfo objects in a GListModel,
 * which the list box binds, one expander row per key, as GNOME Calendar's
 * calendar list binds its calendars. A row fetches its audit trail the
 * first time it is expanded. Revoking asks first: it cannot be undone,
 * and every copy of the file becomes unreadable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sent-page"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-alert.h"
#include "photoseal-sent-page.h"
#include "photoseal-toast.h"

struct _PhotosealSentPage
{
  AdwBin parent_instance;

  PhotosealUser *user;
  GCancellable *cancellable;
  GListModel *keys;
  PhotosealKeyInfo *revoking;

  GtkStack *state_stack;
  AdwStatusPage *empty_status;
  GtkListBox *keys_list;
};

G_DEFINE_FINAL_TYPE (PhotosealSentPage, photoseal_sent_page, ADW_TYPE_BIN)

/* A local date and time, for people. */
static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = time ? g_date_time_to_local (time) : NULL;

  return local ? g_date_time_format (local, "%x %X") : g_strdup ("");
}

static const char *
describe_action (const char *action)
{
  if (g_strcmp0 (action, "release") == 0)
    return _("Opened");
  if (g_strcmp0 (action, "create") == 0)
    return _("Sealed");
  if (g_strcmp0 (action, "revoke") == 0)
    return _("Revoked");
  if (g_strcmp0 (action, "update") == 0)
    return _("Changed");
  if (g_strcmp0 (action, "deny") == 0)
    return _("Refused");
  return action;
}

static GtkWidget *
event_row_new (PhotosealAuditEvent *event)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = format_time (photoseal_audit_event_get_at (event));
  const char *action = describe_action (photoseal_audit_event_get_action (event));
  g_autofree char *title = g_strdup_printf ("%s — %s", action,
                                            photoseal_audit_event_get_actor (event) ?: "");

  /* The actor is the server's text: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
  return row;
}

static void
events_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AdwExpanderRow) row = user_data;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (ADW_IS_EXPANDER_ROW (row));

  events = photoseal_keyserver_client_list_events_finish (PHOTOSEAL_KEYSERVER_CLIENT (object),
                                                          result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (events == NULL)
    {
      GtkWidget *failed = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (failed),
                                     _("The audit trail could not be loaded"));
      adw_expander_row_add_row (row, failed);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(PhotosealAuditEvent) event = g_list_model_get_item (events, i);

      adw_expander_row_add_row (row, event_row_new (event));
    }
}

/* The first expansion loads the audit trail; the handler then goes, so
 * the row needs no mark of having loaded it. */
static void
expanded_cb (AdwExpanderRow   *row,
             GParamSpec       *pspec,
             PhotosealKeyInfo *key)
{
  g_autoptr(PhotosealKeyInfo) held = NULL;
  PhotosealSentPage *self;

  g_assert (ADW_IS_EXPANDER_ROW (row));
  g_assert (PHOTOSEAL_IS_KEY_INFO (key));

  self = PHOTOSEAL_SENT_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (row), PHOTOSEAL_TYPE_SENT_PAGE));
  if (!adw_expander_row_get_expanded (row) || self == NULL)
    return;
  /* Disconnecting drops the handler's reference to @key. */
  held = g_object_ref (key);
  g_signal_handlers_disconnect_by_func (row, expanded_cb, key);
  photoseal_keyserver_client_list_events_async (photoseal_user_get_client (self->user),
                                                photoseal_key_info_get_key_id (held),
                                                self->cancellable, events_cb, g_object_ref (row));
}

static void
revoked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PhotosealSentPage) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_SENT_PAGE (self));

  if (!photoseal_keyserver_client_revoke_key_finish (PHOTOSEAL_KEYSERVER_CLIENT (object), result,
                                                     &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not revoke: %s"), error->message);
      photoseal_toast_show (GTK_WIDGET (self), message);
      return;
    }
  photoseal_toast_show (GTK_WIDGET (self), _("Revoked: no copy of that file can be opened now"));
  photoseal_sent_page_reload (self);
}

static void
revoke_response_cb (GtkWidget         *dialog,
                    const char        *response,
                    PhotosealSentPage *self)
{
  g_autoptr(PhotosealKeyInfo) key = NULL;

  g_assert (PHOTOSEAL_IS_SENT_PAGE (self));

  key = g_steal_pointer (&self->revoking);
  if (g_strcmp0 (response, "revoke") != 0 || key == NULL)
    return;
  photoseal_keyserver_client_revoke_key_async (photoseal_user_get_client (self->user),
                                               photoseal_key_info_get_key_id (key),
                                               self->cancellable, revoked_cb, g_object_ref (self));
}

static void
revoke_clicked_cb (GtkButton        *button,
                   PhotosealKeyInfo *key)
{
  PhotosealSentPage *self;
  GtkWidget *dialog;

  g_assert (PHOTOSEAL_IS_KEY_INFO (key));

  self = PHOTOSEAL_SENT_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                       PHOTOSEAL_TYPE_SENT_PAGE));
  g_assert (PHOTOSEAL_IS_SENT_PAGE (self));

  /* The dialog is modal: one key at a time is being revoked. */
  g_set_object (&self->revoking, key);
  dialog = photoseal_alert_new (_("Revoke This File?"),
                                _("Nobody will be able to open any copy of it again, including "
                                  "recipients who have not opened it yet. This cannot be "
                                  "undone."),
                                _("_Cancel"), "revoke", _("_Revoke"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (revoke_response_cb), self, 0);
  photoseal_alert_present (dialog, GTK_WIDGET (self));
}

static char *
describe_recipients (PhotosealKeyInfo *key)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  g_strv_builder_addv (names, (const char **) photoseal_key_info_get_recipients (key));
  if (photoseal_key_info_get_has_access_code (key))
    g_strv_builder_add (names, _("access code"));
  list = g_strv_builder_end (names);
  return g_strjoinv (", ", list);
}

static char *
describe_state (PhotosealKeyInfo *key)
{
  const char *status = photoseal_key_info_get_status (key);
  g_autofree char *created = format_time (photoseal_key_info_get_created (key));
  gint64 releases = photoseal_key_info_get_releases (key);
  const char *state;

  if (g_strcmp0 (status, "revoked") == 0)
    state = _("revoked");
  else if (g_strcmp0 (status, "expired") == 0)
    state = _("expired");
  else
    state = _("active");
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sealed %s · %s · opened %d time",
                                       "Sealed %s · %s · opened %d times", releases),
                          created, state, (int) releases);
}

static void
unref_data (gpointer  data,
            GClosure *closure)
{
  g_object_unref (data);
}

static GtkWidget *
create_key_row (gpointer item,
                gpointer user_data)
{
  PhotosealKeyInfo *key = item;
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *title = describe_recipients (key);
  g_autofree char *subtitle = describe_state (key);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  g_signal_connect_data (row, "notify::expanded", G_CALLBACK (expanded_cb), g_object_ref (key),
                         unref_data, 0);

  if (g_strcmp0 (photoseal_key_info_get_status (key), "revoked") != 0)
    {
      GtkWidget *revoke = gtk_button_new_with_mnemonic (_("_Revoke…"));

      gtk_widget_set_valign (revoke, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (revoke, "destructive-action");
      g_signal_connect_data (revoke, "clicked", G_CALLBACK (revoke_clicked_cb), g_object_ref (key),
                             unref_data, 0);
#if ADW_CHECK_VERSION (1, 4, 0)
      adw_expander_row_add_suffix (ADW_EXPANDER_ROW (row), revoke);
#else
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), revoke);
#endif
    }
  return row;
}

static void
keys_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PhotosealSentPage) self = user_data;
  g_autoptr(GListModel) keys = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_SENT_PAGE (self));

  keys = photoseal_keyserver_client_list_keys_finish (PHOTOSEAL_KEYSERVER_CLIENT (object), result,
                                                      &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (keys == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_title (self->empty_status, _("Could Not Load Sent Files"));
      adw_status_page_set_description (self->empty_status, escaped);
      gtk_stack_set_visible_child_name (self->state_stack, "empty");
      return;
    }

  g_set_object (&self->keys, keys);
  gtk_list_box_bind_model (self->keys_list, self->keys, create_key_row, NULL, NULL);
  gtk_stack_set_visible_child_name (self->state_stack,
                                    g_list_model_get_n_items (keys) ? "list" : "empty");
}

/* Fetches the list again, e.g. when the page is shown or after a seal. */
void
photoseal_sent_page_reload (PhotosealSentPage *self)
{
  g_return_if_fail (PHOTOSEAL_IS_SENT_PAGE (self));

  if (self->user == NULL || !photoseal_user_get_signed_in (self->user))
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->keys == NULL)
    gtk_stack_set_visible_child_name (self->state_stack, "loading");
  photoseal_keyserver_client_list_keys_async (photoseal_user_get_client (self->user),
                                              self->cancellable, keys_cb, g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  photoseal_sent_page_reload (PHOTOSEAL_SENT_PAGE (widget));
}

static void
photoseal_sent_page_dispose (GObject *object)
{
  PhotosealSentPage *self = (PhotosealSentPage *)object;

  /* No gtk_widget_dispose_template (): AdwBin unparents its child, the
   * template\'s root, itself; disposing the template too would do it twice. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->user);
  g_clear_object (&self->keys);
  g_clear_object (&self->revoking);

  G_OBJECT_CLASS (photoseal_sent_page_parent_class)->dispose (object);
}

static void
photoseal_sent_page_class_init (PhotosealSentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = photoseal_sent_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/photoseal/Photoseal/photoseal-sent-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealSentPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSentPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSentPage, keys_list);

  gtk_widget_class_install_action (widget_class, "sent.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "sent.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "sent.reload",
                                       NULL);
}

static void
photoseal_sent_page_init (PhotosealSentPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
photoseal_sent_page_set_user (PhotosealSentPage *self,
                              PhotosealUser     *user)
{
  g_return_if_fail (PHOTOSEAL_IS_SENT_PAGE (self));

  g_set_object (&self->user, user);
}
