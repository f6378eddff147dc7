/* photoseal-compose-page.c: photos and details in, one sealed file out
 *
 * One state drives the page: form → progress → done (or back to the form
 * with a toast when sealing fails, with everything still filled in). The
 * sealed file is written to the app's cache folder, where the share
 * actions find it; it is useless without its key, so it may sit there.
 * This file holds the form and its rules; the actions and the drop target
 * are in photoseal-compose-page-actions.c and -dnd.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-compose-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "photoseal-compose-page-private.h"
#include "photoseal-photo-tile.h"
#include "photoseal-toast.h"

G_DEFINE_ENUM_TYPE (PhotosealComposeState, photoseal_compose_state,
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_COMPOSE_STATE_FORM, "form"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_COMPOSE_STATE_PROGRESS, "progress"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_COMPOSE_STATE_DONE, "done"))

G_DEFINE_FINAL_TYPE (PhotosealComposePage, photoseal_compose_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STATE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The stack's child for each state, in the order of PhotosealComposeState. */
static const char *state_pages[] = { "form", "progress", "done" };

/* The expiry choices, in the order of the combo row and the GSettings enum;
 * the last, "Until a Date", reads the date row instead. */
static const guint expiry_days[] = { 0, 1, 7, 30 };
#define EXPIRY_UNTIL_DATE G_N_ELEMENTS (expiry_days)

static const char *
entry_text (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return *text ? text : NULL;
}

static gboolean
no_patient (PhotosealComposePage *self)
{
  return gtk_check_button_get_active (self->no_patient_check);
}

/* What the form still lacks before it can be sealed, or %NULL. These are
 * the choices a person must make (nothing is assumed for them); photos
 * and recipients are checked when Seal is pressed. */
static char *
missing (PhotosealComposePage *self)
{
  g_autoptr(GError) error = NULL;
  PhotosealDateRow *date_rows[] = { self->patient_dob_row, self->expiry_date_row };

  if (photoseal_consent_group_get_method (self->consent_group) == NULL)
    return g_strdup (_("Choose how consent was given, or that it was not obtained, to seal."));
  if (!photoseal_validate_patient (entry_text (self->patient_name_row),
                                   entry_text (self->patient_id_row), no_patient (self), &error))
    return g_strdup (error->message);
  for (guint i = 0; i < G_N_ELEMENTS (date_rows); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (date_rows[i]))
        && gtk_widget_get_sensitive (GTK_WIDGET (date_rows[i]))
        && photoseal_date_row_get_error (date_rows[i]) != NULL)
      return g_strdup (photoseal_date_row_get_error (date_rows[i]));
  if (gtk_widget_get_visible (GTK_WIDGET (self->expiry_date_row))
      && photoseal_date_row_get_date (self->expiry_date_row) == NULL)
    return g_strdup (_("Write or pick the last day the file can be opened."));
  return NULL;
}

/* Seal is sensitive only on a complete form, and the hint above it says
 * what is missing: an insensitive button alone does not say why. */
static void
update_seal (PhotosealComposePage *self)
{
  g_autofree char *reason = missing (self);

  gtk_label_set_text (self->seal_hint, reason ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->seal_hint), reason != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compose.seal",
                                 self->state == PHOTOSEAL_COMPOSE_STATE_FORM && reason == NULL);
}

static void
form_changed_cb (PhotosealComposePage *self)
{
  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  update_seal (self);
}

static void
no_patient_toggled_cb (PhotosealComposePage *self)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->patient_name_row), GTK_WIDGET (self->patient_id_row),
                        GTK_WIDGET (self->patient_dob_row) };

  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_set_sensitive (rows[i], !no_patient (self));
  update_seal (self);
}

/* "Not needed (no identifiable patient)" means there is no patient to
 * name: it ticks "No patient details" and holds it. Choosing another
 * method gives the choice back, unticked again if this had ticked it. */
static void
consent_changed_cb (PhotosealComposePage *self)
{
  gboolean not_needed;

  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  not_needed = g_strcmp0 (photoseal_consent_group_get_method (self->consent_group),
                          "not_needed") == 0;
  if (not_needed && !no_patient (self))
    {
      self->no_patient_forced = TRUE;
      gtk_check_button_set_active (self->no_patient_check, TRUE);
    }
  else if (!not_needed && self->no_patient_forced)
    {
      self->no_patient_forced = FALSE;
      gtk_check_button_set_active (self->no_patient_check, FALSE);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->no_patient_check), !not_needed);
  update_seal (self);
}

/* A toast that belongs to the page as it is now: it goes away when the
 * page changes, so that a complaint about the form never floats over the
 * sealed file (toasts otherwise stay for seconds, on any page). */
void
_photoseal_compose_page_toast (PhotosealComposePage *self,
                               const char           *text)
{
  AdwToast *toast = photoseal_toast_show (GTK_WIDGET (self), text);

  if (toast != NULL && self->toasts != NULL)
    g_ptr_array_add (self->toasts, g_object_ref (toast));
}

static void
dismiss_toasts (PhotosealComposePage *self)
{
  for (guint i = 0; self->toasts != NULL && i < self->toasts->len; i++)
    adw_toast_dismiss (g_ptr_array_index (self->toasts, i));
  if (self->toasts != NULL)
    g_ptr_array_set_size (self->toasts, 0);
}

void
_photoseal_compose_page_set_state (PhotosealComposePage  *self,
                                   PhotosealComposeState  state)
{
  if (state != self->state)
    dismiss_toasts (self);
  self->state = state;
  gtk_stack_set_visible_child_name (self->state_stack, state_pages[state]);
  update_seal (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Whether @file is among the photos, and where. */
gboolean
_photoseal_compose_page_find_photo (PhotosealComposePage *self,
                                    GFile                *file,
                                    guint                *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (g_file_equal (photo, file))
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
photos_changed_cb (PhotosealComposePage *self)
{
  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  gtk_widget_set_visible (self->empty_label,
                          g_list_model_get_n_items (G_LIST_MODEL (self->photos)) == 0);
}

static void
recipients_changed_cb (PhotosealComposePage *self)
{
  g_auto(GStrv) emails = NULL;

  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  emails = photoseal_parse_recipients (gtk_editable_get_text (GTK_EDITABLE (self->recipients_row)),
                                       NULL);
  if (emails == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->recipients_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->recipients_row), "error");
}

/* When the key stops being released: %NULL for never, else the end of the
 * chosen day (local time) or so many days from now. */
GDateTime *
_photoseal_compose_page_chosen_expiry (PhotosealComposePage *self)
{
  guint choice = adw_combo_row_get_selected (self->expiry_row);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *day = photoseal_date_row_get_date (self->expiry_date_row);
  int year, month, mday;

  if (choice < EXPIRY_UNTIL_DATE)
    return expiry_days[choice] ? g_date_time_add_days (now, expiry_days[choice]) : NULL;
  if (day == NULL || sscanf (day, "%4d-%2d-%2d", &year, &month, &mday) != 3)
    return NULL;
  return g_date_time_new_local (year, month, mday, 23, 59, 59);
}

static void
expiry_selected_cb (PhotosealComposePage *self)
{
  g_assert (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->expiry_date_row),
                          adw_combo_row_get_selected (self->expiry_row) == EXPIRY_UNTIL_DATE);
  update_seal (self);
}

/* Says what to fix, focuses it (when there is a field), and refuses. */
static gboolean
refuse (PhotosealComposePage *self,
        gpointer              field,
        const char           *message)
{
  if (field != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (field));
  _photoseal_compose_page_toast (self, message);
  return FALSE;
}

/* Checks the form before sealing; the recipients come out parsed. The
 * rules are the library's, shared with psf and the key server. */
gboolean
_photoseal_compose_page_validate (PhotosealComposePage  *self,
                                  GStrv                 *recipients)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = missing (self);

  if (reason != NULL)
    return refuse (self, NULL, reason);
  if (!photoseal_user_get_signed_in (self->user))
    return refuse (self, NULL, _("Sign in to a key server to seal photos"));
  if (g_list_model_get_n_items (G_LIST_MODEL (self->photos)) == 0)
    return refuse (self, NULL, _("Add at least one photo to seal"));
  if (!(*recipients = photoseal_parse_recipients (
          gtk_editable_get_text (GTK_EDITABLE (self->recipients_row)), &error)))
    return refuse (self, self->recipients_row, error->message);
  if ((*recipients)[0] == NULL && !gtk_switch_get_active (self->access_code_switch))
    return refuse (self, self->recipients_row,
                   _("Name at least one recipient, or turn on the access code"));
  return TRUE;
}

PhotosealSealer *
_photoseal_compose_page_build_sealer (PhotosealComposePage *self)
{
  g_autoptr(PhotosealSealer) sealer = photoseal_sealer_new ();
  PhotosealManifest *manifest = photoseal_sealer_get_manifest (sealer);
  const char *method = photoseal_consent_group_get_method (self->consent_group);
  g_auto(GStrv) purposes = photoseal_consent_group_dup_purposes (self->consent_group);
  g_autofree char *archive = g_settings_get_string (self->settings, "archive-recipient");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));

  photoseal_manifest_set_sender (manifest, photoseal_user_get_name (self->user),
                                 photoseal_user_get_email (self->user));
  if (no_patient (self))
    photoseal_manifest_set_no_patient_details (manifest, TRUE);
  else
    photoseal_manifest_set_patient (manifest, entry_text (self->patient_name_row),
                                    entry_text (self->patient_id_row),
                                    photoseal_date_row_get_date (self->patient_dob_row));
  photoseal_manifest_set_consent (manifest, photoseal_consent_method_is_obtained (method), method,
                                  photoseal_consent_group_get_note (self->consent_group));
  photoseal_manifest_set_consent_purposes (manifest, (const char * const *) purposes);
  photoseal_manifest_set_note (manifest, entry_text (self->note_row));
  photoseal_sealer_set_remove_metadata (sealer, gtk_switch_get_active (self->metadata_switch));
  g_clear_pointer (&self->archive_recipient, g_free);

  if (*archive != '\0')
    {
      g_autoptr(PhotosealX25519Recipient) recipient = NULL;
      g_autoptr(GError) error = NULL;

      /* Preferences validate it; a key that stopped parsing is reported. */
      if ((recipient = photoseal_x25519_recipient_parse (archive, &error)))
        {
          photoseal_sealer_add_recipient (sealer, PHOTOSEAL_RECIPIENT (recipient));
          g_free (self->archive_recipient);
          self->archive_recipient = g_steal_pointer (&archive);
        }
      else
        g_warning ("The archive recipient is not valid: %s", error->message);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);
      photoseal_sealer_add_file (sealer, photo);
    }
  return g_steal_pointer (&sealer);
}

/* The default expiry from Preferences. */
static void
reset_expiry (PhotosealComposePage *self)
{
  guint days = g_settings_get_enum (self->settings, "default-expiry");

  for (guint i = 0; i < G_N_ELEMENTS (expiry_days); i++)
    if (expiry_days[i] == days)
      adw_combo_row_set_selected (self->expiry_row, i);
}

/* An empty form, as for the next file. */
void
_photoseal_compose_page_clear_form (PhotosealComposePage *self)
{
  AdwEntryRow *rows[] = { self->recipients_row, ADW_ENTRY_ROW (self->expiry_date_row),
                          self->patient_name_row, self->patient_id_row,
                          ADW_ENTRY_ROW (self->patient_dob_row), self->note_row };

  g_list_store_remove_all (self->photos);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_editable_set_text (GTK_EDITABLE (rows[i]), "");
  gtk_switch_set_active (self->access_code_switch, FALSE);
  photoseal_consent_group_reset (self->consent_group);
  gtk_check_button_set_active (self->no_patient_check, FALSE);
  reset_expiry (self);
}

static GtkWidget *
create_tile (gpointer item,
             gpointer user_data)
{
  return photoseal_photo_tile_new (G_FILE (item));
}

static void
photoseal_compose_page_dispose (GObject *object)
{
  PhotosealComposePage *self = (PhotosealComposePage *)object;

  /* No gtk_widget_dispose_template (): AdwBin unparents its child, the
   * template\'s root, itself; disposing the template too would do it twice. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->user);
  g_clear_object (&self->settings);
  g_clear_object (&self->photos);
  g_clear_object (&self->job);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sealed_file);
  g_clear_pointer (&self->recipients, g_strfreev);
  g_clear_pointer (&self->archive_recipient, g_free);
  g_clear_pointer (&self->toasts, g_ptr_array_unref);
  g_clear_pointer (&self->expires, g_date_time_unref);

  G_OBJECT_CLASS (photoseal_compose_page_parent_class)->dispose (object);
}

static void
photoseal_compose_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->job != NULL && self->sealed_file == NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_compose_page_class_init (PhotosealComposePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = photoseal_compose_page_dispose;
  object_class->get_property = photoseal_compose_page_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PHOTOSEAL_TYPE_COMPOSE_STATE,
                       PHOTOSEAL_COMPOSE_STATE_FORM,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PHOTOSEAL_TYPE_CONSENT_GROUP);
  g_type_ensure (PHOTOSEAL_TYPE_DATE_ROW);
  g_type_ensure (PHOTOSEAL_TYPE_RECIPIENT_EDITOR);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/photoseal/Photoseal/photoseal-compose-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, drop_status);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, photos_box);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, recipients_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, recipient_editor);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, access_code_switch);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, expiry_date_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, patient_name_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, patient_id_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, patient_dob_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, no_patient_check);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, consent_group);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, seal_hint);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, form_scroller);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, note_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, metadata_switch);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, done_status);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, reach_label);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, access_code_group);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, access_code_label);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, email_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, large_file_label);

  gtk_widget_class_bind_template_callback (widget_class, recipients_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, expiry_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, no_patient_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, consent_changed_cb);

  _photoseal_compose_page_class_actions_init (klass);
}

static void
photoseal_compose_page_init (PhotosealComposePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->photos = g_list_store_new (G_TYPE_FILE);
  self->toasts = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_flow_box_bind_model (self->photos_box, G_LIST_MODEL (self->photos), create_tile, NULL, NULL);
  g_signal_connect_object (self->photos, "items-changed", G_CALLBACK (photos_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_settings_bind (self->settings, "remove-metadata", self->metadata_switch, "active",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_GET_NO_CHANGES);
  reset_expiry (self);
  _photoseal_compose_page_actions_init (self);
  update_seal (self);
  _photoseal_compose_page_dnd_init (self);
}

void
photoseal_compose_page_set_user (PhotosealComposePage *self,
                                 PhotosealUser        *user)
{
  g_return_if_fail (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  g_set_object (&self->user, user);
  photoseal_recipient_editor_set_user (self->recipient_editor, user);
}

PhotosealComposeState
photoseal_compose_page_get_state (PhotosealComposePage *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_COMPOSE_PAGE (self), PHOTOSEAL_COMPOSE_STATE_FORM);

  return self->state;
}

/* The last sealed file, once the page shows it as done. */
GFile *
photoseal_compose_page_get_sealed_file (PhotosealComposePage *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_COMPOSE_PAGE (self), NULL);

  return self->sealed_file;
}

/* The first field a person types into: the recipients. */
void
photoseal_compose_page_focus_first_field (PhotosealComposePage *self)
{
  g_return_if_fail (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->recipients_row));
}

guint
photoseal_compose_page_get_n_photos (PhotosealComposePage *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_COMPOSE_PAGE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->photos));
}

/* Whether the page shows an access code that was not copied yet: leaving
 * it then asks first, as the code is shown only once. */
gboolean
photoseal_compose_page_get_code_pending (PhotosealComposePage *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_COMPOSE_PAGE (self), FALSE);

  return self->state == PHOTOSEAL_COMPOSE_STATE_DONE && self->job != NULL
         && photoseal_seal_job_get_access_code (self->job) != NULL && !self->code_copied;
}
