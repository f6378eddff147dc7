/* photoseal-sent-row.c: one sealed file in the Sent list
 *
 * The key server knows the key (recipients, expiry, state, opens); this
 * computer's label store knows whose photos it protects and the file's
 * name. The row shows both, or says the patient is unknown when the file
 * was sealed elsewhere. Managing the file is in a menu, by key id, so the
 * page's actions find the key; the audit trail loads the first time the
 * row is expanded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sent-row"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-sent-row.h"

struct _PhotosealSentRow
{
  AdwExpanderRow parent_instance;

  PhotosealKeyserverClient *client;
  PhotosealKeyInfo *key;
  PhotosealLabel *label;
  GCancellable *cancellable;
  gboolean events_asked;
};

G_DEFINE_FINAL_TYPE (PhotosealSentRow, photoseal_sent_row, ADW_TYPE_EXPANDER_ROW)

/* Describing a file ******************************************************/

/**
 * photoseal_sent_row_describe_patient:
 * @label: (nullable): the file's label, if this computer kept one
 *
 * Returns: (transfer full): who the photos are of, for a person
 */
char *
photoseal_sent_row_describe_patient (const PhotosealLabel *label)
{
  const char *name, *identifier;

  if (label == NULL)
    return g_strdup (_("Unknown patient"));
  name = label->patient_name && *label->patient_name ? label->patient_name : NULL;
  identifier = label->patient_identifier && *label->patient_identifier
               ? label->patient_identifier : NULL;
  if (name && identifier)
    return g_strdup_printf ("%s · %s", name, identifier);
  if (name || identifier)
    return g_strdup (name ? name : identifier);
  if (label->file_name && *label->file_name)
    return g_strdup (label->file_name);
  return g_strdup (_("No patient details"));
}

/**
 * photoseal_sent_row_describe_recipients:
 *
 * Returns: (transfer full): "bob@example.org, carol@example.org and anyone
 *   with the access code"
 */
char *
photoseal_sent_row_describe_recipients (PhotosealKeyInfo *key)
{
  const char * const *names = photoseal_key_info_get_recipients (key);
  g_autofree char *joined = g_strjoinv (", ", (char **) names);
  gboolean code = photoseal_key_info_get_has_access_code (key);

  if (names[0] == NULL)
    return g_strdup (code ? _("anyone with the access code") : _("nobody"));
  if (code)
    return g_strdup_printf (_("%s and anyone with the access code"), joined);
  return g_steal_pointer (&joined);
}

/**
 * photoseal_sent_row_describe_file:
 * @label: (nullable): the file's label
 *
 * Returns: (transfer full): the file's name, photos and when it was sealed
 */
char *
photoseal_sent_row_describe_file (PhotosealKeyInfo     *key,
                                  const PhotosealLabel *label)
{
  GDateTime *created = photoseal_key_info_get_created (key);
  g_autofree char *when = created ? photoseal_date_format_time (created) : g_strdup ("");
  g_autofree char *photos = NULL;

  if (label == NULL)
    return g_strdup_printf (_("Sealed %s on another computer: no file name kept here"), when);
  photos = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo", "%u photos",
                                         label->n_photos), label->n_photos);
  return g_strdup_printf (_("%s · %s · sealed %s"),
                          label->file_name && *label->file_name ? label->file_name
                                                                : _("Unnamed file"),
                          photos, when);
}

static char *
describe_state (PhotosealKeyInfo *key)
{
  const char *status = photoseal_key_info_get_status (key);
  GDateTime *revoked = photoseal_key_info_get_revoked (key);
  GDateTime *expires = photoseal_key_info_get_expires (key);
  g_autofree char *revoked_at = revoked ? photoseal_date_format_time (revoked) : NULL;
  g_autofree char *expires_at = expires ? photoseal_date_format_time (expires) : NULL;

  if (g_strcmp0 (status, "revoked") == 0)
    return revoked_at ? g_strdup_printf (_("Revoked %s"), revoked_at) : g_strdup (_("Revoked"));
  if (g_strcmp0 (status, "expired") == 0)
    return expires_at ? g_strdup_printf (_("Expired %s"), expires_at) : g_strdup (_("Expired"));
  if (expires_at)
    return g_strdup_printf (_("Active until %s"), expires_at);
  return g_strdup (_("Active, never expires"));
}

static char *
describe_opens (PhotosealKeyInfo *key)
{
  gint64 opens = photoseal_key_info_get_releases (key);

  if (opens == 0)
    return g_strdup (_("not opened by a recipient yet"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "opened %d time by recipients",
                                       "opened %d times by recipients", opens), (int) opens);
}

/* The audit trail ********************************************************/

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
  GDateTime *at = photoseal_audit_event_get_at (event);
  g_autofree char *when = at ? photoseal_date_format_time (at) : g_strdup ("");
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
  g_autoptr(PhotosealSentRow) self = user_data;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_SENT_ROW (self));

  events = photoseal_keyserver_client_list_events_finish (PHOTOSEAL_KEYSERVER_CLIENT (object),
                                                          result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (events == NULL)
    {
      GtkWidget *failed = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (failed),
                                     _("The audit trail could not be loaded"));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), failed);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(PhotosealAuditEvent) event = g_list_model_get_item (events, i);

      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), event_row_new (event));
    }
}

static void
expanded_cb (PhotosealSentRow *self)
{
  g_assert (PHOTOSEAL_IS_SENT_ROW (self));

  if (!adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)) || self->events_asked)
    return;
  self->events_asked = TRUE;
  photoseal_keyserver_client_list_events_async (self->client,
                                                photoseal_key_info_get_key_id (self->key),
                                                self->cancellable, events_cb,
                                                g_object_ref (self));
}

/* The row ****************************************************************/

static void
append_item (GMenu      *menu,
             const char *label,
             const char *action,
             const char *key_id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target (item, action, "s", key_id);
  g_menu_append_item (menu, item);
}

static GMenuModel *
manage_menu_new (PhotosealKeyInfo *key)
{
  const char *key_id = photoseal_key_info_get_key_id (key);
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) manage = g_menu_new ();
  g_autoptr(GMenu) revoke = g_menu_new ();

  append_item (manage, _("Add or Remove _Recipients…"), "sent.recipients", key_id);
  append_item (manage, _("Change _Expiry…"), "sent.expiry", key_id);
  append_item (manage, _("New _Access Code…"), "sent.new-code", key_id);
  if (photoseal_key_info_get_has_access_code (key))
    append_item (manage, _("Re_move Access Code…"), "sent.remove-code", key_id);
  append_item (revoke, _("Re_voke…"), "sent.revoke", key_id);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (manage));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (revoke));
  return G_MENU_MODEL (menu);
}

static void
add_menu_button (PhotosealSentRow *self)
{
  g_autoptr(GMenuModel) menu = manage_menu_new (self->key);
  g_autofree char *patient = photoseal_sent_row_describe_patient (self->label);
  g_autofree char *name = g_strdup_printf (_("Manage %s"), patient);
  GtkWidget *button = gtk_menu_button_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), menu);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Manage"));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_name (button, "manage_button");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
#if ADW_CHECK_VERSION (1, 4, 0)
  adw_expander_row_add_suffix (ADW_EXPANDER_ROW (self), button);
#else
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), button);
#endif
}

static void
fill (PhotosealSentRow *self)
{
  g_autofree char *title = photoseal_sent_row_describe_patient (self->label);
  g_autofree char *file = photoseal_sent_row_describe_file (self->key, self->label);
  g_autofree char *recipients = photoseal_sent_row_describe_recipients (self->key);
  g_autofree char *state = describe_state (self->key);
  g_autofree char *opens = describe_opens (self->key);
  g_autofree char *subtitle = NULL;

  /* Translators: the lines under the patient's name in the Sent list: the
   * file, who may open it, and its state with how often it was opened. */
  subtitle = g_strdup_printf (_("%s\nFor %s\n%s · %s"), file, recipients, state, opens);
  /* Names and addresses are the label store's and the server's text. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
  if (self->label == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "unlabelled");
  if (g_strcmp0 (photoseal_key_info_get_status (self->key), "revoked") != 0)
    add_menu_button (self);
}

/**
 * photoseal_sent_row_new:
 * @label: (nullable): what this computer kept about the file
 */
GtkWidget *
photoseal_sent_row_new (PhotosealKeyserverClient *client,
                        PhotosealKeyInfo         *key,
                        const PhotosealLabel     *label)
{
  PhotosealSentRow *self;

  g_return_val_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (client), NULL);
  g_return_val_if_fail (PHOTOSEAL_IS_KEY_INFO (key), NULL);

  self = g_object_new (PHOTOSEAL_TYPE_SENT_ROW, NULL);
  self->client = g_object_ref (client);
  self->key = g_object_ref (key);
  self->label = label ? photoseal_label_copy (label) : NULL;
  fill (self);
  return GTK_WIDGET (self);
}

PhotosealKeyInfo *
photoseal_sent_row_get_key (PhotosealSentRow *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_SENT_ROW (self), NULL);

  return self->key;
}

static void
photoseal_sent_row_dispose (GObject *object)
{
  PhotosealSentRow *self = (PhotosealSentRow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->key);
  g_clear_pointer (&self->label, photoseal_label_free);

  G_OBJECT_CLASS (photoseal_sent_row_parent_class)->dispose (object);
}

static void
photoseal_sent_row_class_init (PhotosealSentRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = photoseal_sent_row_dispose;
}

static void
photoseal_sent_row_init (PhotosealSentRow *self)
{
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "notify::expanded", G_CALLBACK (expanded_cb), NULL);
}
