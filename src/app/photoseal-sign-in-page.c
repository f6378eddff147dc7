/* photoseal-sign-in-page.c: sign in to (or create an account on) a key server
 *
 * Used on first run (the welcome page), from Preferences to switch server,
 * and by the viewer when a file's key is on a server this device has no
 * session with; there the server is the file's and cannot be edited, and
 * signing in does not change the server the app seals with (unless no one
 * was signed in here: see photoseal_user_sign_in_async()).
 *
 * Three forms, one PhotosealSignInMode: sign in; ask for a code (the
 * address to prove); and sign up with the code (email, code, name,
 * password), which is also where an invited recipient starts, with the
 * code from the invitation. On a server whose registration is open the
 * code may be left empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sign-in-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "photoseal-sign-in-page.h"

typedef enum
{
  MODE_SIGN_IN,
  MODE_ASK_CODE,
  MODE_SIGN_UP,
} PhotosealSignInMode;

struct _PhotosealSignInPage
{
  AdwBin parent_instance;

  PhotosealUser *user;
  GCancellable *cancellable;
  PhotosealSignInMode mode;
  gboolean for_file;

  AdwStatusPage *status_page;
  GtkLabel *code_label;
  AdwEntryRow *server_row;
  AdwEntryRow *email_row;
  AdwEntryRow *code_row;
  AdwEntryRow *name_row;
  AdwPasswordEntryRow *password_row;
  GtkLabel *error_label;
  GtkButton *sign_in_button;
  GtkButton *mode_button;
  GtkButton *code_button;
  GtkButton *open_button;
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

static void
set_mode (PhotosealSignInPage *self,
          PhotosealSignInMode  mode)
{
  static const char *buttons[] = { N_("_Sign In"), N_("_Send Code"), N_("_Create Account") };
  static const char *code_buttons[] = { N_("I Have an _Invitation Code"),
                                        N_("I Already Have a _Code"), N_("Send a _New Code") };

  self->mode = mode;
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), mode == MODE_SIGN_UP);
  gtk_widget_set_visible (GTK_WIDGET (self->name_row), mode == MODE_SIGN_UP);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), mode != MODE_ASK_CODE);
  gtk_widget_set_visible (GTK_WIDGET (self->code_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), mode == MODE_SIGN_IN && !self->for_file);
  gtk_button_set_label (self->sign_in_button, _(buttons[mode]));
  gtk_button_set_label (self->code_button, _(code_buttons[mode]));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->code_button),
                                  mode == MODE_SIGN_UP ? "sign-in.create-account"
                                                       : "sign-in.have-code");
  gtk_button_set_label (self->mode_button, mode == MODE_SIGN_IN ? _("_Create Account")
                                                                : _("I Have an _Account"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->mode_button),
                                  mode == MODE_SIGN_IN ? "sign-in.create-account"
                                                       : "sign-in.toggle-register");
  show_error (self, NULL);
}

/* The welcome page's title and words for the form shown; the viewer's
 * (for a file) say which server, and stay. */
static void
set_heading (PhotosealSignInPage *self)
{
  if (self->for_file)
    return;
  if (self->mode == MODE_SIGN_IN)
    {
      adw_status_page_set_title (self->status_page, _("Welcome to Photoseal"));
      adw_status_page_set_description (
        self->status_page,
        _("Sign in to your organisation’s key server. It holds the keys to the "
          "photos you seal, and gives them only to the people you name."));
      return;
    }
  adw_status_page_set_title (self->status_page, _("Create an Account"));
  adw_status_page_set_description (self->status_page,
                                   _("The key server mails a code to your address to prove it is "
                                     "yours. Recipients see the name you choose here."));
}

/* Says what went wrong, unless the person cancelled it. */
static void
show_failure (PhotosealSignInPage *self,
              const GError        *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  message = photoseal_user_describe_error (error);
  show_error (self, message);
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
      show_failure (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  photoseal_sign_in_page_set_registration (self, FALSE);
  g_signal_emit (self, signals[SIGNED_IN], 0);
}

/* The code is on its way: the form to use it, with the focus in the
 * code field so the code from the mail can be typed or pasted at once. */
static void
code_requested_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PhotosealSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *hint = NULL;

  g_assert (PHOTOSEAL_IS_SIGN_IN_PAGE (self));

  set_busy (self, FALSE);
  if (!photoseal_user_request_code_finish (PHOTOSEAL_USER (object), result, &error))
    {
      show_failure (self, error);
      return;
    }
  set_mode (self, MODE_SIGN_UP);
  hint = g_strdup_printf (_("A code is on its way to %s, if this key server takes accounts for "
                            "that address. It is valid for 15 minutes."),
                          gtk_editable_get_text (GTK_EDITABLE (self->email_row)));
  gtk_label_set_text (self->code_label, hint);
  gtk_widget_set_visible (GTK_WIDGET (self->code_label), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
}

/* The server's origin from what was typed, or %NULL after saying why. */
static char *
typed_origin (PhotosealSignInPage *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  g_autofree char *with_scheme = NULL;
  g_autoptr(GError) error = NULL;
  char *normalized;

  /* A bare host name means HTTPS: plain HTTP is for loopback only. */
  if (*server != '\0' && strstr (server, "://") == NULL)
    server = with_scheme = g_strconcat ("https://", server, NULL);
  if (!(normalized = photoseal_origin_normalize (server, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("The key server address is not valid: %s"),
                                                  error->message);
      show_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
    }
  return normalized;
}

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
restart (PhotosealSignInPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PhotosealSignInPage *self = PHOTOSEAL_SIGN_IN_PAGE (widget);
  g_autofree char *origin = typed_origin (self);
  const char *email = text_of (self->email_row);
  const char *password = text_of (self->password_row);
  const char *name = text_of (self->name_row);

  if (origin == NULL)
    return;
  if (*email == '\0' || (self->mode != MODE_ASK_CODE && *password == '\0')
      || (self->mode == MODE_SIGN_UP && *name == '\0'))
    {
      show_error (self, self->mode == MODE_SIGN_UP ? _("Fill in your name, email and password.")
                        : self->mode == MODE_ASK_CODE ? _("Fill in your email.")
                        : _("Fill in your email and password."));
      return;
    }

  restart (self);
  if (self->mode == MODE_ASK_CODE)
    photoseal_user_request_code_async (self->user, PHOTOSEAL_USER_CODE_SIGN_UP, origin, email,
                                       self->cancellable, code_requested_cb, g_object_ref (self));
  else if (self->mode == MODE_SIGN_UP)
    photoseal_user_sign_up_async (self->user, origin, email, text_of (self->code_row), password,
                                  name, !self->for_file, self->cancellable, signed_in_cb,
                                  g_object_ref (self));
  else
    photoseal_user_sign_in_async (self->user, origin, email, password, !self->for_file,
                                  self->cancellable, signed_in_cb, g_object_ref (self));
}

/* Enter in a field goes on to the next one shown; in the last, it
 * submits, as the button does. */
static void
field_activated_cb (PhotosealSignInPage *self,
                    GtkWidget           *field)
{
  GtkWidget *fields[] = { GTK_WIDGET (self->server_row), GTK_WIDGET (self->email_row),
                          GTK_WIDGET (self->code_row), GTK_WIDGET (self->name_row),
                          GTK_WIDGET (self->password_row) };
  gboolean after = FALSE;

  g_assert (PHOTOSEAL_IS_SIGN_IN_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (after && gtk_widget_get_visible (fields[i]))
        {
          gtk_widget_grab_focus (fields[i]);
          return;
        }
      after = after || fields[i] == field;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.submit", NULL);
}

static void
toggle_register_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PhotosealSignInPage *self = PHOTOSEAL_SIGN_IN_PAGE (widget);

  photoseal_sign_in_page_set_registration (self, self->mode == MODE_SIGN_IN);
  photoseal_sign_in_page_focus_first_field (self);
}

static void
create_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PhotosealSignInPage *self = PHOTOSEAL_SIGN_IN_PAGE (widget);

  set_mode (self, MODE_ASK_CODE);
  set_heading (self);
  photoseal_sign_in_page_focus_first_field (self);
}

static void
have_code_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PhotosealSignInPage *self = PHOTOSEAL_SIGN_IN_PAGE (widget);

  photoseal_sign_in_page_set_registration (self, TRUE);
  gtk_label_set_text (self->code_label, _("Enter the code from the mail you were sent: an "
                                          "invitation, or a code you asked for."));
  gtk_widget_set_visible (GTK_WIDGET (self->code_label), TRUE);
  photoseal_sign_in_page_focus_first_field (self);
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

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/photoseal/Photoseal/photoseal-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, code_label);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, mode_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, code_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealSignInPage, open_button);
  gtk_widget_class_bind_template_callback (widget_class, field_activated_cb);

  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "sign-in.toggle-register", NULL,
                                   toggle_register_action);
  gtk_widget_class_install_action (widget_class, "sign-in.create-account", NULL,
                                   create_account_action);
  gtk_widget_class_install_action (widget_class, "sign-in.have-code", NULL, have_code_action);
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
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), self->mode == MODE_SIGN_IN && !for_file);
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), origin);
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !for_file);
  if (for_file)
    {
      adw_status_page_set_title (self->status_page, _("Sign In to Open This File"));
      description
        = g_strdup_printf (_("The key to this file is on %s. Photoseal has not contacted "
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
  GtkWidget *fields[] = { GTK_WIDGET (self->server_row), GTK_WIDGET (self->email_row),
                          GTK_WIDGET (self->code_row), GTK_WIDGET (self->name_row) };

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

/**
 * photoseal_sign_in_page_set_registration:
 * @registration: %TRUE for the sign-up form (email, code, name, password),
 *   %FALSE for signing in
 */
void
photoseal_sign_in_page_set_registration (PhotosealSignInPage *self,
                                         gboolean             registration)
{
  g_return_if_fail (PHOTOSEAL_IS_SIGN_IN_PAGE (self));

  set_mode (self, registration ? MODE_SIGN_UP : MODE_SIGN_IN);
  set_heading (self);
}
