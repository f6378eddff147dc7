/* app-fixture.h: what the app tests share
 *
 * The real app under Xvfb (run-app-tests.sh), a real key server started by
 * test-app.c's main, and the helpers every test file uses: waiting on the
 * main loop, real key presses through xdotool, screenshots, and finding
 * widgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "keyserver-fixture.h"
#include "photoseal-account-button.h"
#include "photoseal-application.h"
#include "photoseal-compose-page.h"
#include "photoseal-date-row.h"
#include "photoseal-open-job.h"
#include "photoseal-preferences-window.h"
#include "photoseal-recipient-editor.h"
#include "photoseal-viewer-layout.h"
#include "photoseal-viewer-window.h"
#include "photoseal-window.h"
#include "widget-finder.h"

G_BEGIN_DECLS

#define PASSWORD "correct horse battery"

/* Set up by test-app.c's main before any test runs. */
extern KeyserverFixture server;
extern PhotosealApplication *app;
extern char *work_dir;
/* The file /app/compose sealed, for the viewer tests that follow it. */
extern char *sealed_path;

/* Runs the main loop until @condition holds, failing after a minute. */
#define WAIT_FOR(condition) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + 60 * G_USEC_PER_SEC; \
    guint tick_ = g_timeout_add (20, keep_ticking, NULL); \
    while (!(condition)) \
      { \
        if (g_get_monotonic_time () > deadline_) \
          g_error ("Timed out waiting for %s", #condition); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (tick_); \
  } G_STMT_END

/* Like WAIT_FOR, but gives up after @seconds: @held says whether the
 * condition came true, for a test to assert with a clear message. */
#define WAIT_AT_MOST(seconds, condition, held) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC; \
    guint tick_ = g_timeout_add (20, keep_ticking, NULL); \
    while (!((held) = (condition)) && g_get_monotonic_time () < deadline_) \
      g_main_context_iteration (NULL, TRUE); \
    g_source_remove (tick_); \
  } G_STMT_END

gboolean
keep_ticking (gpointer user_data);

void
type_into (GtkWidget  *root,
           const char *id,
           const char *text);

void
press_keys (GtkWidget  *window,
            const char *keys);

void
type_text (GtkWidget  *widget,
           const char *text);

void
click_widget (GtkWidget *widget);

void
retype (GtkWidget  *root,
        const char *id,
        const char *text);

void
get_content_size (GtkWidget *window,
                  int       *width,
                  int       *height);

void
resize_window (GtkWidget *window,
               int        width,
               int        height);

void
save_screenshot_at_width (GtkWidget  *window,
                          int         width,
                          const char *name);

void
set_up_consent (GtkWidget *page);

gboolean
focus_within (GtkWidget  *root,
              const char *id);

void
settle (void);

void
type_recipients (PhotosealComposePage *page,
                 const char           *text);

GskRenderNode *
snapshot_window (GtkWidget *window);

void
save_screenshot (GtkWidget  *window,
                 const char *name);

PhotosealWindow *
main_window (void);

PhotosealViewerWindow *
viewer_for (const char *path);

void
add_account (const char *email,
             const char *name);

void
sign_in_app (const char *origin,
             const char *email);

PhotosealKeyserverClient *
signed_in_client (const char *email);

char *
write_gradient_jpeg (const char *name);

PhotosealViewerWindow *
open_in_app (const char *path);

char *
key_id_of (const char *path);

char *
seal_with_library_full (PhotosealKeyserverClient *client,
                        const char               *origin,
                        const char               *name,
                        const char               *recipient_email,
                        char                    **access_code);

char *
seal_with_library_as (PhotosealKeyserverClient *client,
                      const char               *name,
                      const char               *recipient_email,
                      GDateTime                *expires,
                      const char               *sender_name,
                      const char               *sender_email);

char *
seal_with_library (PhotosealKeyserverClient *client,
                   const char               *origin,
                   const char               *name);

guint
count_children (GtkWidget *widget);

GtkWidget *
find_button (GtkWidget  *widget,
             const char *label);

guint
count_keys_with_status (PhotosealKeyserverClient *client,
                        const char               *status);

GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type);

GtkWidget *
find_widget (GType type);

GtkWidget *
find_toplevel (GType type);

GtkWidget *
find_alert_button (const char *label);

const char *
label_containing (GtkWidget  *root,
                  const char *needle);

GtkWidget *
find_label_containing (GtkWidget  *root,
                       const char *needle);

G_END_DECLS
