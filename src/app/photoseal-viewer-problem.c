/* photoseal-viewer-problem.c: why a file did not open, and the way forward
 *
 * One page per problem: what happened, in words a recipient can act on,
 * and the one thing to do about it (sign in, type the access code, try
 * again, or ask the sender). The page names the file and the key server's
 * host; texts that quote a server or a file are escaped before the status
 * page reads them as markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-viewer-problem"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal.h"
#include "photoseal-toast.h"
#include "photoseal-viewer-problem.h"

struct _PhotosealViewerProblem
{
  AdwBin parent_instance;

  const char *problem;
  char *error_message;

  AdwStatusPage *problem_status;
  GtkWidget *access_code_group;
  AdwEntryRow *access_code_row;
  GtkButton *problem_button;
};

G_DEFINE_FINAL_TYPE (PhotosealViewerProblem, photoseal_viewer_problem, ADW_TYPE_BIN)

enum {
  ACCESS_CODE_ENTERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What one page says. @description is plain text. */
typedef struct
{
  const char *problem;
  const char *icon_name;
  const char *title;
  const char *description;
  const char *button_label;
  const char *button_action;
  gboolean ask_access_code;
} Page;

static void
show_page (PhotosealViewerProblem *self,
           const Page             *page)
{
  g_autofree char *escaped = g_markup_escape_text (page->description, -1);

  self->problem = page->problem;
  adw_status_page_set_icon_name (self->problem_status, page->icon_name);
  adw_status_page_set_title (self->problem_status, page->title);
  adw_status_page_set_description (self->problem_status, escaped);
  gtk_widget_set_visible (self->access_code_group, page->ask_access_code);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_button), page->button_label != NULL);
  if (page->button_label != NULL)
    {
      gtk_button_set_label (self->problem_button, page->button_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->problem_button), page->button_action);
    }
}

static char *
bad_code_text (const GError *error)
{
  int tries_left = photoseal_keyserver_error_get_tries_left (error);

  if (tries_left < 0)
    return g_strdup (_("Check the code the sender gave you and try again. After five wrong codes "
                       "the file is locked."));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Check the code the sender gave you and try again. %d "
                                       "more wrong code locks the file.",
                                       "Check the code the sender gave you and try again. %d "
                                       "more wrong codes lock the file.", tries_left),
                          tries_left);
}

static char *
expired_text (const GError *error)
{
  GDateTime *expired_at = photoseal_keyserver_error_get_expired_at (error);
  g_autofree char *when = NULL;

  if (expired_at == NULL)
    return g_strdup (_("The time the sender allowed for opening this file has passed. Ask the "
                       "sender to extend it or to send the photos again."));
  when = photoseal_date_format_time (expired_at);
  return g_strdup_printf (_("This file could be opened until %s. Ask the sender to extend it or "
                            "to send the photos again."), when);
}

static void
show_keyserver_problem (PhotosealViewerProblem *self,
                        const GError           *error,
                        const char             *file_name,
                        const char             *host,
                        const char             *account_email)
{
  g_autofree char *text = NULL;

  switch ((PhotosealKeyserverError) error->code)
    {
    case PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED:
    case PHOTOSEAL_KEYSERVER_ERROR_DEVICE:
      text = g_strdup_printf (_("The key to “%s” is on %s, where you are not signed in. "
                                "Nothing has been sent there. Sign in if you have an account "
                                "there, or enter the access code the sender gave you."),
                              file_name, host);
      show_page (self, &(Page) { "sign-in", "dialog-password-symbolic", _("Sign In to Open"), text,
                                 _("_Sign In…"), "viewer.sign-in", TRUE });
      return;
    case PHOTOSEAL_KEYSERVER_ERROR_NOT_A_RECIPIENT:
      text = g_strdup_printf (_("The sender did not name %s as a recipient. Ask them to add you, "
                                "or, if they gave you an access code, enter it here."),
                              account_email);
      show_page (self, &(Page) { "not-recipient", "action-unavailable-symbolic",
                                 _("Not Shared With You"), text, NULL, NULL, TRUE });
      return;
    case PHOTOSEAL_KEYSERVER_ERROR_REVOKED:
      show_page (self, &(Page) { "revoked", "action-unavailable-symbolic", _("Access Revoked"),
                                 _("The sender revoked this file, so no copy of it can be opened "
                                   "any more. Ask the sender if you still need the photos."),
                                 NULL, NULL, FALSE });
      return;
    case PHOTOSEAL_KEYSERVER_ERROR_EXPIRED:
      text = expired_text (error);
      show_page (self, &(Page) { "expired", "alarm-symbolic", _("Expired"), text, NULL, NULL,
                                 FALSE });
      return;
    case PHOTOSEAL_KEYSERVER_ERROR_LOCKED:
      show_page (self, &(Page) { "locked", "system-lock-screen-symbolic", _("Locked"),
                                 _("Too many wrong access codes were tried, so this file is "
                                   "locked. Ask the sender for a new access code."),
                                 NULL, NULL, FALSE });
      return;
    case PHOTOSEAL_KEYSERVER_ERROR_BAD_ACCESS_CODE:
      text = bad_code_text (error);
      show_page (self, &(Page) { "bad-code", "dialog-password-symbolic", _("Wrong Access Code"),
                                 text, NULL, NULL, TRUE });
      return;
    case PHOTOSEAL_KEYSERVER_ERROR_UNREACHABLE:
    case PHOTOSEAL_KEYSERVER_ERROR_TLS:
      text = g_strdup_printf (_("%s could not be reached. Check your connection, then try "
                                "again."), host);
      show_page (self, &(Page) { "unreachable", "network-offline-symbolic",
                                 _("Key Server Unreachable"), text, _("_Try Again"),
                                 "viewer.retry", FALSE });
      return;
    case PHOTOSEAL_KEYSERVER_ERROR_NOT_FOUND:
      show_page (self, &(Page) { "revoked", "action-unavailable-symbolic", _("Key Not Found"),
                                 _("The key server has no key for this file: it was revoked and "
                                   "removed, or the file names the wrong server."),
                                 NULL, NULL, FALSE });
      return;
    default:
      show_page (self, &(Page) { "failed", "dialog-error-symbolic", _("Could Not Open"),
                                 error->message, _("_Try Again"), "viewer.retry", FALSE });
      return;
    }
}

/**
 * photoseal_viewer_problem_show_error:
 * @error: why the file did not open
 * @file_name: the sealed file's name
 * @origin: (nullable): the key server the file names
 * @account_email: (nullable): the account this app is signed in with
 */
void
photoseal_viewer_problem_show_error (PhotosealViewerProblem *self,
                                     const GError           *error,
                                     const char             *file_name,
                                     const char             *origin,
                                     const char             *account_email)
{
  g_autofree char *host = photoseal_origin_host (origin);

  g_return_if_fail (PHOTOSEAL_IS_VIEWER_PROBLEM (self));
  g_return_if_fail (error != NULL);

  g_free (self->error_message);
  self->error_message = g_strdup (error->message);

  if (error->domain == PHOTOSEAL_KEYSERVER_ERROR)
    show_keyserver_problem (self, error, file_name, host ? host : "", account_email);
  else if (error->domain == PHOTOSEAL_FORMAT_ERROR
           && error->code == PHOTOSEAL_FORMAT_ERROR_NO_MATCH)
    show_page (self, &(Page) { "not-for-photoseal", "dialog-error-symbolic",
                               _("Cannot Open This File"), error->message, NULL, NULL, FALSE });
  else if (error->domain == PHOTOSEAL_FORMAT_ERROR)
    show_page (self, &(Page) { "damaged", "dialog-warning-symbolic",
                               _("Damaged or Incomplete File"),
                               _("This file was cut short or changed after it was sealed, so it "
                                 "cannot be trusted. Nothing from it is shown. Ask the sender to "
                                 "send it again."), NULL, NULL, FALSE });
  else
    show_page (self, &(Page) { "unreadable", "dialog-error-symbolic", _("Could Not Read the File"),
                               error->message, _("_Try Again"), "viewer.retry", FALSE });
}

/* Which problem the page shows: "sign-in", "not-recipient", "revoked",
 * "expired", "locked", "bad-code", "unreachable", "damaged", … or %NULL. */
const char *
photoseal_viewer_problem_get_problem (PhotosealViewerProblem *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_VIEWER_PROBLEM (self), NULL);

  return self->problem;
}

/* The code is what the recipient came to type, when the page asks for it. */
void
photoseal_viewer_problem_focus (PhotosealViewerProblem *self)
{
  g_return_if_fail (PHOTOSEAL_IS_VIEWER_PROBLEM (self));

  if (gtk_widget_get_visible (self->access_code_group))
    gtk_widget_grab_focus (GTK_WIDGET (self->access_code_row));
}

static void
access_code_applied_cb (PhotosealViewerProblem *self)
{
  const char *code;

  g_assert (PHOTOSEAL_IS_VIEWER_PROBLEM (self));

  code = gtk_editable_get_text (GTK_EDITABLE (self->access_code_row));
  if (*code != '\0')
    g_signal_emit (self, signals[ACCESS_CODE_ENTERED], 0, code);
}

static void
copy_error_cb (PhotosealViewerProblem *self)
{
  g_assert (PHOTOSEAL_IS_VIEWER_PROBLEM (self));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          self->error_message ? self->error_message : "");
  photoseal_toast_show (GTK_WIDGET (self), _("Error message copied"));
}

static void
photoseal_viewer_problem_finalize (GObject *object)
{
  PhotosealViewerProblem *self = PHOTOSEAL_VIEWER_PROBLEM (object);

  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (photoseal_viewer_problem_parent_class)->finalize (object);
}

static void
photoseal_viewer_problem_class_init (PhotosealViewerProblemClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = photoseal_viewer_problem_finalize;

  /**
   * PhotosealViewerProblem::access-code-entered:
   * @code: what the recipient typed
   */
  signals[ACCESS_CODE_ENTERED] =
    g_signal_new ("access-code-entered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/photoseal/Photoseal/photoseal-viewer-problem.ui");
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerProblem, problem_status);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerProblem, access_code_group);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerProblem, access_code_row);
  gtk_widget_class_bind_template_child (widget_class, PhotosealViewerProblem, problem_button);
  gtk_widget_class_bind_template_callback (widget_class, access_code_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_error_cb);
}

static void
photoseal_viewer_problem_init (PhotosealViewerProblem *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
