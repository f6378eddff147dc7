/* photoseal-recipient-editor.c: the recipients as they are typed, checked
 * with the key server
 *
 * Watches the compose page's recipients field (#PhotosealRecipientEditor:entry):
 * a moment after typing stops, the addresses are parsed by the library's
 * one parser and looked up (POST /v1/recipients/lookup), and each becomes
 * a row with the account's name, or what happens to an address without
 * one. Before sealing, photoseal_recipient_editor_confirm() asks about
 * every address without an account, and offers the earlier recipient (or
 * known account) a typo'd address was probably meant to be
 * (photoseal_address_suggest()). Earlier recipients are the GSettings key
 * recent-recipients: the addresses Seal was last pressed for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-recipient-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-alert.h"
#include "photoseal-recipient-editor.h"

/* Short, so that the rows are there before a quick click on Seal: they
 * move what is below them. */
#define LOOKUP_DELAY_MS 150
#define MAX_RECENT 50

struct _PhotosealRecipientEditor
{
  AdwBin parent_instance;

  GtkEditable *entry;
  PhotosealUser *user;
  GSettings *settings;
  GCancellable *cancellable;
  char *looking_up;             /* the text the lookup under way is for */
  guint lookup_source;
  /* The last answer, and the text it answers for. */
  GListModel *lookup;
  char *looked_up;
  /* Seal goes ahead once for this text, after the person said so. */
  char *confirmed;
  gboolean confirm_when_looked_up;
  char *typo;
  char *suggestion;

  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (PhotosealRecipientEditor, photoseal_recipient_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ENTRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
entry_text (PhotosealRecipientEditor *self)
{
  return self->entry ? gtk_editable_get_text (self->entry) : "";
}

static char *
describe_state (PhotosealRecipientInfo *info)
{
  switch (photoseal_recipient_info_get_state (info))
    {
    case PHOTOSEAL_RECIPIENT_ACCOUNT:
      return g_strdup (photoseal_recipient_info_get_email (info));
    case PHOTOSEAL_RECIPIENT_INVITABLE:
      return g_strdup (_("No account: they will be invited by email"));
    case PHOTOSEAL_RECIPIENT_NO_ACCOUNT:
      return g_strdup (_("No account: use an access code"));
    case PHOTOSEAL_RECIPIENT_INVALID:
      return g_strdup (photoseal_recipient_info_get_message (info));
    default:
      return NULL;
    }
}

static gboolean
has_no_account (PhotosealRecipientInfo *info)
{
  PhotosealRecipientState state = photoseal_recipient_info_get_state (info);

  return state == PHOTOSEAL_RECIPIENT_INVITABLE || state == PHOTOSEAL_RECIPIENT_NO_ACCOUNT;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  PhotosealRecipientInfo *info = item;
  GtkWidget *row = adw_action_row_new ();
  const char *name = photoseal_recipient_info_get_name (info);
  g_autofree char *subtitle = describe_state (info);

  /* Names and messages come from the server: text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 name ? name : photoseal_recipient_info_get_email (info));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : "");
  if (has_no_account (info) || photoseal_recipient_info_get_state (info)
                               == PHOTOSEAL_RECIPIENT_INVALID)
    gtk_widget_add_css_class (row, "warning");
  return row;
}

static void
show_lookup (PhotosealRecipientEditor *self,
             GListModel               *lookup,
             const char               *text)
{
  g_set_object (&self->lookup, lookup);
  g_free (self->looked_up);
  self->looked_up = g_strdup (text);
  gtk_list_box_bind_model (self->list, lookup, lookup ? create_row : NULL, self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->list),
                          lookup != NULL && g_list_model_get_n_items (lookup) > 0);
}

static void ask (PhotosealRecipientEditor *self);

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PhotosealRecipientEditor) self = user_data;
  g_autoptr(GListModel) lookup = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_RECIPIENT_EDITOR (self));

  lookup = photoseal_keyserver_client_lookup_recipients_finish (PHOTOSEAL_KEYSERVER_CLIENT (object),
                                                                result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  /* Without an answer (an old server, no network), sealing goes on as
   * before: the key server still refuses what it must. The answer is for
   * the text asked about, which the person may have changed since: then
   * photoseal_recipient_editor_confirm() looks up again. */
  show_lookup (self, lookup, self->looking_up);
  if (self->confirm_when_looked_up)
    {
      self->confirm_when_looked_up = FALSE;
      ask (self);
    }
}

static void
look_up (PhotosealRecipientEditor *self)
{
  PhotosealKeyserverClient *client = self->user ? photoseal_user_get_client (self->user) : NULL;
  g_auto(GStrv) emails = photoseal_parse_recipients (entry_text (self), NULL);

  g_clear_handle_id (&self->lookup_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (client == NULL || emails == NULL || emails[0] == NULL)
    {
      show_lookup (self, NULL, NULL);
      if (self->confirm_when_looked_up)
        {
          self->confirm_when_looked_up = FALSE;
          ask (self);
        }
      return;
    }
  self->cancellable = g_cancellable_new ();
  g_free (self->looking_up);
  self->looking_up = g_strdup (entry_text (self));
  photoseal_keyserver_client_lookup_recipients_async (client, (const char * const *) emails,
                                                      self->cancellable, looked_up_cb,
                                                      g_object_ref (self));
}

static gboolean
look_up_later_cb (gpointer user_data)
{
  PhotosealRecipientEditor *self = user_data;

  self->lookup_source = 0;
  look_up (self);
  return G_SOURCE_REMOVE;
}

static void
entry_changed_cb (PhotosealRecipientEditor *self)
{
  g_assert (PHOTOSEAL_IS_RECIPIENT_EDITOR (self));

  g_clear_handle_id (&self->lookup_source, g_source_remove);
  self->lookup_source = g_timeout_add (LOOKUP_DELAY_MS, look_up_later_cb, self);
}

/* Earlier recipients, then the accounts this lookup found. */
static GStrv
known_addresses (PhotosealRecipientEditor *self)
{
  g_autoptr(GStrvBuilder) known = g_strv_builder_new ();
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-recipients");

  g_strv_builder_addv (known, (const char **) recent);
  for (guint i = 0; self->lookup && i < g_list_model_get_n_items (self->lookup); i++)
    {
      g_autoptr(PhotosealRecipientInfo) info = g_list_model_get_item (self->lookup, i);

      if (photoseal_recipient_info_get_state (info) == PHOTOSEAL_RECIPIENT_ACCOUNT)
        g_strv_builder_add (known, photoseal_recipient_info_get_email (info));
    }
  return g_strv_builder_end (known);
}

static void
remember_recipients (PhotosealRecipientEditor *self)
{
  g_auto(GStrv) emails = photoseal_parse_recipients (entry_text (self), NULL);
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-recipients");
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; emails && emails[i] && n < MAX_RECENT; i++, n++)
    g_strv_builder_add (kept, emails[i]);
  for (guint i = 0; recent[i] && n < MAX_RECENT; i++)
    if (emails == NULL || !g_strv_contains ((const char * const *) emails, recent[i]))
      {
        g_strv_builder_add (kept, recent[i]);
        n++;
      }
  g_strfreev (recent);
  recent = g_strv_builder_end (kept);
  g_settings_set_strv (self->settings, "recent-recipients", (const char * const *) recent);
}

/* Replaces the typo'd address with the suggestion in the field. */
static void
use_suggestion (PhotosealRecipientEditor *self)
{
  g_auto(GStrv) emails = photoseal_parse_recipients (entry_text (self), NULL);
  g_autofree char *text = NULL;

  for (guint i = 0; emails && emails[i]; i++)
    if (g_strcmp0 (emails[i], self->typo) == 0)
      {
        g_free (emails[i]);
        emails[i] = g_strdup (self->suggestion);
      }
  text = g_strjoinv (", ", emails);
  gtk_editable_set_text (self->entry, text);
}

static void
response_cb (GtkWidget                *dialog,
             const char               *response,
             PhotosealRecipientEditor *self)
{
  g_assert (PHOTOSEAL_IS_RECIPIENT_EDITOR (self));

  if (g_strcmp0 (response, "use") == 0)
    use_suggestion (self);
  else if (g_strcmp0 (response, "seal") == 0)
    {
      g_free (self->confirmed);
      self->confirmed = g_strdup (entry_text (self));
      gtk_widget_activate_action (GTK_WIDGET (self), "compose.seal", NULL);
    }
}

/* One line per address without an account, with the likely meant one. */
static char *
describe_unknown (PhotosealRecipientEditor *self)
{
  g_auto(GStrv) known = known_addresses (self);
  GString *body = g_string_new (NULL);

  g_clear_pointer (&self->typo, g_free);
  g_clear_pointer (&self->suggestion, g_free);
  for (guint i = 0; i < g_list_model_get_n_items (self->lookup); i++)
    {
      g_autoptr(PhotosealRecipientInfo) info = g_list_model_get_item (self->lookup, i);
      const char *email = photoseal_recipient_info_get_email (info);
      g_autofree char *state = describe_state (info);
      g_autofree char *suggestion = NULL;

      if (!has_no_account (info))
        continue;
      g_string_append_printf (body, "%s%s: %s", body->len ? "\n" : "", email, state);
      if (!(suggestion = photoseal_address_suggest (email, (const char * const *) known)))
        continue;
      g_string_append (body, "\n");
      g_string_append_printf (body, _("Did you mean %s?"), suggestion);
      if (self->suggestion == NULL)
        {
          self->typo = g_strdup (email);
          self->suggestion = g_steal_pointer (&suggestion);
        }
    }
  return g_string_free (body, body->len == 0);
}

/* Asks about the addresses without an account, or seals when there are
 * none. */
static void
ask (PhotosealRecipientEditor *self)
{
  g_autofree char *body = self->lookup ? describe_unknown (self) : NULL;
  g_autofree char *use = NULL;
  GtkWidget *dialog;

  if (body == NULL)
    {
      g_free (self->confirmed);
      self->confirmed = g_strdup (entry_text (self));
      gtk_widget_activate_action (GTK_WIDGET (self), "compose.seal", NULL);
      return;
    }
  dialog = photoseal_alert_new (_("Unknown Addresses"), body,
                                _("_Check Addresses"), "seal", _("_Seal Anyway"));
  if (self->suggestion != NULL)
    {
      /* A response's label takes "_" as a mnemonic: john_smith@ would
       * show as johnsmith@, another address than the one put in. */
      g_auto(GStrv) parts = g_strsplit (self->suggestion, "_", -1);
      g_autofree char *shown = g_strjoinv ("__", parts);

      use = g_strdup_printf (_("Use %s"), shown);
      photoseal_alert_add_response (dialog, "use", use);
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (response_cb), self, 0);
  photoseal_alert_present (dialog, GTK_WIDGET (self));
}

/**
 * photoseal_recipient_editor_confirm:
 *
 * Call when Seal is pressed, after the form is valid. %TRUE: seal now.
 * %FALSE: the editor asks first (about addresses without an account) or
 * is still looking them up, and activates `compose.seal` again once the
 * person has said to go on.
 */
gboolean
photoseal_recipient_editor_confirm (PhotosealRecipientEditor *self)
{
  const char *text;

  g_return_val_if_fail (PHOTOSEAL_IS_RECIPIENT_EDITOR (self), TRUE);

  text = entry_text (self);
  if (self->confirmed != NULL && g_str_equal (self->confirmed, text))
    {
      g_clear_pointer (&self->confirmed, g_free);
      remember_recipients (self);
      return TRUE;
    }
  if (self->user == NULL || photoseal_user_get_client (self->user) == NULL)
    return TRUE;
  if (g_strcmp0 (self->looked_up, text) != 0)
    {
      self->confirm_when_looked_up = TRUE;
      look_up (self);
      return FALSE;
    }
  ask (self);
  return FALSE;
}

void
photoseal_recipient_editor_set_user (PhotosealRecipientEditor *self,
                                     PhotosealUser            *user)
{
  g_return_if_fail (PHOTOSEAL_IS_RECIPIENT_EDITOR (self));

  g_set_object (&self->user, user);
}

/**
 * photoseal_recipient_editor_get_looking_up:
 *
 * Returns: whether a lookup is waiting for typing to pause or for the key
 *   server's answer, so the rows may still change (and move what is below)
 */
gboolean
photoseal_recipient_editor_get_looking_up (PhotosealRecipientEditor *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_RECIPIENT_EDITOR (self), FALSE);

  return self->lookup_source != 0 || self->cancellable != NULL;
}

static void
photoseal_recipient_editor_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  PhotosealRecipientEditor *self = PHOTOSEAL_RECIPIENT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_set_object (&self->entry, g_value_get_object (value));
      if (self->entry != NULL)
        g_signal_connect_object (self->entry, "changed", G_CALLBACK (entry_changed_cb), self,
                                 G_CONNECT_SWAPPED);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_recipient_editor_dispose (GObject *object)
{
  PhotosealRecipientEditor *self = (PhotosealRecipientEditor *) object;

  g_clear_handle_id (&self->lookup_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->entry);
  g_clear_object (&self->user);
  g_clear_object (&self->settings);
  g_clear_object (&self->lookup);

  G_OBJECT_CLASS (photoseal_recipient_editor_parent_class)->dispose (object);
}

static void
photoseal_recipient_editor_finalize (GObject *object)
{
  PhotosealRecipientEditor *self = (PhotosealRecipientEditor *) object;

  g_free (self->looking_up);
  g_free (self->looked_up);
  g_free (self->confirmed);
  g_free (self->typo);
  g_free (self->suggestion);

  G_OBJECT_CLASS (photoseal_recipient_editor_parent_class)->finalize (object);
}

static void
photoseal_recipient_editor_class_init (PhotosealRecipientEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = photoseal_recipient_editor_set_property;
  object_class->dispose = photoseal_recipient_editor_dispose;
  object_class->finalize = photoseal_recipient_editor_finalize;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, "The field the recipients are typed in",
                         GTK_TYPE_EDITABLE,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/photoseal/Photoseal/photoseal-recipient-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealRecipientEditor, list);
}

static void
photoseal_recipient_editor_init (PhotosealRecipientEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
}
