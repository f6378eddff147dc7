/* photoseal-compose-page.c: photos and details in, one sealed file out
 *
 * One state drives the page: "form" → "progress" → "done" (or back to
 * "form" with a toast when sealing fails, with everything still filled in).
 * The sealed file is written to the app's cache folder, where the share
 * actions find it; it is useless without its key, so it may sit there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-compose-page"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "photoseal-compose-page.h"
#include "photoseal-file-chooser.h"
#include "photoseal-photo-tile.h"
#include "photoseal-seal-job.h"
#include "photoseal-share.h"

struct _PhotosealComposePage
{
  AdwBin parent_instance;

  PhotosealUser *user;
  GSettings *settings;
  GListStore *photos;
  PhotosealSealJob *job;
  GCancellable *cancellable;
  GFile *sealed_file;
  GStrv recipients;
  GDateTime *expires;

  GtkStack *state_stack;
  AdwStatusPage *drop_status;
  GtkFlowBox *photos_box;
  GtkWidget *empty_label;
  AdwEntryRow *recipients_row;
  GtkSwitch *access_code_switch;
  AdwComboRow *expiry_row;
  AdwEntryRow *expiry_date_row;
  AdwEntryRow *patient_name_row;
  AdwEntryRow *patient_id_row;
  AdwEntryRow *patient_dob_row;
  AdwComboRow *consent_row;
  AdwEntryRow *consent_note_row;
  AdwEntryRow *note_row;
  GtkSwitch *metadata_switch;
  GtkProgressBar *progress_bar;
  AdwStatusPage *done_status;
  GtkWidget *access_code_group;
  AdwActionRow *access_code_row;
};

G_DEFINE_FINAL_TYPE (PhotosealComposePage, photoseal_compose_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STATE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The expiry choices, in the order of the combo row and the GSettings enum;
 * the last, "Until a Date", reads the date row instead. */
static const guint expiry_days[] = { 0, 1, 7, 30 };
#define EXPIRY_UNTIL_DATE G_N_ELEMENTS (expiry_days)
static const char *consent_methods[] = { "written", "verbal", "none" };

static void
photoseal_compose_page_toast (PhotosealComposePage *self,
                              const char           *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_message ("%s", message);
}

static void
photoseal_compose_page_set_state (PhotosealComposePage *self,
                                  const char           *state)
{
  gtk_stack_set_visible_child_name (self->state_stack, state);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compose.seal", strcmp (state, "form") == 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
has_photo (PhotosealComposePage *self,
           GFile                *file)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (g_file_equal (photo, file))
        return TRUE;
    }
  return FALSE;
}

static void
photos_changed_cb (PhotosealComposePage *self)
{
  gtk_widget_set_visible (self->empty_label,
                          g_list_model_get_n_items (G_LIST_MODEL (self->photos)) == 0);
}

typedef struct
{
  GPtrArray *files;
  GPtrArray *photos;
  GPtrArray *refusals;
} FileCheck;

static void
file_check_free (FileCheck *check)
{
  g_ptr_array_unref (check->files);
  g_ptr_array_unref (check->photos);
  g_ptr_array_unref (check->refusals);
  g_free (check);
}

/* Sorts @files into photos and refusals, keeping their order. */
static void
check_files_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  FileCheck *check = task_data;

  for (guint i = 0; i < check->files->len; i++)
    {
      GFile *file = g_ptr_array_index (check->files, i);
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *mime_type = NULL;
      const char *type;

      info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                      G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                                G_FILE_QUERY_INFO_NONE, cancellable, &error);
      if (info != NULL && (type = g_file_info_get_content_type (info)))
        mime_type = g_content_type_get_mime_type (type);
      if (info == NULL)
        g_ptr_array_add (check->refusals, g_strdup_printf (_("“%s” could not be read: %s"), name,
                                                           error->message));
      else if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR
               || mime_type == NULL || !g_str_has_prefix (mime_type, "image/"))
        g_ptr_array_add (check->refusals,
                         g_strdup_printf (_("“%s” is not a photo, so it was not added"), name));
      else
        g_ptr_array_add (check->photos, g_object_ref (file));
    }
  g_task_return_boolean (task, TRUE);
}

static void
files_checked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (object);
  FileCheck *check = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  for (guint i = 0; i < check->refusals->len; i++)
    photoseal_compose_page_toast (self, g_ptr_array_index (check->refusals, i));
  for (guint i = 0; i < check->photos->len; i++)
    if (!has_photo (self, g_ptr_array_index (check->photos, i)))
      g_list_store_append (self->photos, g_ptr_array_index (check->photos, i));
}

/**
 * photoseal_compose_page_add_files:
 *
 * Adds the photos among @files, in their order; each other file is named
 * in a toast. Their types are read off the main loop.
 */
void
photoseal_compose_page_add_files (PhotosealComposePage  *self,
                                  GFile                **files,
                                  guint                  n_files)
{
  g_autoptr(GTask) task = NULL;
  FileCheck *check;

  g_return_if_fail (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  check = g_new0 (FileCheck, 1);
  check->files = g_ptr_array_new_with_free_func (g_object_unref);
  check->photos = g_ptr_array_new_with_free_func (g_object_unref);
  check->refusals = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (check->files, g_object_ref (files[i]));

  task = g_task_new (self, NULL, files_checked_cb, NULL);
  g_task_set_source_tag (task, photoseal_compose_page_add_files);
  g_task_set_task_data (task, check, (GDestroyNotify) file_check_free);
  g_task_run_in_thread (task, check_files_thread);
}

static gboolean
drop_accept_cb (PhotosealComposePage *self,
                GdkDrop              *drop)
{
  /* Only external drops: dragging a thumbnail inside the window is not an
   * addition. */
  return gdk_drop_get_drag (drop) == NULL && strcmp (photoseal_compose_page_get_state (self),
                                                     "form") == 0;
}

static gboolean
drop_cb (PhotosealComposePage *self,
         const GValue         *value,
         double                x,
         double                y)
{
  GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));
  g_autoptr(GPtrArray) array = g_ptr_array_new ();

  for (GSList *l = files; l != NULL; l = l->next)
    g_ptr_array_add (array, l->data);
  photoseal_compose_page_add_files (self, (GFile **) array->pdata, array->len);
  g_slist_free (files);
  return TRUE;
}

static void
current_drop_cb (PhotosealComposePage *self,
                 GParamSpec           *pspec,
                 GtkDropTarget        *target)
{
  GdkDrop *drop = gtk_drop_target_get_current_drop (target);

  gtk_widget_set_visible (GTK_WIDGET (self->drop_status),
                          drop != NULL && drop_accept_cb (self, drop));
}

static void
photos_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PhotosealComposePage) self = user_data;
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

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
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (g_file_equal (photo, file))
        {
          g_list_store_remove (self->photos, i);
          return;
        }
    }
}

static gboolean
email_is_valid (const char *email)
{
  const char *at = strchr (email, '@');

  return at != NULL && at != email && strchr (at + 1, '@') == NULL && strchr (at + 1, '.') != NULL
         && at[1] != '.' && !g_str_has_suffix (email, ".") && strpbrk (email, " \t<>,;\"") == NULL
         && strlen (email) <= 254;
}

/* The recipients typed, or %NULL after naming the first bad one. */
static GStrv
parse_recipients (PhotosealComposePage  *self,
                  char                 **bad)
{
  g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->recipients_row)),
                                    ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *email = g_strstrip (parts[i]);

      if (*email == '\0')
        continue;
      if (!email_is_valid (email))
        {
          *bad = g_strdup (email);
          return NULL;
        }
      g_strv_builder_add (builder, email);
    }
  return g_strv_builder_end (builder);
}

static void
recipients_changed_cb (PhotosealComposePage *self)
{
  g_autofree char *bad = NULL;
  g_auto(GStrv) emails = parse_recipients (self, &bad);

  if (emails == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->recipients_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->recipients_row), "error");
}

/* "YYYY-MM-DD" as a valid date, or %FALSE. */
static gboolean
parse_date (const char *text,
            GDate      *date)
{
  unsigned year = 0, month = 0, day = 0;

  if (text == NULL || strlen (text) != 10 || sscanf (text, "%4u-%2u-%2u", &year, &month, &day) != 3
      || !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

static const char *
entry_text (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return *text ? text : NULL;
}

/* When the key stops being released: %NULL for never, else the end of the
 * chosen day (local time) or so many days from now. */
static GDateTime *
chosen_expiry (PhotosealComposePage *self)
{
  guint choice = adw_combo_row_get_selected (self->expiry_row);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDate date;

  if (choice < EXPIRY_UNTIL_DATE)
    return expiry_days[choice] ? g_date_time_add_days (now, expiry_days[choice]) : NULL;
  if (!parse_date (entry_text (self->expiry_date_row), &date))
    return NULL;
  return g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                g_date_get_day (&date), 23, 59, 59);
}

static void
expiry_selected_cb (PhotosealComposePage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->expiry_date_row),
                          adw_combo_row_get_selected (self->expiry_row) == EXPIRY_UNTIL_DATE);
}

/* Says what to fix, focuses it (when there is a field), and refuses. */
static gboolean
refuse (PhotosealComposePage *self,
        gpointer              field,
        const char           *message)
{
  if (field != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (field));
  photoseal_compose_page_toast (self, message);
  return FALSE;
}

/* Checks the form before sealing; the recipients come out parsed. */
static gboolean
validate_form (PhotosealComposePage  *self,
               GStrv                 *recipients)
{
  g_autofree char *bad = NULL;
  const char *dob = entry_text (self->patient_dob_row);
  GDate date;

  if (!photoseal_user_get_signed_in (self->user))
    return refuse (self, NULL, _("Sign in to a key server to seal photos"));
  if (g_list_model_get_n_items (G_LIST_MODEL (self->photos)) == 0)
    return refuse (self, NULL, _("Add at least one photo to seal"));
  if (!(*recipients = parse_recipients (self, &bad)))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not an email address"), bad);
      return refuse (self, self->recipients_row, message);
    }
  if ((*recipients)[0] == NULL && !gtk_switch_get_active (self->access_code_switch))
    return refuse (self, self->recipients_row,
                   _("Name at least one recipient, or turn on the access code"));
  if (dob != NULL && !parse_date (dob, &date))
    return refuse (self, self->patient_dob_row, _("Write the date of birth as YYYY-MM-DD"));
  if (adw_combo_row_get_selected (self->expiry_row) == EXPIRY_UNTIL_DATE)
    {
      g_autoptr(GDateTime) expires = chosen_expiry (self);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (expires == NULL || g_date_time_compare (expires, now) <= 0)
        return refuse (self, self->expiry_date_row,
                       _("Write the last day the file can be opened, today or later, as "
                         "YYYY-MM-DD"));
    }
  return TRUE;
}

static PhotosealSealer *
build_sealer (PhotosealComposePage *self)
{
  g_autoptr(PhotosealSealer) sealer = photoseal_sealer_new ();
  PhotosealManifest *manifest = photoseal_sealer_get_manifest (sealer);
  const char *method = consent_methods[adw_combo_row_get_selected (self->consent_row)];
  g_autofree char *archive = g_settings_get_string (self->settings, "archive-recipient");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));

  photoseal_manifest_set_sender (manifest, photoseal_user_get_name (self->user),
                                 photoseal_user_get_email (self->user));
  if (entry_text (self->patient_name_row) || entry_text (self->patient_id_row)
      || entry_text (self->patient_dob_row))
    photoseal_manifest_set_patient (manifest, entry_text (self->patient_name_row),
                                    entry_text (self->patient_id_row),
                                    entry_text (self->patient_dob_row));
  photoseal_manifest_set_consent (manifest, strcmp (method, "none") != 0, method,
                                  entry_text (self->consent_note_row));
  photoseal_manifest_set_note (manifest, entry_text (self->note_row));
  photoseal_sealer_set_remove_metadata (sealer, gtk_switch_get_active (self->metadata_switch));

  if (*archive != '\0')
    {
      g_autoptr(PhotosealX25519Recipient) recipient = NULL;
      g_autoptr(GError) error = NULL;

      /* Preferences validate it; a key that stopped parsing is reported. */
      if ((recipient = photoseal_x25519_recipient_parse (archive, &error)))
        photoseal_sealer_add_recipient (sealer, PHOTOSEAL_RECIPIENT (recipient));
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

static void
show_done (PhotosealComposePage *self)
{
  g_autofree char *name = g_file_get_basename (self->sealed_file);
  g_autofree char *size = NULL;
  g_autofree char *who = NULL;
  g_autofree char *description = NULL;
  g_autofree char *markup = NULL;
  const char *code = photoseal_seal_job_get_access_code (self->job);

  size = g_format_size (photoseal_seal_job_get_size (self->job));
  who = self->recipients[0] ? g_strjoinv (", ", self->recipients)
                            : g_strdup (_("the holder of the access code"));
  if (self->expires != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (self->expires);
      g_autofree char *until = g_date_time_format (local, "%x %H:%M");

      description = g_strdup_printf (_("%s (%s) can be opened by %s until %s."), name, size, who,
                                     until);
    }
  else
    description = g_strdup_printf (_("%s (%s) can be opened by %s."), name, size, who);
  markup = g_markup_escape_text (description, -1);
  adw_status_page_set_description (self->done_status, markup);

  gtk_widget_set_visible (self->access_code_group, code != NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->access_code_row), code ? code : "");
  photoseal_compose_page_set_state (self, "done");
}

static void
sealed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PhotosealComposePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!photoseal_seal_job_run_finish (PHOTOSEAL_SEAL_JOB (object), result, &error))
    {
      g_clear_object (&self->job);
      photoseal_compose_page_set_state (self, "form");
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not seal: %s"), error->message);
          photoseal_compose_page_toast (self, message);
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

  if (self->job != NULL || !validate_form (self, &recipients))
    return;
  if (!(destination = new_destination (&error)))
    {
      photoseal_compose_page_toast (self, error->message);
      return;
    }
  expires = chosen_expiry (self);

  sealer = build_sealer (self);
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
  photoseal_compose_page_set_state (self, "progress");
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

  if (!photoseal_share_save_copy_finish (result, &error))
    message = g_strdup_printf (_("Could not save: %s"), error->message);
  else
    message = g_strdup (_("Saved"));
  photoseal_compose_page_toast (self, message);
}

static void
save_as_chosen_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PhotosealComposePage) self = user_data;
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GFile) destination = NULL;

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

  if (!photoseal_share_by_email_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Email portal: %s", error->message);
      photoseal_compose_page_toast (self, _("No email app answered. Use Save As… or Show in Folder "
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
  photoseal_compose_page_toast (self, _("Sealed file copied"));
}

static void
copy_access_code_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          photoseal_seal_job_get_access_code (self->job));
  photoseal_compose_page_toast (self, _("Access code copied"));
}

static void
show_in_folder_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);

  photoseal_share_show_in_folder (GTK_WINDOW (gtk_widget_get_root (widget)), self->sealed_file);
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

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PhotosealComposePage *self = PHOTOSEAL_COMPOSE_PAGE (widget);
  AdwEntryRow *rows[] = { self->recipients_row, self->expiry_date_row, self->patient_name_row,
                          self->patient_id_row, self->patient_dob_row, self->consent_note_row,
                          self->note_row };

  g_list_store_remove_all (self->photos);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_editable_set_text (GTK_EDITABLE (rows[i]), "");
  gtk_switch_set_active (self->access_code_switch, FALSE);
  reset_expiry (self);
  /* The code was shown once; it does not stay in a hidden row. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->access_code_row), "");
  g_clear_object (&self->job);
  g_clear_object (&self->sealed_file);
  photoseal_compose_page_set_state (self, "form");
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
      g_value_set_string (value, photoseal_compose_page_get_state (self));
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
    g_param_spec_string ("state", NULL, NULL, "form",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/photoseal/Photoseal/photoseal-compose-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, drop_status);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, photos_box);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, recipients_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, access_code_switch);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, expiry_date_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, patient_name_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, patient_id_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, patient_dob_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, consent_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, consent_note_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, note_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, metadata_switch);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, done_status);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, access_code_group);
  gtk_widget_class_bind_template_child (widget_class, PhotosealComposePage, access_code_row);

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

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "compose.seal", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "compose.add-photos", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "compose.cancel", NULL);
}

static void
photoseal_compose_page_init (PhotosealComposePage *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->photos = g_list_store_new (G_TYPE_FILE);
  gtk_flow_box_bind_model (self->photos_box, G_LIST_MODEL (self->photos), create_tile, NULL, NULL);
  g_signal_connect_object (self->photos, "items-changed", G_CALLBACK (photos_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_settings_bind (self->settings, "remove-metadata", self->metadata_switch, "active",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_GET_NO_CHANGES);
  reset_expiry (self);
  g_signal_connect_object (self->expiry_row, "notify::selected", G_CALLBACK (expiry_selected_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->recipients_row, "changed", G_CALLBACK (recipients_changed_cb),
                           self, G_CONNECT_SWAPPED);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "accept", G_CALLBACK (drop_accept_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (target, "notify::current-drop", G_CALLBACK (current_drop_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

void
photoseal_compose_page_set_user (PhotosealComposePage *self,
                                 PhotosealUser        *user)
{
  g_return_if_fail (PHOTOSEAL_IS_COMPOSE_PAGE (self));

  g_set_object (&self->user, user);
}

/* "form", "progress" or "done". */
const char *
photoseal_compose_page_get_state (PhotosealComposePage *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_COMPOSE_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->state_stack);
}

/* The last sealed file, once the page shows it as done. */
GFile *
photoseal_compose_page_get_sealed_file (PhotosealComposePage *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_COMPOSE_PAGE (self), NULL);

  return self->sealed_file;
}

guint
photoseal_compose_page_get_n_photos (PhotosealComposePage *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_COMPOSE_PAGE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->photos));
}
