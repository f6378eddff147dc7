/* photoseal-viewer-window.c: one opened .psf
 *
 * One state, a PhotosealViewerState: loading → photos, or problem (a page
 * saying what happened and the way forward: PhotosealViewerProblem), or
 * sign-in when the file's key server is one this device has no session
 * with. The photos sit beside their details (PhotosealViewerDetails,
 * PhotosealViewerLayout). Photos stay in memory; they reach the disk only
 * through Save Photo…, Export All… (photoseal-viewer-export.c) and the
 * report (photoseal-viewer-report.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-viewer-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "photoseal-file-chooser.h"
#include "photoseal-image-loader.h"
#include "photoseal-open-job.h"
#include "photoseal-sign-in-page.h"
#include "photoseal-toast.h"
#include "photoseal-viewer-details.h"
#include "photoseal-viewer-export.h"
#include "photoseal-viewer-layout.h"
#include "photoseal-viewer-problem.h"
#include "photoseal-viewer-report.h"
#include "photoseal-viewer-window.h"

struct _PhotosealViewerWindow
{
  AdwApplicationWindow parent_instance;

  PhotosealUser *user;
  GFile *file;
  PhotosealOpenJob *job;
  GCancellable *cancellable;
  GCancellable *image_cancellable;
  PhotosealViewerState state;
  guint position;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkStack *state_stack;
  GtkProgressBar *progress_bar;
  PhotosealViewerProblem *problem;
  GtkWidget *back_button;
  PhotosealSignInPage *sign_in_page;
  PhotosealViewerDetails *details;
  GtkPicture *picture;
  AdwStatusPage *unshown_status;
  GtkBox *strip;
  GtkToggleButton *zoom_button;
  GtkProgressBar *report_progress;
};

G_DEFINE_ENUM_TYPE (PhotosealViewerState, photoseal_viewer_state,
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_VIEWER_STATE_LOADING, "loading"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_VIEWER_STATE_PHOTOS, "photos"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_VIEWER_STATE_PROBLEM, "problem"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_VIEWER_STATE_SIGN_IN, "sign-in"))

G_DEFINE_FINAL_TYPE (PhotosealViewerWindow, photoseal_viewer_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void photoseal_viewer_window_open (PhotosealViewerWindow *self,
                                          const char            *access_code);

/* The stack's child for each state, in the order of PhotosealViewerState. */
static const char *state_pages[] = { "loading", "photos", "problem", "sign-in" };

static void
set_state (PhotosealViewerWindow *self,
           PhotosealViewerState   state)
{
  gboolean photos = state == PHOTOSEAL_VIEWER_STATE_PHOTOS;

  self->state = state;
  gtk_stack_set_visible_child_name (self->state_stack, state_pages[state]);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.save-photo", photos);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.export-all", photos);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.export-report", photos);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.print", photos);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.zoom", photos);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.previous", photos);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.next", photos);
  gtk_widget_set_visible (self->back_button, state == PHOTOSEAL_VIEWER_STATE_SIGN_IN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.back",
                                 state == PHOTOSEAL_VIEWER_STATE_SIGN_IN);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
show_error (PhotosealViewerWindow *self,
            const GError          *error)
{
  g_autofree char *name = g_file_get_basename (self->file);

  photoseal_viewer_problem_show_error (self->problem, error, name,
                                       photoseal_open_job_get_origin (self->job),
                                       photoseal_user_get_email (self->user));
  if (error->domain == PHOTOSEAL_KEYSERVER_ERROR
      && (error->code == PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED
          || error->code == PHOTOSEAL_KEYSERVER_ERROR_DEVICE))
    photoseal_sign_in_page_set_origin (self->sign_in_page,
                                       photoseal_open_job_get_origin (self->job), TRUE);
  set_state (self, PHOTOSEAL_VIEWER_STATE_PROBLEM);
  photoseal_viewer_problem_focus (self->problem);
}

static void
fill_details (PhotosealViewerWindow *self,
              PhotosealManifest     *manifest)
{
  const char *owner_email = photoseal_open_job_get_owner_email (self->job);
  g_autofree char *host = photoseal_origin_host (photoseal_open_job_get_origin (self->job));

  photoseal_viewer_details_show (self->details, manifest,
                                 photoseal_open_job_get_owner_name (self->job), owner_email,
                                 owner_email ? host : NULL);
}

static void
image_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PhotosealViewerWindow) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_VIEWER_WINDOW (self));

  if (!(texture = photoseal_image_load_finish (result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Where the photo would be, for as long as it is the one shown
           * (an image over the size limit says it is too large). */
          g_autofree char *why = g_strdup (error->message);
          g_autofree char *text = NULL;
          g_autofree char *escaped = NULL;

          if (g_str_has_suffix (why, "."))
            why[strlen (why) - 1] = '\0';
          text = g_strdup_printf (_("%s. Save it or export it to open it with another app."), why);
          escaped = g_markup_escape_text (text, -1);

          gtk_picture_set_paintable (self->picture, NULL);
          adw_status_page_set_description (self->unshown_status, escaped);
          gtk_widget_set_visible (GTK_WIDGET (self->unshown_status), TRUE);
        }
      return;
    }
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

/* Saving, exporting and printing can finish after the window closed:
 * then there is no one to tell. */
static void
show_toast (PhotosealViewerWindow *self,
            const char            *message)
{
  if (self->toast_overlay != NULL)
    photoseal_toast_show (GTK_WIDGET (self->toast_overlay), message);
}

static void
show_photo (PhotosealViewerWindow *self,
            guint                  position)
{
  PhotosealManifest *manifest = photoseal_open_job_get_manifest (self->job);
  const PhotosealManifestItem *item = photoseal_manifest_get_item (manifest, position);
  g_autofree char *subtitle = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint n = photoseal_manifest_get_n_items (manifest);
  guint i = 0;

  self->position = position;
  subtitle = g_strdup_printf (_("%s — %u of %u"), item->name, position + 1, n);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  item->name, -1);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->strip)); child;
       child = gtk_widget_get_next_sibling (child), i++)
    {
      if (i == position)
        gtk_widget_add_css_class (child, "suggested-action");
      else
        gtk_widget_remove_css_class (child, "suggested-action");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->unshown_status), FALSE);
  g_cancellable_cancel (self->image_cancellable);
  g_clear_object (&self->image_cancellable);
  self->image_cancellable = g_cancellable_new ();
  if (!(stream = photoseal_opened_item_read (photoseal_open_job_get_item (self->job, position),
                                             &error)))
    {
      show_toast (self, error->message);
      return;
    }
  photoseal_image_load_async (NULL, stream, 0, self->image_cancellable, image_cb,
                              g_object_ref (self));
}

static void
strip_thumbnail_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GdkTexture) texture = photoseal_image_load_finish (result, NULL);

  if (texture != NULL)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
}

static void
fill_strip (PhotosealViewerWindow *self,
            PhotosealManifest     *manifest)
{
  for (guint i = 0; i < photoseal_manifest_get_n_items (manifest); i++)
    {
      const PhotosealManifestItem *item = photoseal_manifest_get_item (manifest, i);
      g_autoptr(GInputStream) stream = NULL;
      GtkWidget *button = gtk_button_new ();
      GtkWidget *picture = gtk_picture_new ();

      gtk_widget_set_size_request (picture, 64, 64);
      gtk_button_set_child (GTK_BUTTON (button), picture);
      gtk_widget_set_tooltip_text (button, item->name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      item->name, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "viewer.show");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
      gtk_box_append (self->strip, button);
      /* An item that cannot be read back keeps an empty thumbnail; showing
       * it says why. */
      if ((stream = photoseal_opened_item_read (photoseal_open_job_get_item (self->job, i), NULL)))
        photoseal_image_load_async (NULL, stream, 128, self->cancellable, strip_thumbnail_cb,
                                    g_object_ref (picture));
    }
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PhotosealViewerWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  PhotosealManifest *manifest;

  g_assert (PHOTOSEAL_IS_VIEWER_WINDOW (self));

  if (!photoseal_open_job_run_finish (PHOTOSEAL_OPEN_JOB (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  manifest = photoseal_open_job_get_manifest (self->job);
  fill_details (self, manifest);
  fill_strip (self, manifest);
  set_state (self, PHOTOSEAL_VIEWER_STATE_PHOTOS);
  if (photoseal_manifest_get_n_items (manifest) > 0)
    show_photo (self, 0);
}

static void
fraction_cb (PhotosealViewerWindow     *self,
             GParamSpec                *pspec,
             PhotosealProgressReporter *progress)
{
  g_assert (PHOTOSEAL_IS_VIEWER_WINDOW (self));

  gtk_progress_bar_set_fraction (self->progress_bar,
                                 photoseal_progress_reporter_get_fraction (progress));
}

static void
photoseal_viewer_window_open (PhotosealViewerWindow *self,
                              const char            *access_code)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_object (&self->job);
  self->job = photoseal_open_job_new (self->file, self->user, access_code);
  g_signal_connect_object (photoseal_open_job_get_progress (self->job), "notify::fraction",
                           G_CALLBACK (fraction_cb), self, G_CONNECT_SWAPPED);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  set_state (self, PHOTOSEAL_VIEWER_STATE_LOADING);
  photoseal_open_job_run_async (self->job, self->cancellable, opened_cb, g_object_ref (self));
}

static void
signed_in_cb (PhotosealViewerWindow *self)
{
  g_assert (PHOTOSEAL_IS_VIEWER_WINDOW (self));

  photoseal_viewer_window_open (self, NULL);
}

static void
access_code_entered_cb (PhotosealViewerWindow *self,
                        const char            *code)
{
  g_assert (PHOTOSEAL_IS_VIEWER_WINDOW (self));

  photoseal_viewer_window_open (self, code);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  photoseal_viewer_window_open (PHOTOSEAL_VIEWER_WINDOW (widget), NULL);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PhotosealViewerWindow *self = PHOTOSEAL_VIEWER_WINDOW (widget);

  set_state (self, PHOTOSEAL_VIEWER_STATE_SIGN_IN);
  /* The server there is the file's, read-only: focus what is typed. */
  photoseal_sign_in_page_focus_first_field (self->sign_in_page);
}

/* From signing in back to the page that offers it beside the access code. */
static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhotosealViewerWindow *self = PHOTOSEAL_VIEWER_WINDOW (widget);

  set_state (self, PHOTOSEAL_VIEWER_STATE_PROBLEM);
  photoseal_viewer_problem_focus (self->problem);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhotosealViewerWindow *self = PHOTOSEAL_VIEWER_WINDOW (widget);
  guint n = photoseal_manifest_get_n_items (photoseal_open_job_get_manifest (self->job));

  if (n == 0)
    return;
  if (g_str_equal (action_name, "viewer.next"))
    show_photo (self, (self->position + 1) % n);
  else
    show_photo (self, (self->position + n - 1) % n);
}

static void
show_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhotosealViewerWindow *self = PHOTOSEAL_VIEWER_WINDOW (widget);
  guint position = g_variant_get_uint32 (parameter);

  if (position < photoseal_manifest_get_n_items (photoseal_open_job_get_manifest (self->job)))
    show_photo (self, position);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PhotosealViewerWindow *self = PHOTOSEAL_VIEWER_WINDOW (widget);
  gboolean fit = !gtk_picture_get_can_shrink (self->picture);

  /* Fit the window, or show every pixel and let the view scroll. */
  gtk_picture_set_can_shrink (self->picture, fit);
  gtk_toggle_button_set_active (self->zoom_button, !fit);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  PhotosealViewerWindow *self = PHOTOSEAL_VIEWER_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!photoseal_viewer_export_finish (result, &error))
    message = g_strdup_printf (_("Could not save: %s"), error->message);
  show_toast (self, message ? message : _("Saved"));
}

/* The one file or folder a chooser gave, or %NULL when it was dismissed. */
static GFile *
chosen_file (GAsyncResult *result)
{
  g_autoptr(GListModel) files = photoseal_file_chooser_run_finish (result, NULL);

  return files != NULL ? g_list_model_get_item (files, 0) : NULL;
}

static void
save_photo_chosen_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PhotosealViewerWindow) self = user_data;
  g_autoptr(GFile) destination = chosen_file (result);

  g_assert (PHOTOSEAL_IS_VIEWER_WINDOW (self));

  if (destination != NULL)
    photoseal_viewer_export_to_file_async (G_OBJECT (self),
                                           photoseal_open_job_get_item (self->job, self->position),
                                           destination, saved_cb, NULL);
}

static void
save_photo_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PhotosealViewerWindow *self = PHOTOSEAL_VIEWER_WINDOW (widget);
  const PhotosealManifestItem *item =
    photoseal_manifest_get_item (photoseal_open_job_get_manifest (self->job), self->position);
  g_autofree char *name = g_path_get_basename (item->name);

  photoseal_file_chooser_run_async (GTK_WINDOW (self), PHOTOSEAL_FILE_CHOOSER_SAVE,
                                    _("Save Photo"), name, save_photo_chosen_cb,
                                    g_object_ref (self));
}

static void
export_folder_chosen_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(PhotosealViewerWindow) self = user_data;
  g_autoptr(GFile) folder = chosen_file (result);

  g_assert (PHOTOSEAL_IS_VIEWER_WINDOW (self));

  if (folder != NULL)
    photoseal_viewer_window_export_async (self, folder, saved_cb, NULL);
}

static void
export_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  photoseal_file_chooser_run_async (GTK_WINDOW (widget), PHOTOSEAL_FILE_CHOOSER_SELECT_FOLDER,
                                    _("Export All Photos"), NULL, export_folder_chosen_cb,
                                    g_object_ref (widget));
}

static char *
confirmed_by (PhotosealViewerWindow *self)
{
  if (photoseal_open_job_get_owner_email (self->job) == NULL)
    return NULL;
  return photoseal_origin_host (photoseal_open_job_get_origin (self->job));
}

static void
report_fraction_cb (PhotosealViewerWindow     *self,
                    GParamSpec                *pspec,
                    PhotosealProgressReporter *progress)
{
  g_assert (PHOTOSEAL_IS_VIEWER_WINDOW (self));

  gtk_progress_bar_set_fraction (self->report_progress,
                                 photoseal_progress_reporter_get_fraction (progress));
}

static void
report_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhotosealViewerWindow *self = g_task_get_source_object (task);
  GError *error = NULL;

  g_assert (PHOTOSEAL_IS_VIEWER_WINDOW (self));

  if (self->report_progress != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->report_progress), FALSE);
  if (photoseal_viewer_report_write_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * photoseal_viewer_window_export_report_async:
 * @destination: the PDF to write, atomically
 *
 * Writes the report of the photos shown (the details, the sender as the
 * key server confirmed it, every photo) as a PDF, in a worker; the window
 * shows the progress. Only for a window showing photos.
 */
void
photoseal_viewer_window_export_report_async (PhotosealViewerWindow *self,
                                             GFile                 *destination,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PhotosealReport) report = NULL;
  g_autoptr(PhotosealProgressReporter) progress = photoseal_progress_reporter_new ();
  g_autofree char *host = NULL;

  g_return_if_fail (PHOTOSEAL_IS_VIEWER_WINDOW (self));
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (self->state == PHOTOSEAL_VIEWER_STATE_PHOTOS);

  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, photoseal_viewer_window_export_report_async);
  host = confirmed_by (self);
  report = photoseal_viewer_report_new (self->job, host);
  g_signal_connect_object (progress, "notify::fraction", G_CALLBACK (report_fraction_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_progress_bar_set_fraction (self->report_progress, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->report_progress), TRUE);
  photoseal_viewer_report_write_async (report, destination, progress, self->cancellable,
                                       report_written_cb, g_steal_pointer (&task));
}

gboolean
photoseal_viewer_window_export_report_finish (PhotosealViewerWindow  *self,
                                              GAsyncResult           *result,
                                              GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
report_exported_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PhotosealViewerWindow *self = PHOTOSEAL_VIEWER_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!photoseal_viewer_window_export_report_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not write the report: %s"), error->message);
    }
  show_toast (self, message ? message : _("Report saved"));
}

static void
report_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PhotosealViewerWindow) self = user_data;
  g_autoptr(GFile) destination = chosen_file (result);

  g_assert (PHOTOSEAL_IS_VIEWER_WINDOW (self));

  if (destination != NULL && self->state == PHOTOSEAL_VIEWER_STATE_PHOTOS)
    photoseal_viewer_window_export_report_async (self, destination, report_exported_cb, NULL);
}

/* The report's suggested name comes from the sealed file's, never from
 * the patient: a file name travels further than its contents. */
static char *
report_name (GFile *file)
{
  g_autofree char *base = g_file_get_basename (file);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  /* Translators: the suggested name of a report; %s is the sealed file's name. */
  return g_strdup_printf (_("%s report.pdf"), base);
}

static void
export_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PhotosealViewerWindow *self = PHOTOSEAL_VIEWER_WINDOW (widget);
  g_autofree char *name = report_name (self->file);

  photoseal_file_chooser_run_async (GTK_WINDOW (self), PHOTOSEAL_FILE_CHOOSER_SAVE,
                                    _("Export Report"), name, report_chosen_cb,
                                    g_object_ref (self));
}

static void
printed_cb (GtkPrintOperation       *operation,
            GtkPrintOperationResult  result,
            PhotosealViewerWindow   *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_assert (PHOTOSEAL_IS_VIEWER_WINDOW (self));

  if (result != GTK_PRINT_OPERATION_RESULT_ERROR)
    return;
  gtk_print_operation_get_error (operation, &error);
  message = g_strdup_printf (_("Could not print: %s"), error ? error->message : "");
  show_toast (self, message);
}

/**
 * photoseal_viewer_window_print:
 * @export_to: (nullable): where to write the pages as a PDF instead of
 *   asking the print dialog (GTK's own export, through the same print
 *   operation)
 *
 * Prints the report that "Export Report…" writes.
 */
void
photoseal_viewer_window_print (PhotosealViewerWindow *self,
                               GFile                 *export_to)
{
  g_autoptr(PhotosealReport) report = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (PHOTOSEAL_IS_VIEWER_WINDOW (self));
  g_return_if_fail (self->state == PHOTOSEAL_VIEWER_STATE_PHOTOS);

  host = confirmed_by (self);
  report = photoseal_viewer_report_new (self->job, host);
  operation = photoseal_viewer_report_print_operation (report);
  g_signal_connect_object (operation, "done", G_CALLBACK (printed_cb), self, 0);
  if (export_to != NULL && (path = g_file_get_path (export_to)))
    gtk_print_operation_set_export_filename (operation, path);
  else
    gtk_print_operation_set_allow_async (operation, TRUE);
  gtk_print_operation_run (operation, path ? GTK_PRINT_OPERATION_ACTION_EXPORT
                                           : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                           GTK_WINDOW (self), NULL);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  photoseal_viewer_window_print (PHOTOSEAL_VIEWER_WINDOW (widget), NULL);
}

static void
photoseal_viewer_window_dispose (GObject *object)
{
  PhotosealViewerWindow *self = (PhotosealViewerWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->image_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PHOTOSEAL_TYPE_VIEWER_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->image_cancellable);
  g_clear_object (&self->job);
  g_clear_object (&self->user);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (photoseal_viewer_window_parent_class)->dispose (object);
}

static void
photoseal_viewer_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  PhotosealViewerWindow *self = PHOTOSEAL_VIEWER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_viewer_window_class_init (PhotosealViewerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = photoseal_viewer_window_dispose;
  object_class->get_property = photoseal_viewer_window_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PHOTOSEAL_TYPE_VIEWER_STATE,
                       PHOTOSEAL_VIEWER_STATE_LOADING,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PHOTOSEAL_TYPE_SIGN_IN_PAGE);
  g_type_ensure (PHOTOSEAL_TYPE_VIEWER_DETAILS);
  g_type_ensure (PHOTOSEAL_TYPE_VIEWER_LAYOUT);
  g_type_ensure (PHOTOSEAL_TYPE_VIEWER_PROBLEM);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/photoseal/Photoseal/photoseal-viewer-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, problem);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, details);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, picture);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, unshown_status);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, strip);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerWindow, report_progress);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, access_code_entered_cb);

  gtk_widget_class_install_action (widget_class, "viewer.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "viewer.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "viewer.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "viewer.next", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "viewer.previous", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "viewer.show", "u", show_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.save-photo", NULL, save_photo_action);
  gtk_widget_class_install_action (widget_class, "viewer.export-all", NULL, export_all_action);
  gtk_widget_class_install_action (widget_class, "viewer.export-report", NULL,
                                   export_report_action);
  gtk_widget_class_install_action (widget_class, "viewer.print", NULL, print_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "viewer.zoom",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "viewer.save-photo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "viewer.export-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "viewer.print",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "viewer.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
}

/* ← and → step through the photos wherever the focus is. As class key
 * bindings they came after GtkWindow's own arrow bindings, which move the
 * focus instead, and the focused thumbnail or scrolled view took them
 * first; captured at the window, they win. While the actions are
 * disabled (no photos), the keys pass on. */
static void
add_step_shortcuts (PhotosealViewerWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (controller);
  GtkShortcut *next = gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Right|Page_Down"),
                                        gtk_named_action_new ("viewer.next"));
  GtkShortcut *previous = gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Left|Page_Up"),
                                            gtk_named_action_new ("viewer.previous"));

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (shortcuts, next);
  gtk_shortcut_controller_add_shortcut (shortcuts, previous);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
photoseal_viewer_window_init (PhotosealViewerWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_step_shortcuts (self);
}

/**
 * photoseal_viewer_window_new:
 *
 * A window on @file; it starts opening it at once.
 */
PhotosealViewerWindow *
photoseal_viewer_window_new (GtkApplication *application,
                             PhotosealUser  *user,
                             GFile          *file)
{
  PhotosealViewerWindow *self;
  g_autofree char *name = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PHOTOSEAL_IS_USER (user), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (PHOTOSEAL_TYPE_VIEWER_WINDOW, "application", application, NULL);
  self->user = g_object_ref (user);
  self->file = g_object_ref (file);
  photoseal_sign_in_page_set_user (self->sign_in_page, user);
  name = g_file_get_basename (file);
  adw_window_title_set_title (self->window_title, name);
  gtk_window_set_title (GTK_WINDOW (self), name);
  photoseal_viewer_window_open (self, NULL);
  return self;
}

GFile *
photoseal_viewer_window_get_file (PhotosealViewerWindow *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_VIEWER_WINDOW (self), NULL);

  return self->file;
}

PhotosealViewerState
photoseal_viewer_window_get_state (PhotosealViewerWindow *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_VIEWER_WINDOW (self), PHOTOSEAL_VIEWER_STATE_LOADING);

  return self->state;
}

/* Which problem the page shows: "sign-in", "not-recipient", "revoked",
 * "expired", "locked", "bad-code", "unreachable", "damaged", … or %NULL. */
const char *
photoseal_viewer_window_get_problem (PhotosealViewerWindow *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_VIEWER_WINDOW (self), NULL);

  if (self->state != PHOTOSEAL_VIEWER_STATE_PROBLEM
      && self->state != PHOTOSEAL_VIEWER_STATE_SIGN_IN)
    return NULL;
  return photoseal_viewer_problem_get_problem (self->problem);
}

guint
photoseal_viewer_window_get_n_photos (PhotosealViewerWindow *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_VIEWER_WINDOW (self), 0);

  if (self->job == NULL || photoseal_open_job_get_manifest (self->job) == NULL)
    return 0;
  return photoseal_manifest_get_n_items (photoseal_open_job_get_manifest (self->job));
}

PhotosealManifest *
photoseal_viewer_window_get_manifest (PhotosealViewerWindow *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_VIEWER_WINDOW (self), NULL);

  return self->job ? photoseal_open_job_get_manifest (self->job) : NULL;
}

/**
 * photoseal_viewer_window_export_async:
 *
 * Writes every photo into @folder under its own name ("name (2).jpg" when
 * taken), each file atomically. Only for a window showing photos.
 */
void
photoseal_viewer_window_export_async (PhotosealViewerWindow *self,
                                      GFile                 *folder,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_VIEWER_WINDOW (self));
  g_return_if_fail (G_IS_FILE (folder));
  g_return_if_fail (photoseal_viewer_window_get_n_photos (self) > 0);

  photoseal_viewer_export_to_folder_async (G_OBJECT (self), self->job, folder, callback, user_data);
}

gboolean
photoseal_viewer_window_export_finish (PhotosealViewerWindow  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
