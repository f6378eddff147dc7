/* photoseal-application.c: the Photoseal application
 *
 * Activating shows the main window (sign in, seal, sent files); opening
 * files (double-click, "photoseal FILE.psf") shows one viewer window per
 * file. The session is restored from the keyring once, at start-up.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-application"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-application.h"
#include "photoseal-file-chooser.h"
#include "photoseal-preferences-window.h"
#include "photoseal-viewer-window.h"
#include "photoseal-window.h"

struct _PhotosealApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  PhotosealUser *user;
};

G_DEFINE_FINAL_TYPE (PhotosealApplication, photoseal_application, ADW_TYPE_APPLICATION)

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PhotosealApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_APPLICATION (self));

  /* Without a Secret Service the person simply signs in again. */
  if (!photoseal_user_restore_finish (PHOTOSEAL_USER (object), result, &error) && error != NULL)
    g_message ("No saved session: %s", error->message);
}

static void
photoseal_application_startup (GApplication *application)
{
  PhotosealApplication *self = PHOTOSEAL_APPLICATION (application);

  G_APPLICATION_CLASS (photoseal_application_parent_class)->startup (application);

  self->settings = g_settings_new (APP_ID);
  self->user = photoseal_user_new (self->settings);
  photoseal_user_restore_async (self->user, NULL, restored_cb, g_object_ref (self));
}

static PhotosealWindow *
find_main_window (PhotosealApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (PHOTOSEAL_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
photoseal_application_activate (GApplication *application)
{
  PhotosealApplication *self = PHOTOSEAL_APPLICATION (application);
  PhotosealWindow *window = find_main_window (self);

  if (window == NULL)
    window = photoseal_window_new (GTK_APPLICATION (self), self->user);
  gtk_window_present (GTK_WINDOW (window));
}

static void
photoseal_application_open (GApplication  *application,
                            GFile        **files,
                            int            n_files,
                            const char    *hint)
{
  PhotosealApplication *self = PHOTOSEAL_APPLICATION (application);

  for (int i = 0; i < n_files; i++)
    {
      PhotosealViewerWindow *viewer = NULL;

      /* A file already open is brought forward, not opened twice. */
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
        if (PHOTOSEAL_IS_VIEWER_WINDOW (l->data)
            && g_file_equal (photoseal_viewer_window_get_file (l->data), files[i]))
          viewer = l->data;
      if (viewer == NULL)
        viewer = photoseal_viewer_window_new (GTK_APPLICATION (self), self->user, files[i]);
      gtk_window_present (GTK_WINDOW (viewer));
    }
}

static void
photoseal_application_shutdown (GApplication *application)
{
  PhotosealApplication *self = PHOTOSEAL_APPLICATION (application);

  G_APPLICATION_CLASS (photoseal_application_parent_class)->shutdown (application);

  g_clear_object (&self->user);
  g_clear_object (&self->settings);
}

static void
photoseal_application_class_init (PhotosealApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = photoseal_application_startup;
  app_class->activate = photoseal_application_activate;
  app_class->open = photoseal_application_open;
  app_class->shutdown = photoseal_application_shutdown;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  PhotosealApplication *self = user_data;
  const char *developers[] = { "The Photoseal developers", NULL };

  /* AdwAboutDialog is libadwaita 1.5's; the window is deprecated there. */
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_show_about_dialog (GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (self))),
#else
  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
#endif
                         "application-name", "Photoseal",
                         "application-icon", APP_ID,
                         "developer-name", _("The Photoseal developers"),
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/photoseal/photoseal",
                         "issue-url", "https://github.com/photoseal/photoseal/issues",
                         "comments", _("Photos sealed so that only the people you name can open "
                                       "them. The key is kept by your organisation’s key server, "
                                       "never beside the photos."),
                         "developers", developers,
                         "copyright", "© 2026 The Photoseal developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PhotosealApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  photoseal_preferences_window_present (parent, self->user);
}

static void
file_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PhotosealApplication) self = user_data;
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GFile) file = NULL;

  g_assert (PHOTOSEAL_IS_APPLICATION (self));

  if ((files = photoseal_file_chooser_run_finish (result, NULL))
      && (file = g_list_model_get_item (files, 0)))
    g_application_open (G_APPLICATION (self), &file, 1, "");
}

static void
open_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  PhotosealApplication *self = user_data;

  photoseal_file_chooser_run_async (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                    PHOTOSEAL_FILE_CHOOSER_OPEN_SEALED, _("Open Sealed File"),
                                    NULL, file_chosen_cb, g_object_ref (self));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  PhotosealApplication *self = user_data;
  GList *windows;

  g_assert (PHOTOSEAL_IS_APPLICATION (self));

  /* Closing a window takes it out of the application's list: walk a copy.
   * Closing each lets one that is sealing ask first. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l; l = l->next)
    g_object_ref (l->data);
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "open", open_action },
  { "quit", quit_action },
};

static void
photoseal_application_init (PhotosealApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.open",
                                         (const char *[]) { "<Control><Shift>o", NULL });
}

PhotosealApplication *
photoseal_application_new (GApplicationFlags flags)
{
  return g_object_new (PHOTOSEAL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/photoseal/Photoseal",
                       NULL);
}

PhotosealUser *
photoseal_application_get_user (PhotosealApplication *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_APPLICATION (self), NULL);

  return self->user;
}
