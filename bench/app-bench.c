/* app-bench.c: the desktop app's launch and seal, measured in its own windows
 *
 *   app-bench first-frame            (PHOTOSEAL_BENCH_T0: launch time, ns since the epoch)
 *   app-bench seal ORIGIN EMAIL PASSWORD RECIPIENT PHOTO…
 *   app-bench open ORIGIN EMAIL PASSWORD FILE.psf
 *
 * "first-frame" prints the time from launch to the main window's first
 * painted frame. "seal" signs in, drops the photos on the compose page
 * through its drop target, waits for every thumbnail, seals, and prints
 * the times and the longest main-loop stall meanwhile (a 1 ms timeout that
 * records the longest gap between its runs). "open" opens a file the way
 * the viewer does and prints the time and the process's peak memory. Run
 * it under
 * tests/app/run-app-tests.sh, which provides the X server and keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <sys/resource.h>

#include <sodium.h>

#include "photoseal-application.h"
#include "photoseal-compose-page.h"
#include "photoseal-open-job.h"
#include "photoseal-photo-tile.h"
#include "photoseal-window.h"
#include "widget-finder.h"

static gint64 last_probe;
static gint64 longest_stall;

static gboolean
stall_probe (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_probe != 0)
    longest_stall = MAX (longest_stall, now - last_probe);
  last_probe = now;
  return G_SOURCE_CONTINUE;
}

static void
iterate_until (gboolean *done)
{
  while (!*done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean first_frame_done;
static gint64 first_frame_time;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  if (first_frame_done)
    return;
  first_frame_done = TRUE;
  first_frame_time = g_get_real_time () * 1000;
}

static void
window_mapped_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
}

/* Activates @app and waits for its main window's first painted frame. */
static GtkWindow *
show_main_window (PhotosealApplication *app)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    window_mapped_cb (GTK_WIDGET (window));
  else
    g_signal_connect (window, "map", G_CALLBACK (window_mapped_cb), NULL);
  iterate_until (&first_frame_done);
  return window;
}

static double
cpu_seconds (const struct rusage *usage)
{
  return usage->ru_utime.tv_sec + usage->ru_stime.tv_sec
         + (usage->ru_utime.tv_usec + usage->ru_stime.tv_usec) / 1e6;
}

static int
first_frame (void)
{
  g_autoptr(PhotosealApplication) app = photoseal_application_new (G_APPLICATION_NON_UNIQUE);
  gint64 t0 = g_ascii_strtoll (g_getenv ("PHOTOSEAL_BENCH_T0"), NULL, 10);
  GtkWindow *window;

  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = show_main_window (app);
  g_print ("%.1f\n", (first_frame_time - t0) / 1e6);
  gtk_window_destroy (window);
  return 0;
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!photoseal_user_sign_in_finish (PHOTOSEAL_USER (object), result, &error))
    g_error ("sign-in: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

static gboolean
all_thumbnails_loaded (GtkWidget *widget)
{
  if (PHOTOSEAL_IS_PHOTO_TILE (widget)
      && !photoseal_photo_tile_get_loaded (PHOTOSEAL_PHOTO_TILE (widget)))
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    if (!all_thumbnails_loaded (child))
      return FALSE;
  return TRUE;
}

static void
wait_for (gboolean (*condition) (gpointer), gpointer data)
{
  while (!condition (data))
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
has_n_photos (gpointer data)
{
  return photoseal_compose_page_get_n_photos (data)
           == GPOINTER_TO_UINT (g_object_get_data (data, "want"))
         && all_thumbnails_loaded (data);
}

static gboolean
is_done (gpointer data)
{
  return photoseal_compose_page_get_state (data) == PHOTOSEAL_COMPOSE_STATE_DONE;
}

static int
seal (int    argc,
      char **argv)
{
  g_autoptr(PhotosealApplication) app = photoseal_application_new (G_APPLICATION_NON_UNIQUE);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  PhotosealComposePage *page;
  PhotosealWindow *window;
  gboolean signed_in = FALSE;
  guint64 total = 0;
  gint64 start, dropped, sealed, drop_stall;

  g_application_register (G_APPLICATION (app), NULL, NULL);
  photoseal_user_sign_in_async (photoseal_application_get_user (app), argv[2], argv[3], argv[4],
                                TRUE, NULL, signed_in_cb, &signed_in);
  iterate_until (&signed_in);
  window = PHOTOSEAL_WINDOW (show_main_window (app));
  page = photoseal_window_get_compose_page (window);

  for (int i = 6; i < argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (argv[i]);
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0,
                                                     NULL, NULL);

      total += g_file_info_get_size (info);
      g_ptr_array_add (files, g_steal_pointer (&file));
    }
  g_object_set_data (G_OBJECT (page), "want", GUINT_TO_POINTER (argc - 6));

  g_timeout_add (1, stall_probe, NULL);
  start = g_get_monotonic_time ();
  widget_finder_drop_files (GTK_WIDGET (page), (GFile **) files->pdata, files->len);
  wait_for (has_n_photos, page);
  dropped = g_get_monotonic_time ();
  drop_stall = longest_stall;
  longest_stall = 0;

  gtk_editable_set_text (GTK_EDITABLE (widget_finder_by_id (GTK_WIDGET (page), "recipients_row")),
                         argv[5]);
  gtk_widget_activate_action (GTK_WIDGET (page), "compose.seal", NULL);
  wait_for (is_done, page);
  sealed = g_get_monotonic_time ();

  g_print ("| %d photos, %.1f MB in all | |\n", argc - 6, total / 1e6);
  g_print ("| drop → %d thumbnails shown | %.0f ms |\n", argc - 6, (dropped - start) / 1e3);
  g_print ("| Seal → sealed file (key created on the server, scrubbed, encrypted) "
           "| %.0f ms (%.0f MB/s) |\n",
           (sealed - dropped) / 1e3, total / ((sealed - dropped) / 1e6) / 1e6);
  g_print ("| drop → sealed file | %.0f ms |\n", (sealed - start) / 1e3);
  g_print ("| longest main-loop stall while thumbnails load (1 ms probe) | %.1f ms |\n",
           drop_stall / 1e3);
  g_print ("| longest main-loop stall while sealing (1 ms probe) | %.1f ms |\n",
           longest_stall / 1e3);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!photoseal_open_job_run_finish (PHOTOSEAL_OPEN_JOB (object), result, &error))
    g_error ("open: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

static int
open_file (char **argv)
{
  g_autoptr(PhotosealApplication) app = photoseal_application_new (G_APPLICATION_NON_UNIQUE);
  g_autoptr(PhotosealOpenJob) job = NULL;
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[5]);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL,
                                                 NULL);
  gboolean signed_in = FALSE, opened = FALSE;
  struct rusage before, after;
  gint64 start;

  g_application_register (G_APPLICATION (app), NULL, NULL);
  photoseal_user_sign_in_async (photoseal_application_get_user (app), argv[2], argv[3], argv[4],
                                TRUE, NULL, signed_in_cb, &signed_in);
  iterate_until (&signed_in);

  job = photoseal_open_job_new (file, photoseal_application_get_user (app), NULL);
  /* GTK and the GL driver it loads hold most of the memory before the file
   * is touched: both peaks are printed. */
  getrusage (RUSAGE_SELF, &before);
  start = g_get_monotonic_time ();
  photoseal_open_job_run_async (job, NULL, opened_cb, &opened);
  iterate_until (&opened);
  getrusage (RUSAGE_SELF, &after);
  g_print ("| open a %.0f MB file as the viewer does (release + decrypt + check) "
           "| %.0f ms, %.2f CPU s, peak RSS %ld MiB (%ld MiB before the open) |\n",
           g_file_info_get_size (info) / 1e6, (g_get_monotonic_time () - start) / 1e3,
           cpu_seconds (&after) - cpu_seconds (&before), after.ru_maxrss / 1024,
           before.ru_maxrss / 1024);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  gtk_init ();
  adw_init ();
  if (sodium_init () < 0)
    return 1;

  if (argc == 2 && g_str_equal (argv[1], "first-frame"))
    return first_frame ();
  if (argc >= 7 && g_str_equal (argv[1], "seal"))
    return seal (argc, argv);
  if (argc == 6 && g_str_equal (argv[1], "open"))
    return open_file (argv);
  g_printerr ("usage: app-bench first-frame | seal ORIGIN EMAIL PASSWORD RECIPIENT PHOTO… |\n"
              "                 open ORIGIN EMAIL PASSWORD FILE.psf\n");
  return 2;
}
