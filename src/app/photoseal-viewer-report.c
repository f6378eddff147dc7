/* photoseal-viewer-report.c: the report of an opened file, as a PDF or on paper
 *
 * The viewer's "Export Report…" and "Print…" draw the same pages, laid out
 * by PhotosealReport (the one `psf open --report` writes): the PDF in a
 * worker thread, from a report of its own, so a file of many photos never
 * stalls the window; printing through GtkPrintOperation, which calls back
 * on the main thread. The report names the sender as the key server
 * confirmed it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-viewer-report"

#include "config.h"

#include "photoseal-viewer-report.h"

/**
 * photoseal_viewer_report_new:
 * @job: a job that has opened its file
 * @confirmed_by: (nullable): the key server's host, when it confirmed the
 *   key's owner
 */
PhotosealReport *
photoseal_viewer_report_new (PhotosealOpenJob *job,
                             const char       *confirmed_by)
{
  PhotosealManifest *manifest = photoseal_open_job_get_manifest (job);
  g_autofree char *name = g_file_get_basename (photoseal_open_job_get_file (job));
  g_autoptr(PhotosealReport) report = photoseal_report_new (manifest, name);
  const char *owner_email = photoseal_open_job_get_owner_email (job);

  if (owner_email != NULL && confirmed_by != NULL)
    photoseal_report_set_confirmed_sender (report, photoseal_open_job_get_owner_name (job),
                                           owner_email, confirmed_by);
  for (guint i = 0; i < photoseal_manifest_get_n_items (manifest); i++)
    {
      const PhotosealManifestItem *item = photoseal_manifest_get_item (manifest, i);

      if (item->media_type != NULL && g_str_has_prefix (item->media_type, "image/"))
        photoseal_opened_item_add_to_report (photoseal_open_job_get_item (job, i), report,
                                             item->name);
      else
        photoseal_report_add_other_item (report, item->name, item->media_type);
    }
  return g_steal_pointer (&report);
}

/* What the writing worker owns: the report is its alone from now on. */
typedef struct
{
  PhotosealReport *report;
  GFile *destination;
  PhotosealProgressReporter *progress;
} WriteWork;

static void
write_work_free (WriteWork *work)
{
  g_clear_object (&work->report);
  g_clear_object (&work->destination);
  g_clear_object (&work->progress);
  g_free (work);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteWork *work = task_data;
  GError *error = NULL;

  photoseal_report_set_progress_func (work->report, photoseal_progress_reporter_report,
                                      work->progress);
  if (photoseal_report_write_pdf (work->report, work->destination, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * photoseal_viewer_report_write_async:
 * @report: (transfer none): a report no one else uses from now on
 * @destination: the PDF, written atomically
 * @progress: told of each page written
 */
void
photoseal_viewer_report_write_async (PhotosealReport           *report,
                                     GFile                     *destination,
                                     PhotosealProgressReporter *progress,
                                     GCancellable              *cancellable,
                                     GAsyncReadyCallback        callback,
                                     gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  WriteWork *work = g_new0 (WriteWork, 1);

  work->report = g_object_ref (report);
  work->destination = g_object_ref (destination);
  work->progress = g_object_ref (progress);
  g_task_set_source_tag (task, photoseal_viewer_report_write_async);
  g_task_set_task_data (task, work, (GDestroyNotify) write_work_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
photoseal_viewer_report_write_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                PhotosealReport   *report)
{
  g_assert (PHOTOSEAL_IS_REPORT (report));

  /* The full page in points: the report keeps its own margins. */
  gtk_print_operation_set_n_pages (
    operation, photoseal_report_paginate (report, gtk_print_context_get_width (context),
                                          gtk_print_context_get_height (context)));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              PhotosealReport   *report)
{
  g_assert (PHOTOSEAL_IS_REPORT (report));

  photoseal_report_draw_page (report, gtk_print_context_get_cairo_context (context), page);
}

static void
unref_report (gpointer  report,
              GClosure *closure)
{
  g_object_unref (report);
}

/**
 * photoseal_viewer_report_print_operation:
 *
 * Returns: (transfer full): a print operation that prints @report, on the
 *   paper of the user's locale unless the print dialog changes it
 */
GtkPrintOperation *
photoseal_viewer_report_print_operation (PhotosealReport *report)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) paper = NULL;
  double width, height;

  photoseal_report_get_locale_paper (&width, &height);
  paper = gtk_paper_size_new (width < 600 ? GTK_PAPER_NAME_A4 : GTK_PAPER_NAME_LETTER);
  gtk_page_setup_set_paper_size_and_default_margins (setup, paper);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_data (operation, "begin-print", G_CALLBACK (begin_print_cb),
                         g_object_ref (report), unref_report, 0);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_page_cb),
                         g_object_ref (report), unref_report, 0);
  return operation;
}
