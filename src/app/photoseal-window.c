/* photoseal-window.c: the main window: sign in, seal, sent files
 *
 * One state, the page, follows the user: loading until the keyring has
 * answered, welcome (sign in) when there is no session, main (Seal and
 * Sent) otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-window"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-account-button.h"
#include "photoseal-alert.h"
#include "photoseal-sent-page.h"
#include "photoseal-sign-in-page.h"
#include "photoseal-toast.h"
#include "photoseal-window.h"

struct _PhotosealWindow
{
  AdwApplicationWindow parent_instance;

  PhotosealUser *user;
  GSettings *settings;
  PhotosealWindowPage page;
  gboolean close_confirmed;

  AdwToastOverlay *toast_overlay;
  GtkStack *main_stack;
  PhotosealSignInPage *sign_in_page;
  AdwHeaderBar *header_bar;
  PhotosealAccountButton *account_button;
  GtkWidget *title;
  AdwViewStack *view_stack;
  AdwViewSwitcherBar *switcher_bar;
  PhotosealComposePage *compose_page;
  PhotosealSentPage *sent_page;

  /* See keep_focus_across_breakpoint(). */
  GtkWidget *settled_focus;
  GtkWidget *lost_focus;
  guint lost_focus_frames;
};

G_DEFINE_ENUM_TYPE (PhotosealWindowPage, photoseal_window_page,
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_WINDOW_PAGE_LOADING, "loading"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_WINDOW_PAGE_WELCOME, "welcome"),
                    G_DEFINE_ENUM_VALUE (PHOTOSEAL_WINDOW_PAGE_MAIN, "main"))

G_DEFINE_FINAL_TYPE (PhotosealWindow, photoseal_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The stack's child for each page, in the order of PhotosealWindowPage. */
static const char *page_names[] = { "loading", "welcome", "main" };

#if ADW_CHECK_VERSION (1, 4, 0)

static void
grab_focus_without_selecting (GtkWidget *widget)
{
  if (GTK_IS_TEXT (widget))
    gtk_text_grab_focus_without_selecting (GTK_TEXT (widget));
  else
    gtk_widget_grab_focus (widget);
}

/* The focus of the last frame drawn is the one a person sees. */
static void
after_paint_cb (GdkFrameClock   *frame_clock,
                PhotosealWindow *self)
{
  if (self->lost_focus != NULL)
    {
      if (gtk_widget_get_mapped (self->lost_focus))
        grab_focus_without_selecting (self->lost_focus);
      else if (++self->lost_focus_frames < 10)
        return; /* hidden for a frame or two */
      g_clear_weak_pointer (&self->lost_focus);
    }
  g_set_weak_pointer (&self->settled_focus, gtk_root_get_focus (GTK_ROOT (self)));
}

static void
breakpoint_changed_cb (PhotosealWindow *self)
{
  g_set_weak_pointer (&self->lost_focus, self->settled_focus);
  self->lost_focus_frames = 0;
}

static void
realize_cb (PhotosealWindow *self)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (after_paint_cb), self, 0);
}

/* libadwaita hides the window's content for a frame while a breakpoint
 * changes the layout, and GTK then moves the focus to the first field:
 * someone typing a code as they narrow the window would type it into the
 * server address. The window puts the focus back where it was, without
 * selecting the text typed so far. */
static void
keep_focus_across_breakpoint (PhotosealWindow *self,
                              AdwBreakpoint   *breakpoint)
{
  g_signal_connect_object (breakpoint, "apply", G_CALLBACK (breakpoint_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (breakpoint, "unapply", G_CALLBACK (breakpoint_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self, "realize", G_CALLBACK (realize_cb), NULL);
}

/* The view switcher sits in the header bar when there is room; below
 * 550sp it moves to the bottom and the header shows the account. */
static void
add_view_switcher (PhotosealWindow *self)
{
  GtkWidget *switcher = adw_view_switcher_new ();
  AdwBreakpoint *narrow;

  adw_view_switcher_set_stack (ADW_VIEW_SWITCHER (switcher), self->view_stack);
  adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (switcher), ADW_VIEW_SWITCHER_POLICY_WIDE);
  adw_header_bar_set_title_widget (self->header_bar, switcher);
  self->title = g_object_ref_sink (adw_window_title_new ("Photoseal", NULL));
  narrow = adw_breakpoint_new (adw_breakpoint_condition_parse ("max-width: 550sp"));
  adw_breakpoint_add_setters (narrow,
                              G_OBJECT (self->header_bar), "title-widget", self->title,
                              G_OBJECT (self->switcher_bar), "reveal", TRUE,
                              NULL);
  keep_focus_across_breakpoint (self, narrow);
  adw_application_window_add_breakpoint (ADW_APPLICATION_WINDOW (self), narrow);
}

static void
set_subtitle (PhotosealWindow *self,
              const char      *subtitle)
{
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->title), subtitle);
}

#else

/* Debian 12's libadwaita 1.2: AdwViewSwitcherTitle shows the switcher or,
 * when narrow, the title, and then the bottom bar takes the switcher. */
static void
add_view_switcher (PhotosealWindow *self)
{
  self->title = g_object_ref_sink (adw_view_switcher_title_new ());
  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (self->title), self->view_stack);
  adw_view_switcher_title_set_title (ADW_VIEW_SWITCHER_TITLE (self->title), "Photoseal");
  adw_header_bar_set_title_widget (self->header_bar, self->title);
  g_object_bind_property (self->title, "title-visible", self->switcher_bar, "reveal",
                          G_BINDING_SYNC_CREATE);
}

static void
set_subtitle (PhotosealWindow *self,
              const char      *subtitle)
{
  adw_view_switcher_title_set_subtitle (ADW_VIEW_SWITCHER_TITLE (self->title), subtitle);
}

#endif

static void
update_page (PhotosealWindow *self)
{
  PhotosealWindowPage previous = self->page;

  g_assert (PHOTOSEAL_IS_WINDOW (self));

  if (!photoseal_user_get_ready (self->user))
    self->page = PHOTOSEAL_WINDOW_PAGE_LOADING;
  else if (!photoseal_user_get_signed_in (self->user))
    self->page = PHOTOSEAL_WINDOW_PAGE_WELCOME;
  else
    self->page = PHOTOSEAL_WINDOW_PAGE_MAIN;

  if (self->page == PHOTOSEAL_WINDOW_PAGE_MAIN)
    {
      g_autofree char *subtitle = g_strdup_printf ("%s — %s",
                                                   photoseal_user_get_email (self->user),
                                                   photoseal_user_get_origin (self->user));
      set_subtitle (self, subtitle);
    }
  gtk_stack_set_visible_child_name (self->main_stack, page_names[self->page]);
  if (self->page != previous)
    photoseal_toast_dismiss_all (self->toast_overlay);
  /* A new page starts with the focus in its first field, not wherever
   * GTK's focus chain lands (a header-bar button). */
  if (self->page != previous && self->page == PHOTOSEAL_WINDOW_PAGE_WELCOME)
    photoseal_sign_in_page_focus_first_field (self->sign_in_page);
  else if (self->page != previous && self->page == PHOTOSEAL_WINDOW_PAGE_MAIN)
    photoseal_compose_page_focus_first_field (self->compose_page);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static void
visible_view_cb (PhotosealWindow *self)
{
  g_assert (PHOTOSEAL_IS_WINDOW (self));

  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "sent") == 0)
    photoseal_sent_page_reload (self->sent_page);
}

static void
close_response_cb (GtkWidget       *dialog,
                   const char      *response,
                   PhotosealWindow *self)
{
  g_assert (PHOTOSEAL_IS_WINDOW (self));

  if (g_strcmp0 (response, "stop") != 0 && g_strcmp0 (response, "close") != 0)
    return;
  if (g_strcmp0 (response, "stop") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->compose_page), "compose.cancel", NULL);
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
photoseal_window_close_request (GtkWindow *window)
{
  PhotosealWindow *self = PHOTOSEAL_WINDOW (window);
  gboolean busy = FALSE;
  GtkWidget *dialog;
  int width, height;

  g_object_get (self->compose_page, "busy", &busy, NULL);
  if (busy && !self->close_confirmed)
    {
      dialog = photoseal_alert_new (_("Stop Sealing?"),
                                    _("The photos are not sealed yet. If you close the window, "
                                      "no sealed file is made."),
                                    _("_Keep Sealing"), "stop", _("_Stop and Close"));
      g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self, 0);
      photoseal_alert_present (dialog, GTK_WIDGET (self));
      return TRUE;
    }
  /* The access code is shown once: closing before copying it loses it. */
  if (photoseal_compose_page_get_code_pending (self->compose_page) && !self->close_confirmed)
    {
      dialog = photoseal_alert_new (_("Access Code Not Copied"),
                                    _("The access code is shown only now. Without it, "
                                      "recipients without an account cannot open the file."),
                                    _("_Back to the Code"), "close", _("_Close"));
      g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self, 0);
      photoseal_alert_present (dialog, GTK_WIDGET (self));
      return TRUE;
    }

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (photoseal_window_parent_class)->close_request (window);
}

static void
photoseal_window_dispose (GObject *object)
{
  PhotosealWindow *self = (PhotosealWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), PHOTOSEAL_TYPE_WINDOW);
  g_clear_weak_pointer (&self->settled_focus);
  g_clear_weak_pointer (&self->lost_focus);
  g_clear_object (&self->title);
  g_clear_object (&self->user);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (photoseal_window_parent_class)->dispose (object);
}

static void
photoseal_window_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PhotosealWindow *self = PHOTOSEAL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_enum (value, self->page);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_window_class_init (PhotosealWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = photoseal_window_dispose;
  object_class->get_property = photoseal_window_get_property;
  window_class->close_request = photoseal_window_close_request;

  properties[PROP_PAGE] =
    g_param_spec_enum ("page", NULL, NULL, PHOTOSEAL_TYPE_WINDOW_PAGE,
                       PHOTOSEAL_WINDOW_PAGE_LOADING,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PHOTOSEAL_TYPE_SIGN_IN_PAGE);
  g_type_ensure (PHOTOSEAL_TYPE_COMPOSE_PAGE);
  g_type_ensure (PHOTOSEAL_TYPE_SENT_PAGE);
  g_type_ensure (PHOTOSEAL_TYPE_ACCOUNT_BUTTON);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/photoseal/Photoseal/photoseal-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PhotosealWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PhotosealWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, PhotosealWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PhotosealWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PhotosealWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, PhotosealWindow, compose_page);
  gtk_widget_class_bind_template_child (widget_class, PhotosealWindow, sent_page);
  gtk_widget_class_bind_template_callback (widget_class, visible_view_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
}

static void
photoseal_window_init (PhotosealWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_view_switcher (self);

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

PhotosealWindow *
photoseal_window_new (GtkApplication *application,
                      PhotosealUser  *user)
{
  PhotosealWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PHOTOSEAL_IS_USER (user), NULL);

  self = g_object_new (PHOTOSEAL_TYPE_WINDOW, "application", application, NULL);
  self->user = g_object_ref (user);
  photoseal_sign_in_page_set_user (self->sign_in_page, user);
  photoseal_compose_page_set_user (self->compose_page, user);
  photoseal_sent_page_set_user (self->sent_page, user);
  photoseal_account_button_set_user (self->account_button, user);
  g_signal_connect_object (user, "notify::ready", G_CALLBACK (update_page), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (user, "notify::signed-in", G_CALLBACK (update_page), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (user, "notify::origin", G_CALLBACK (update_page), self,
                           G_CONNECT_SWAPPED);
  update_page (self);
  return self;
}

PhotosealComposePage *
photoseal_window_get_compose_page (PhotosealWindow *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_WINDOW (self), NULL);

  return self->compose_page;
}

PhotosealWindowPage
photoseal_window_get_page (PhotosealWindow *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_WINDOW (self), PHOTOSEAL_WINDOW_PAGE_LOADING);

  return self->page;
}
