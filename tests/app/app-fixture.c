/* app-fixture.c: helpers shared by the app tests (see app-fixture.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "app-fixture.h"

gboolean
keep_ticking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Set-up, not input: puts @text in the field @id at once. Tests of the
 * field itself type into it (retype()). */
void
type_into (GtkWidget  *root,
           const char *id,
           const char *text)
{
  GtkWidget *entry = widget_finder_by_id (root, id);

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}


/* The X window of @native's surface, as xdotool takes it. */
static char *
xid_of (GtkNative *native)
{
  /* GTK 4.18 deprecates its X11 calls without a replacement, and Xvfb is
   * X11. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GdkSurface *surface = gtk_native_get_surface (native);

  return g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
run_xdotool (const char * const *argv)
{
  g_autofree char *errors = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                NULL, NULL, &errors, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("xdotool failed: %s", errors);
  /* Let the app handle the input before the test looks. */
  settle ();
}

/* Scrolls the nearest scrolled window so that @widget is in view. */
static void
scroll_into_view (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_point_t point;

  if (scroller == NULL)
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_true (gtk_widget_compute_point (
    widget, scroller, &GRAPHENE_POINT_INIT (0, gtk_widget_get_height (widget) / 2.f), &point));
  if (point.y < 0 || point.y > gtk_widget_get_height (scroller))
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + point.y
                                              - gtk_widget_get_height (scroller) / 2.0);
      settle ();
    }
}

/* Real key presses: xdotool gives @window the X input focus, then sends
 * @keys (xdotool names, e.g. "ctrl+Return") through XTEST, so they arrive
 * as a person's would, to whatever has focus in the window. */
void
press_keys (GtkWidget  *window,
            const char *keys)
{
  g_autofree char *xid = NULL;

  WAIT_FOR (gtk_widget_get_mapped (window));
  xid = xid_of (GTK_NATIVE (window));
  run_xdotool ((const char *[]) { "xdotool", "windowfocus", "--sync", xid, "key",
                                  "--clearmodifiers", keys, NULL });
}

/* Real typing into @widget: unless the focus is already inside it (a
 * window, or a page whose field was clicked), @widget takes it first; then
 * xdotool types @text as key presses, through the X server. */
void
type_text (GtkWidget  *widget,
           const char *text)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GtkWidget *focus;
  g_autofree char *xid = NULL;

  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (native)));
  focus = gtk_root_get_focus (GTK_ROOT (gtk_widget_get_root (widget)));
  if (focus == NULL || (focus != widget && !gtk_widget_is_ancestor (focus, widget)))
    g_assert_true (gtk_widget_grab_focus (widget));
  xid = xid_of (native);
  run_xdotool ((const char *[]) { "xdotool", "windowfocus", "--sync", xid, "type", "--delay", "10",
                                  "--clearmodifiers", text, NULL });
}

/* Clicks into the field @id under @root, selects what is there and types
 * @text over it, as a person would. */
void
retype (GtkWidget  *root,
        const char *id,
        const char *text)
{
  GtkWidget *field = widget_finder_by_id (root, id);

  click_widget (field);
  WAIT_FOR (focus_within (root, id));
  press_keys (GTK_WIDGET (gtk_widget_get_root (root)), "ctrl+a");
  press_keys (GTK_WIDGET (gtk_widget_get_root (root)), "BackSpace");
  type_text (root, text);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field)), ==, text);
}

/* A real click, through the X server, in the middle of @widget (scrolled
 * into view first): it lands on whatever is there, as a person's would,
 * so a hidden or covered widget is not clicked. */
void
click_widget (GtkWidget *widget)
{
  GtkNative *native;
  graphene_point_t point;
  g_autofree char *xid = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  double dx, dy;

  WAIT_FOR (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0);
  /* A page that just appeared may still be moving. */
  settle ();
  scroll_into_view (widget);
  native = gtk_widget_get_native (widget);
  g_assert_true (
    gtk_widget_compute_point (widget, GTK_WIDGET (native),
                              &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.f,
                                                    gtk_widget_get_height (widget) / 2.f),
                              &point));
  /* Widget coordinates start inside the window's shadow (CSD). */
  gtk_native_get_surface_transform (native, &dx, &dy);
  xid = xid_of (native);
  x = g_strdup_printf ("%d", (int) (point.x + dx));
  y = g_strdup_printf ("%d", (int) (point.y + dy));
  run_xdotool ((const char *[]) { "xdotool", "windowfocus", "--sync", xid, "mousemove",
                                  "--window", xid, "--sync", x, y, "click", "1", NULL });
}

/* The size of @window's content, once it has one (a window just shown may
 * not have been laid out yet). */
void
get_content_size (GtkWidget *window,
                  int       *width,
                  int       *height)
{
  WAIT_FOR (gtk_widget_get_mapped (window) && gtk_widget_get_width (window) > 0);
  settle ();
  *width = gtk_widget_get_width (window);
  *height = gtk_widget_get_height (window);
}

/* Resizes @window as a person would, so that its content is @width ×
 * @height: the size asked of the window counts the client-side
 * decoration's margins, which are not the app's to lay out. */
void
resize_window (GtkWidget *window,
               int        width,
               int        height)
{
  GdkSurface *surface;
  int frame_width, frame_height;
  gboolean held;

  g_assert_cmpint (width, >, 0);
  /* A window just shown or resized may not have its new size yet. */
  WAIT_FOR (gtk_widget_get_mapped (window));
  settle ();
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  frame_width = gdk_surface_get_width (surface) - gtk_widget_get_width (window);
  frame_height = gdk_surface_get_height (surface) - gtk_widget_get_height (window);
  gtk_window_set_default_size (GTK_WINDOW (window), width + frame_width, height + frame_height);
  WAIT_AT_MOST (10, gtk_widget_get_width (window) == width, held);
  if (!held)
    g_error ("The window is %d px wide, not %d (its frame %d px)", gtk_widget_get_width (window),
             width, frame_width);
  settle ();
}

/* A screenshot of @window at @width (its height kept), then back.
 * libadwaita 1.2's AdwViewSwitcherBar, revealed below 550sp, allocates its
 * box a height of -1 on GTK 4.8 and GTK warns (see test_narrow):
 * libadwaita's bug, not the app's, so warnings are not fatal there. GTK
 * logs structured, which g_test_log_set_fatal_handler () cannot filter.
 * Later libadwaita has no such bug, so a page wider than the window fails. */
void
save_screenshot_at_width (GtkWidget  *window,
                          int         width,
                          const char *name)
{
#if !ADW_CHECK_VERSION (1, 4, 0)
  GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
#endif
  int old_width = gtk_widget_get_width (window);
  int old_height = gtk_widget_get_height (window);

  resize_window (window, width, old_height);
  save_screenshot (window, name);
  resize_window (window, old_width, old_height);
#if !ADW_CHECK_VERSION (1, 4, 0)
  g_log_set_always_fatal (fatal);
#endif
}

/* Setup for tests about something else: consent not obtained, no patient. */
void
set_up_consent (GtkWidget *page)
{
  gtk_check_button_set_active (GTK_CHECK_BUTTON (widget_finder_by_id (page, "none_check")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (widget_finder_by_id (page, "no_patient_check")),
                               TRUE);
}

gboolean
focus_within (GtkWidget  *root,
              const char *id)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (gtk_widget_get_root (root)));
  GtkWidget *widget = widget_finder_by_id (root, id);

  return focus != NULL && widget != NULL
         && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Sets the compose page's recipients, then waits for their lookup: the
 * rows it adds move the form below them, Seal included. */
void
type_recipients (PhotosealComposePage *page,
                 const char           *text)
{
  PhotosealRecipientEditor *editor = NULL;

  type_into (GTK_WIDGET (page), "recipients_row", text);
  editor = PHOTOSEAL_RECIPIENT_EDITOR (find_descendant (GTK_WIDGET (page),
                                                        PHOTOSEAL_TYPE_RECIPIENT_EDITOR));
  WAIT_FOR (!photoseal_recipient_editor_get_looking_up (editor));
  settle ();
}

/* Lets pending idles run and the frame settle, e.g. before a screenshot. */
void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 300 * 1000;

  WAIT_FOR (g_get_monotonic_time () > until);
}

/* The window's current frame as a render node, or %NULL while it has not
 * been mapped and drawn yet. */
GskRenderNode *
snapshot_window (GtkWidget *window)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;

  if (!gtk_widget_get_mapped (window) || gtk_widget_get_width (window) == 0)
    return NULL;
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window),
                          gtk_widget_get_height (window));
  return gtk_snapshot_free_to_node (snapshot);
}

/* gtk_widget_snapshot → texture → PNG, into the build's test log folder. */
void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  const char *dir = g_getenv ("PHOTOSEAL_SCREENSHOT_DIR");
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  settle ();
  WAIT_FOR ((node = snapshot_window (window)) != NULL);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (window),
                                                              gtk_widget_get_height (window)));
  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

PhotosealWindow *
main_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (PHOTOSEAL_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

PhotosealViewerWindow *
viewer_for (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (PHOTOSEAL_IS_VIEWER_WINDOW (l->data)
        && g_file_equal (photoseal_viewer_window_get_file (l->data), file))
      return l->data;
  return NULL;
}

void
add_account (const char *email,
             const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\",\"name\":\"%s\"}",
                                           email, PASSWORD, name);
  g_autoptr(Reply) reply = keyserver_request (&server, "POST", "/v1/accounts", NULL, body);

  g_assert_cmpuint (reply->status, ==, 201);
}

static void
app_signed_in_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  photoseal_user_sign_in_finish (PHOTOSEAL_USER (object), result, &error);
  g_assert_no_error (error);
}

/* Set-up, not input: the app signs out, then in as @email on @origin. */
void
sign_in_app (const char *origin,
             const char *email)
{
  PhotosealUser *user = photoseal_application_get_user (app);

  photoseal_user_sign_out (user);
  WAIT_FOR (photoseal_window_get_page (main_window ()) == PHOTOSEAL_WINDOW_PAGE_WELCOME);
  photoseal_user_sign_in_async (user, origin, email, PASSWORD, TRUE, NULL, app_signed_in_cb, NULL);
  WAIT_FOR (photoseal_window_get_page (main_window ()) == PHOTOSEAL_WINDOW_PAGE_MAIN);
}

PhotosealKeyserverClient *
signed_in_client (const char *email)
{
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = photoseal_keyserver_client_new (server.base_url, &error);
  g_assert_no_error (error);
  photoseal_keyserver_client_sign_in (client, email, PASSWORD, "test", NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

/* A second real photo: gdk-pixbuf writes a JPEG of a gradient. */
char *
write_gradient_jpeg (const char *name)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 320, 240);
  g_autofree char *path = g_build_filename (work_dir, name, NULL);
  g_autoptr(GError) error = NULL;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < 240; y++)
    for (int x = 0; x < 320; x++)
      {
        pixels[y * stride + x * 3] = x * 255 / 320;
        pixels[y * stride + x * 3 + 1] = y * 255 / 240;
        pixels[y * stride + x * 3 + 2] = 128;
      }
  gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "90", NULL);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

PhotosealViewerWindow *
open_in_app (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PhotosealViewerWindow *viewer;

  g_application_open (G_APPLICATION (app), &file, 1, "");
  viewer = viewer_for (path);
  g_assert_nonnull (viewer);
  WAIT_FOR (photoseal_viewer_window_get_state (viewer) != PHOTOSEAL_VIEWER_STATE_LOADING);
  return viewer;
}

char *
key_id_of (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(GInputStream) buffered = g_buffered_input_stream_new (G_INPUT_STREAM (in));
  g_autoptr(PhotosealAgeHeader) header = NULL;
  g_autofree char *origin = NULL;
  char *key_id = NULL;

  header = photoseal_age_header_read (G_BUFFERED_INPUT_STREAM (buffered), NULL, NULL);
  g_assert_nonnull (header);
  g_assert_true (photoseal_server_key_stanza_parse (
                   g_ptr_array_index (photoseal_age_header_get_stanzas (header), 0),
                   &key_id, &origin, NULL));
  return key_id;
}

/* Seals one photo through @origin's key (made by @client), offline. */
/* Seals a photo with the library, as @client's account, for
 * @recipient_email, naming @origin in the stanza; with @expires, an access
 * code and a manifest sender of @sender_name and @sender_email (a claim
 * the key server knows nothing of) when they are not %NULL. */
static char *
seal_for (PhotosealKeyserverClient  *client,
          const char                *origin,
          const char                *name,
          const char                *recipient_email,
          GDateTime                 *expires,
          char                     **access_code,
          const char                *sender_name,
          const char                *sender_email)
{
  g_autoptr(PhotosealSealer) sealer = photoseal_sealer_new ();
  g_autoptr(PhotosealServerKeyRecipient) recipient = NULL;
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *photo = write_gradient_jpeg ("for-library.jpg");
  g_autoptr(GFile) photo_file = g_file_new_for_path (photo);
  char *path = g_build_filename (work_dir, name, NULL);
  g_autoptr(GFile) output = g_file_new_for_path (path);
  const char *recipients[] = { recipient_email, NULL };

  key = photoseal_keyserver_client_create_key (client, recipients, expires, access_code != NULL,
                                               NULL, &error);
  g_assert_no_error (error);
  if (access_code != NULL)
    *access_code = g_strdup (key->access_code);
  recipient = photoseal_server_key_recipient_new (key->key_id, origin, key->server_key, &error);
  g_assert_no_error (error);
  photoseal_sealer_add_recipient (sealer, PHOTOSEAL_RECIPIENT (recipient));
  photoseal_sealer_add_file (sealer, photo_file);
  if (sender_email != NULL)
    photoseal_manifest_set_sender (photoseal_sealer_get_manifest (sealer), sender_name,
                                   sender_email);
  photoseal_sealer_seal_to_file (sealer, output, NULL, &error);
  g_assert_no_error (error);
  return path;
}

char *
seal_with_library_as (PhotosealKeyserverClient *client,
                      const char               *name,
                      const char               *recipient_email,
                      GDateTime                *expires,
                      const char               *sender_name,
                      const char               *sender_email)
{
  return seal_for (client, server.base_url, name, recipient_email, expires, NULL, sender_name,
                   sender_email);
}

char *
seal_with_library_full (PhotosealKeyserverClient *client,
                        const char               *origin,
                        const char               *name,
                        const char               *recipient_email,
                        char                    **access_code)
{
  return seal_for (client, origin, name, recipient_email, NULL, access_code, NULL, NULL);
}

char *
seal_with_library (PhotosealKeyserverClient *client,
                   const char               *origin,
                   const char               *name)
{
  return seal_with_library_full (client, origin, name, "bob@example.org", NULL);
}

guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* The first button labelled @label under @widget; with @drawn_only, the
 * first one on screen: since libadwaita 1.5 an alert is drawn inside the
 * window, whose pages may hold a hidden button with the same label. */
static GtkWidget *
find_button_where (GtkWidget  *widget,
                   const char *label,
                   gboolean    drawn_only)
{
  if (GTK_IS_BUTTON (widget) && (!drawn_only || gtk_widget_is_drawable (widget))
      && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_where (child, label, drawn_only);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  return find_button_where (widget, label, FALSE);
}

guint
count_keys_with_status (PhotosealKeyserverClient *client,
                        const char               *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) keys = photoseal_keyserver_client_list_keys (client, NULL, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(PhotosealKeyInfo) key = g_list_model_get_item (keys, i);

      if (g_strcmp0 (photoseal_key_info_get_status (key), status) == 0)
        n++;
    }
  return n;
}

GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A widget of @type in a visible window, or that window itself: dialogs are
 * windows on Debian 12 and live inside the main window from libadwaita 1.5.
 * Under Xvfb without a window manager, the active window does not follow new
 * windows, so every toplevel is searched. */
GtkWidget *
find_widget (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      GtkWidget *found = gtk_widget_get_visible (window) ? find_descendant (window, type) : NULL;

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A visible window of @type; under Xvfb without a window manager, the
 * active window does not follow new windows. */
GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }
  return NULL;
}

/* An answer of the alert, AdwAlertDialog inside the window or AdwMessageDialog
 * beside it (see photoseal-alert.c), found the way a person finds it. */
GtkWidget *
find_alert_button (const char *label)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      GtkWidget *button = gtk_widget_get_visible (window)
                          ? find_button_where (window, label, TRUE) : NULL;

      if (button != NULL)
        return button;
    }
  return NULL;
}

/* The first label under @root whose shown text contains @needle, or %NULL. */
GtkWidget *
find_label_containing (GtkWidget  *root,
                       const char *needle)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), needle) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_containing (child, needle);

      if (found != NULL)
        return found;
    }
  return NULL;
}

const char *
label_containing (GtkWidget  *root,
                  const char *needle)
{
  GtkWidget *label = find_label_containing (root, needle);

  return label ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}
