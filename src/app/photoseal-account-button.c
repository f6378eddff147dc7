/* photoseal-account-button.c: who is signed in, in the header bar
 *
 * On a shared ward PC, sealing as the person who used it before is easy;
 * so the header always shows the account: the avatar with initials and
 * the name, at every width. Its popover names the email and the key
 * server's host, and offers Switch Account and Sign Out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-account-button"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-account-button.h"

struct _PhotosealAccountButton
{
  AdwBin parent_instance;

  PhotosealUser *user;

  GtkMenuButton *menu_button;
  AdwAvatar *avatar;
  GtkLabel *name_label;
  AdwAvatar *popover_avatar;
  GtkLabel *popover_name_label;
  GtkLabel *email_label;
  GtkLabel *server_label;
};

G_DEFINE_FINAL_TYPE (PhotosealAccountButton, photoseal_account_button, ADW_TYPE_BIN)

/* The host of an origin such as "https://keys.example.org:8443". */
static char *
host_of (const char *origin)
{
  g_autoptr(GUri) uri = origin ? g_uri_parse (origin, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (origin ? origin : "");
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

static void
update (PhotosealAccountButton *self)
{
  const char *email = photoseal_user_get_email (self->user);
  const char *name = photoseal_user_get_name (self->user);
  g_autofree char *host = host_of (photoseal_user_get_origin (self->user));
  g_autofree char *tooltip = NULL;

  g_assert (PHOTOSEAL_IS_ACCOUNT_BUTTON (self));

  /* The name arrives after sign-in (GET /v1/accounts/me); the email until then. */
  if (name == NULL || *name == '\0')
    name = email ? email : "";
  adw_avatar_set_text (self->avatar, name);
  adw_avatar_set_text (self->popover_avatar, name);
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->popover_name_label, name);
  gtk_label_set_text (self->email_label, email ? email : "");
  gtk_label_set_text (self->server_label, host);
  tooltip = g_strdup_printf (_("Signed in as %s on %s"), email ? email : "", host);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PhotosealAccountButton *self = PHOTOSEAL_ACCOUNT_BUTTON (widget);

  gtk_menu_button_popdown (self->menu_button);
  photoseal_user_sign_out (self->user);
}

static void
photoseal_account_button_dispose (GObject *object)
{
  PhotosealAccountButton *self = (PhotosealAccountButton *)object;

  g_clear_object (&self->user);

  G_OBJECT_CLASS (photoseal_account_button_parent_class)->dispose (object);
}

static void
photoseal_account_button_class_init (PhotosealAccountButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = photoseal_account_button_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/photoseal/Photoseal/photoseal-account-button.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealAccountButton, menu_button);
  gtk_widget_class_bind_template_child (widget_class, PhotosealAccountButton, avatar);
  gtk_widget_class_bind_template_child (widget_class, PhotosealAccountButton, name_label);
  gtk_widget_class_bind_template_child (widget_class, PhotosealAccountButton, popover_avatar);
  gtk_widget_class_bind_template_child (widget_class, PhotosealAccountButton, popover_name_label);
  gtk_widget_class_bind_template_child (widget_class, PhotosealAccountButton, email_label);
  gtk_widget_class_bind_template_child (widget_class, PhotosealAccountButton, server_label);

  /* Both end this session (the keyring forgets it) and show the sign-in
   * page; the app holds one session, so switching is signing in again. */
  gtk_widget_class_install_action (widget_class, "account.switch", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "account.sign-out", NULL, sign_out_action);
}

static void
photoseal_account_button_init (PhotosealAccountButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
photoseal_account_button_set_user (PhotosealAccountButton *self,
                                   PhotosealUser          *user)
{
  const char *names[] = { "notify::name", "notify::email", "notify::origin" };

  g_return_if_fail (PHOTOSEAL_IS_ACCOUNT_BUTTON (self));
  g_return_if_fail (PHOTOSEAL_IS_USER (user));
  g_return_if_fail (self->user == NULL);

  self->user = g_object_ref (user);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_signal_connect_object (user, names[i], G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}
