/* photoseal-share.c: a sealed file leaves the app
 *
 * Through the portals (libportal), so the same code works inside Flatpak
 * with no access to the home folder: the email portal receives the file
 * itself, the OpenURI portal shows its folder (or, without the portal,
 * the default file manager does). A sealed file is safe to
 * hand to any of them: it is useless without its key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-share"

#include "config.h"

#include <glib/gi18n.h>
#include <libportal-gtk4/portal-gtk4.h>

#include "photoseal.h"
#include "photoseal-share.h"

static XdpPortal *
default_portal (void)
{
  static XdpPortal *portal;

  if (g_once_init_enter (&portal))
    g_once_init_leave (&portal, xdp_portal_new ());
  return portal;
}

static void
email_composed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (xdp_portal_compose_email_finish (XDP_PORTAL (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * photoseal_share_by_email_async:
 *
 * Opens a new email in the person's mail client with @file attached and
 * @addresses filled in. Fails when no mail client answers the portal: the
 * caller then offers Save As… and Show in Folder.
 */
void
photoseal_share_by_email_async (GtkWindow           *parent,
                                GFile               *file,
                                const char * const  *addresses,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(XdpParent) xdp_parent = parent ? xdp_parent_new_gtk (parent) : NULL;
  g_autofree char *path = g_file_get_path (file);
  const char *attachments[] = { path, NULL };
  GTask *task = g_task_new (parent, NULL, callback, user_data);

  g_task_set_source_tag (task, photoseal_share_by_email_async);
  xdp_portal_compose_email (default_portal (), xdp_parent, addresses, NULL, NULL,
                            _("Sealed photos"),
                            _("The attached photos are sealed with Photoseal. Open the file with "
                              "Photoseal; it asks the key server for the key, which is released "
                              "only to the recipients named when it was sealed.\n"),
                            attachments, XDP_EMAIL_FLAG_NONE, NULL, email_composed_cb, task);
}

gboolean
photoseal_share_by_email_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
folder_launched_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

#if GTK_CHECK_VERSION (4, 10, 0)
  if (gtk_file_launcher_launch_finish (GTK_FILE_LAUNCHER (object), result, &error))
#else
  if (g_app_info_launch_default_for_uri_finish (result, &error))
#endif
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Without the portal (no xdg-desktop-portal outside a desktop session),
 * the folder itself goes to the default file manager; the file is then
 * not selected, but the person finds it by its name. */
static void
launch_folder (GTask *task)
{
  GFile *file = g_task_get_task_data (task);
  g_autoptr(GFile) folder = g_file_get_parent (file);
#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (folder);

  gtk_file_launcher_launch (launcher, GTK_WINDOW (g_task_get_source_object (task)),
                            g_task_get_cancellable (task), folder_launched_cb, task);
#else
  g_autofree char *uri = g_file_get_uri (folder);

  g_app_info_launch_default_for_uri_async (uri, NULL, g_task_get_cancellable (task),
                                           folder_launched_cb, task);
#endif
}

static void
directory_opened_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (xdp_portal_open_directory_finish (XDP_PORTAL (object), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_debug ("OpenURI portal: %s", error->message);
  launch_folder (g_steal_pointer (&task));
}

/**
 * photoseal_share_show_in_folder_async:
 *
 * Opens the file manager on the folder holding @file: through the OpenURI
 * portal, with @file selected, or else the folder with the default file
 * manager. Fails when neither works, for the caller to say so.
 */
void
photoseal_share_show_in_folder_async (GtkWindow           *parent,
                                      GFile               *file,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(XdpParent) xdp_parent = parent ? xdp_parent_new_gtk (parent) : NULL;
  g_autofree char *uri = g_file_get_uri (file);
  GTask *task = g_task_new (parent, NULL, callback, user_data);

  g_task_set_source_tag (task, photoseal_share_show_in_folder_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  xdp_portal_open_directory (default_portal (), xdp_parent, uri, XDP_OPEN_URI_FLAG_NONE, NULL,
                             directory_opened_cb, task);
}

gboolean
photoseal_share_show_in_folder_finish (GAsyncResult  *result,
                                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Puts @file itself on the clipboard, to paste into a file manager or a
 * mail or chat client. */
void
photoseal_share_copy (GtkWidget *widget,
                      GFile     *file)
{
  GSList files = { .data = file, .next = NULL };
  g_autoptr(GdkContentProvider) provider = NULL;
  GValue value = G_VALUE_INIT;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (&files));
  provider = gdk_content_provider_new_for_value (&value);
  gdk_clipboard_set_content (gtk_widget_get_clipboard (widget), provider);
  g_value_unset (&value);
}

static void
save_copy_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GFile *source = source_object;
  GFile *destination = task_data;
  g_autoptr(PhotosealAtomicFile) output = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  GError *error = NULL;

  if (!(in = g_file_read (source, cancellable, &error))
      || !(output = photoseal_atomic_file_new (destination, &error))
      || g_output_stream_splice (photoseal_atomic_file_get_stream (output), G_INPUT_STREAM (in),
                                 G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, cancellable, &error) < 0
      || !photoseal_atomic_file_commit (output, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Copies @source to @destination atomically: a reader of @destination
 * sees the old file or the whole new one, never a partial copy. */
void
photoseal_share_save_copy_async (GFile               *source,
                                 GFile               *destination,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, NULL, callback, user_data);

  g_task_set_source_tag (task, photoseal_share_save_copy_async);
  g_task_set_task_data (task, g_object_ref (destination), g_object_unref);
  g_task_run_in_thread (task, save_copy_thread);
}

gboolean
photoseal_share_save_copy_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
