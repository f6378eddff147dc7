/* photoseal-sign-in-page.c: sign in to (or register with) a key server
 *
 * Used on first run, from Preferences to switch server, and by the viewer
 * when a file's key is on a server this device has no session with; there
 * the server is the file's and cannot be edited, and signing in does not
 * change the server the app seals with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sign-in-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "photoseal-sign-in-page.h"

struct _PhotosealSignInPage
{
  AdwBin parent_instance;

  PhotosealUser *user;
  GCancellable *cancellable;
  gboolean registration;
  gboolean for_file;

  AdwStatusPage *status_page;
  AdwEntryRow *server_row;
  AdwEntryRow *name_row;
  AdwEntryRow *email_row;
  AdwPasswordEntryRow *password_row;
  GtkLabel *error_label;
  GtkButton *sign_in_button;
  GtkButton *mode_button;
};

G_DEFINE_FINAL_TYPE (PhotosealSignInPage, photoseal_sign_in_page, ADW_TYPE_BIN)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (PhotosealSignInPage *self,
            const char          *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (PhotosealSignInPage *self,
          gboolean             busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->status_page), !busy);
}

/* Words a person can act on, for the errors a sign-in can meet. */
static char *
describe_error (const GError *error)
{
  if (error->domain != PHOTOSEAL_KEYSERVER_ERROR)
    return g_strdup (error->message);

  switch ((PhotosealKeyserverError) error->code)
    {
    case PHOTOSEAL_KEYSERVER_ERROR_BAD_CREDENTIALS:
      return g_strdup (_("The email or password is not right."));
    case PHOTOSEAL_KEYSERVER_ERROR_THROTTLED:
      return g_strdup (_("Too many attempts. Wait a few minutes, then try again."));
    case PHOTOSEAL_KEYSERVER_ERROR_ACCOUNT_DISABLED:
      return g_strdup (_("This account is disabled. Ask the key server’s administrator."));
    case PHOTOSEAL_KEYSERVER_ERROR_REGISTRATION_CLOSED:
      return g_strdup (_("This key server does not take new accounts. Ask its administrator "
                         "for one."));
    case PHOTOSEAL_KEYSERVER_ERROR_EMAIL_TAKEN:
      return g_strdup (_("There is already an account with this email. Sign in instead."));
    case PHOTOSEAL_KEYSERVER_ERROR_UNREACHABLE:
      return g_strdup_printf (_("The key server could not be reached. Check the address and "
                                "your connection. (%s)"), error->message);
    default:
      return g_strdup (error->message);
    }
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PhotosealSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_SIGN_IN_PAGE (self));

  set_busy (self, FALSE);
  if (!photoseal_user_sign_in_finish (PHOTOSEAL_USER (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = describe_error (error);
      show_error (self, message);
      return;
    }
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  g_signal_emit (self, signals[SIGNED_IN], 0);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhotosealSignInPage *self = PHOTOSEAL_SIGN_IN_PAGE (widget);
  g_autofree char *origin = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(GError) error = NULL;
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  /* A bare host name means HTTPS: plain HTTP is for loopback only. */
  if (*server != '\0' && strstr (server, "://") == NULL)
    server = origin = g_strconcat ("https://", server, NULL);
  if (!(normalized = photoseal_origin_normalize (server, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("The key server address is not valid: %s"),
                                                  error->message);
      show_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }
  if (*email == '\0' || *password == '\0' || (self->registration && *name == '\0'))
    {
      show_error (self, self->registration ? _("Fill in your name, email and password.")
                                           : _("Fill in your email and password."));
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  photoseal_user_sign_in_async (self->user, normalized, email, password,
                                self->registration ? name : NULL, !self->for_file,
                                self->cancellable, signed_in_cb, g_object_ref (self));
}

/* Enter in the password field submits, as the button does. */
static void
password_activated_cb (PhotosealSignInPage *self)
{
  g_assert (PHOTOSEAL_IS_SIGN_IN_PAGE (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.submit", NULL);
}

static void
toggle_register_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PhotosealSignInPage *self = PHOTOSEAL_SIGN_IN_PAGE (widget);

  photoseal_sign_in_page_set_registration (self, !self->registration);
}

static void
photoseal_sign_in_page_dispose (GObject *object)
{
  PhotosealSignInPage *self = (PhotosealSignInPage *)object;

  /* No gtk_widget_dispose_template (): AdwBin unparents its child, the
   * template\'s root, itself; disposing the template too would do it twice. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->user);

  G_OBJECT_CLASS (photoseal_sign_in_page_parent_class)->dispose (object);
}

static void
photoseal_sign_in_page_class_init (PhotosealSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = photoseal_sign_in_page_dispose;

  /**
   * PhotosealSignInPage::signed-in:
   *
   * The session is saved in the keyring.
   */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/photoseal/Photoseal/photoseal-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, mode_button);
  gtk_widget_class_bind_template_callback (widget_class, password_activated_cb);

  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "sign-in.toggle-register", NULL,
                                   toggle_register_action);
}

static void
photoseal_sign_in_page_init (PhotosealSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
photoseal_sign_in_page_set_user (PhotosealSignInPage *self,
                                 PhotosealUser       *user)
{
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *server = NULL;

  g_return_if_fail (PHOTOSEAL_IS_SIGN_IN_PAGE (self));

  g_set_object (&self->user, user);
  settings = g_settings_new (APP_ID);
  server = g_settings_get_string (settings, "server");
  if (!self->for_file)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
}

/**
 * photoseal_sign_in_page_set_origin:
 * @for_file: %TRUE when signing in only to open a file whose key is on
 *   @origin: the server cannot be changed, and does not become the app's
 */
void
photoseal_sign_in_page_set_origin (PhotosealSignInPage *self,
                                   const char          *origin,
                                   gboolean             for_file)
{
  g_autofree char *description = NULL;
  g_autofree char *escaped = g_markup_escape_text (origin, -1);

  g_return_if_fail (PHOTOSEAL_IS_SIGN_IN_PAGE (self));

  self->for_file = for_file;
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), origin);
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !for_file);
  if (for_file)
    {
      adw_status_page_set_title (self->status_page, _("Sign In to Open This File"));
      description = g_strdup_printf (_("The key to this file is on %s. Photoseal has not contacted "
                                       "it: sign in only if you have an account there and trust it."),
                                     escaped);
      adw_status_page_set_description (self->status_page, description);
    }
}

/**
 * photoseal_sign_in_page_focus_first_field:
 *
 * Moves the focus where a person starts typing: the first empty field
 * they can edit (never the server when it is the file's), else the
 * password.
 */
void
photoseal_sign_in_page_focus_first_field (PhotosealSignInPage *self)
{
  GtkWidget *fields[] = { GTK_WIDGET (self->server_row), GTK_WIDGET (self->name_row),
                          GTK_WIDGET (self->email_row) };

  g_return_if_fail (PHOTOSEAL_IS_SIGN_IN_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (gtk_widget_get_visible (fields[i]) && gtk_editable_get_editable (GTK_EDITABLE (fields[i]))
        && *gtk_editable_get_text (GTK_EDITABLE (fields[i])) == '\0')
      {
        gtk_widget_grab_focus (fields[i]);
        return;
      }
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

void
photoseal_sign_in_page_set_registration (PhotosealSignInPage *self,
                                         gboolean             registration)
{
  g_return_if_fail (PHOTOSEAL_IS_SIGN_IN_PAGE (self));

  self->registration = registration;
  gtk_widget_set_visible (GTK_WIDGET (self->name_row), registration);
  gtk_button_set_label (self->sign_in_button, registration ? _("_Create Account") : _("_Sign In"));
  gtk_button_set_label (self->mode_button, registration ? _("I Have an _Account")
                                                        : _("_Create an Account"));
  show_error (self, NULL);
}
