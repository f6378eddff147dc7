/* photoseal-sent-page.c: the files this account sealed, and who opened them
 *
 * One expander row per key, from GET /v1/keys; its audit trail is fetched
 * when the row is first expanded. Revoking asks first: it cannot be undone,
 * and every copy of the file becomes unreadable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sent-page"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-alert.h"
#include "photoseal-sent-page.h"

struct _PhotosealSentPage
{
  AdwBin parent_instance;

  PhotosealUser *user;
  GCancellable *cancellable;

  GtkStack *state_stack;
  AdwStatusPage *empty_status;
  GtkListBox *keys_list;
};

G_DEFINE_FINAL_TYPE (PhotosealSentPage, photoseal_sent_page, ADW_TYPE_BIN)

static void
toast (PhotosealSentPage *self,
       const char        *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

/* "2026-11-29T03:00:00Z" as a local date and time, for people. */
static char *
format_time (const char *iso)
{
  g_autoptr(GDateTime) time = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = time ? g_date_time_to_local (time) : NULL;

  return local ? g_date_time_format (local, "%x %X") : g_strdup (iso ? iso : "");
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
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

static void
events_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AdwExpanderRow) row = user_data;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *events;

  /* A bare array, oldest first. */
  reply = photoseal_keyserver_client_request_finish (PHOTOSEAL_KEYSERVER_CLIENT (object), result,
                                                     &error);
  if (reply == NULL || !JSON_NODE_HOLDS_ARRAY (reply) || !(events = json_node_get_array (reply)))
    {
      GtkWidget *failed = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (failed),
                                     _("The audit trail could not be loaded"));
      adw_expander_row_add_row (row, failed);
      return;
    }
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      GtkWidget *event_row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (event_row), FALSE);
      g_autofree char *when = format_time (member_string (event, "at"));
      g_autofree char *title = g_strdup_printf ("%s — %s",
                                                describe_action (member_string (event, "action")),
                                                member_string (event, "actor") ?: "");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (event_row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (event_row), when);
      adw_expander_row_add_row (row, event_row);
    }
}

static void
expanded_cb (AdwExpanderRow *row,
             GParamSpec     *pspec,
             PhotosealSentPage *self)
{
  g_autofree char *path = NULL;
  const char *key_id = g_object_get_data (G_OBJECT (row), "key-id");

  if (!adw_expander_row_get_expanded (row) || g_object_get_data (G_OBJECT (row), "loaded"))
    return;
  g_object_set_data (G_OBJECT (row), "loaded", GINT_TO_POINTER (TRUE));
  path = g_strdup_printf ("/v1/keys/%s/events", key_id);
  photoseal_keyserver_client_request_async (photoseal_user_get_client (self->user), "GET", path,
                                            NULL, self->cancellable, events_cb, g_object_ref (row));
}

static void
revoked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PhotosealSentPage) self = user_data;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = photoseal_keyserver_client_request_finish (PHOTOSEAL_KEYSERVER_CLIENT (object), result,
                                                     &error);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not revoke: %s"), error->message);
      toast (self, message);
      return;
    }
  toast (self, _("Revoked: no copy of that file can be opened now"));
  photoseal_sent_page_reload (self);
}

static void
revoke_response_cb (GtkWidget         *dialog,
                    const char        *response,
                    PhotosealSentPage *self)
{
  g_autofree char *path = NULL;

  if (g_strcmp0 (response, "revoke") != 0)
    return;
  path = g_strdup_printf ("/v1/keys/%s", (const char *) g_object_get_data (G_OBJECT (dialog),
                                                                            "key-id"));
  photoseal_keyserver_client_request_async (photoseal_user_get_client (self->user), "DELETE", path,
                                            NULL, self->cancellable, revoked_cb,
                                            g_object_ref (self));
}

static void
revoke_clicked_cb (GtkButton         *button,
                   PhotosealSentPage *self)
{
  GtkWidget *dialog;

  dialog = photoseal_alert_new (_("Revoke This File?"),
                                _("Nobody will be able to open any copy of it again, including "
                                  "recipients who have not opened it yet. This cannot be "
                                  "undone."),
                                _("_Cancel"), "revoke", _("_Revoke"));
  g_object_set_data_full (G_OBJECT (dialog), "key-id",
                          g_strdup (g_object_get_data (G_OBJECT (button), "key-id")), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (revoke_response_cb), self, 0);
  photoseal_alert_present (dialog, GTK_WIDGET (self));
}

static GtkWidget *
key_row_new (PhotosealSentPage *self,
             JsonObject        *key)
{
  GtkWidget *row = adw_expander_row_new ();
  JsonArray *recipients = json_object_get_array_member (key, "recipients");
  const char *status = member_string (key, "status");
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  g_autofree char *title = NULL;
  g_autofree char *created = format_time (member_string (key, "created"));
  g_autofree char *subtitle = NULL;
  const char *state;
  gint64 releases = json_object_get_int_member_with_default (key, "releases", 0);

  for (guint i = 0; recipients && i < json_array_get_length (recipients); i++)
    g_strv_builder_add (names, json_array_get_string_element (recipients, i));
  if (json_object_get_boolean_member_with_default (key, "access_code", FALSE))
    g_strv_builder_add (names, _("access code"));
  list = g_strv_builder_end (names);
  title = g_strjoinv (", ", list);

  if (g_strcmp0 (status, "revoked") == 0)
    state = _("revoked");
  else if (g_strcmp0 (status, "expired") == 0)
    state = _("expired");
  else
    state = _("active");
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sealed %s · %s · opened %d time",
                                           "Sealed %s · %s · opened %d times", releases),
                              created, state, (int) releases);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  g_object_set_data_full (G_OBJECT (row), "key-id", g_strdup (member_string (key, "key_id")),
                          g_free);
  g_signal_connect_object (row, "notify::expanded", G_CALLBACK (expanded_cb), self, 0);

  if (g_strcmp0 (status, "revoked") != 0)
    {
      GtkWidget *revoke = gtk_button_new_with_mnemonic (_("_Revoke…"));

      gtk_widget_set_valign (revoke, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (revoke, "destructive-action");
      g_object_set_data_full (G_OBJECT (revoke), "key-id",
                              g_strdup (member_string (key, "key_id")), g_free);
      g_signal_connect_object (revoke, "clicked", G_CALLBACK (revoke_clicked_cb), self, 0);
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
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *keys = NULL;
  GtkWidget *child;

  reply = photoseal_keyserver_client_request_finish (PHOTOSEAL_KEYSERVER_CLIENT (object), result,
                                                     &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply != NULL && JSON_NODE_HOLDS_OBJECT (reply))
    keys = json_object_get_array_member (json_node_get_object (reply), "keys");
  if (keys == NULL)
    {
      adw_status_page_set_title (self->empty_status, _("Could Not Load Sent Files"));
      g_autofree char *escaped = error ? g_markup_escape_text (error->message, -1) : NULL;

      adw_status_page_set_description (self->empty_status, escaped);
      gtk_stack_set_visible_child_name (self->state_stack, "empty");
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->keys_list))))
    gtk_list_box_remove (self->keys_list, child);
  for (guint i = 0; i < json_array_get_length (keys); i++)
    gtk_list_box_append (self->keys_list, key_row_new (self, json_array_get_object_element (keys, i)));
  gtk_stack_set_visible_child_name (self->state_stack, json_array_get_length (keys) ? "list"
                                                                                    : "empty");
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
  if (gtk_widget_get_first_child (GTK_WIDGET (self->keys_list)) == NULL)
    gtk_stack_set_visible_child_name (self->state_stack, "loading");
  photoseal_keyserver_client_request_async (photoseal_user_get_client (self->user), "GET",
                                            "/v1/keys", NULL, self->cancellable, keys_cb,
                                            g_object_ref (self));
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
