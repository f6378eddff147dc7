/* psf-update.c: psf update, managing a file after it was sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "psf"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "photoseal.h"
#include "psf-common.h"

typedef struct
{
  char **add;
  char **remove;
  char *expires;
  gboolean new_access_code;
  gboolean remove_access_code;
  char *server;
  char **targets;
} UpdateOptions;

static void
update_options_clear (UpdateOptions *options)
{
  g_strfreev (options->add);
  g_strfreev (options->remove);
  g_free (options->expires);
  g_free (options->server);
  g_strfreev (options->targets);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (UpdateOptions, update_options_clear)

/* Bad input is a usage error, found before anything is sent. */
static gboolean
check_options (const UpdateOptions *options,
               GDateTime          **expires,
               GError             **error)
{
  for (guint i = 0; options->add && options->add[i]; i++)
    if (!photoseal_validate_email (options->add[i], error))
      return FALSE;
  for (guint i = 0; options->remove && options->remove[i]; i++)
    if (!photoseal_validate_email (options->remove[i], error))
      return FALSE;
  if (options->expires != NULL && strcmp (options->expires, "never") != 0
      && !(*expires = psf_parse_expires (options->expires, error)))
    return FALSE;
  return TRUE;
}

/* A PATCH replaces the whole list of recipients: read it, edit it, write it. */
static PhotosealKeyInfo *
change_key (PhotosealKeyserverClient *client,
            const char               *key_id,
            const UpdateOptions      *options,
            GDateTime                *expires,
            GError                  **error)
{
  g_autoptr(PhotosealKeyInfo) current = NULL;
  g_auto(GStrv) recipients = NULL;
  PhotosealKeyUpdateFlags flags = 0;

  if (options->add != NULL || options->remove != NULL)
    {
      if (!(current = photoseal_keyserver_client_get_key (client, key_id, psf_get_cancellable (),
                                                          error))
          || !(recipients = photoseal_key_info_edit_recipients (
                 current, (const char * const *) options->add,
                 (const char * const *) options->remove, error)))
        return NULL;
      flags |= PHOTOSEAL_KEY_UPDATE_RECIPIENTS;
    }
  if (options->expires != NULL)
    flags |= PHOTOSEAL_KEY_UPDATE_EXPIRES;
  if (options->remove_access_code)
    flags |= PHOTOSEAL_KEY_UPDATE_REMOVE_ACCESS_CODE;
  return photoseal_keyserver_client_update_key (client, key_id, flags,
                                                (const char * const *) recipients, expires,
                                                psf_get_cancellable (), error);
}

/* What the change did for each recipient without an account. */
static void
print_recipient_states (GListModel *states)
{
  for (guint i = 0; states != NULL && i < g_list_model_get_n_items (states); i++)
    {
      g_autoptr(PhotosealRecipientInfo) info = g_list_model_get_item (states, i);
      g_autofree char *email = photoseal_text_escape_controls (
        photoseal_recipient_info_get_email (info), -1);
      const char *what;

      switch (photoseal_recipient_info_get_state (info))
        {
        case PHOTOSEAL_RECIPIENT_INVITED:
          what = _("No account: invited by email");
          break;
        case PHOTOSEAL_RECIPIENT_NOT_SENT:
          what = _("No account: the invitation could not be sent");
          break;
        case PHOTOSEAL_RECIPIENT_NO_ACCOUNT:
          what = _("No account: use an access code");
          break;
        default:
          continue;
        }
      g_print ("  %s: %s\n", email, what);
    }
}

static void
print_key (PhotosealKeyInfo *key)
{
  const char *const *list = photoseal_key_info_get_recipients (key);
  g_autofree char *recipients = g_strjoinv (", ", (char **) list);
  g_autofree char *shown = photoseal_text_escape_controls (recipients, -1);
  GDateTime *expires = photoseal_key_info_get_expires (key);
  g_autofree char *until = expires ? photoseal_date_format_time (expires) : NULL;

  g_print (_("Updated %s\n"), photoseal_key_info_get_key_id (key));
  g_print (_("  Recipients: %s\n"), *shown ? shown : _("none"));
  g_print (_("  Expires:    %s\n"), until ? until : _("never"));
  g_print (_("  Access code: %s\n"), photoseal_key_info_get_has_access_code (key) ? _("yes")
                                                                                 : _("no"));
  print_recipient_states (photoseal_key_info_get_recipient_states (key));
}

int
psf_update (int    argc,
            char **argv)
{
  g_auto(UpdateOptions) options = { 0 };
  const GOptionEntry entries[] = {
    { "add-recipient", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.add,
      N_("Let this account open it too; repeat for more"), N_("EMAIL") },
    { "remove-recipient", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.remove,
      N_("Stop this account opening it; repeat for more"), N_("EMAIL") },
    { "expires", 0, 0, G_OPTION_ARG_STRING, &options.expires,
      N_("A new expiry from now: 7d, 12h, an ISO 8601 time, or never"), N_("WHEN") },
    { "new-access-code", 0, 0, G_OPTION_ARG_NONE, &options.new_access_code,
      N_("Make a new access code; the old one stops working"), NULL },
    { "remove-access-code", 0, 0, G_OPTION_ARG_NONE, &options.remove_access_code,
      N_("Remove the access code: only recipients with an account can open it"), NULL },
    { "server", 0, 0, G_OPTION_ARG_STRING, &options.server,
      N_("The key server, for a bare key id"), "https://…" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.targets, NULL,
      N_("FILE.psf|-|KEY-ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (N_("- change who may open a file you sealed, and until when"));
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(PhotosealServerKeyRef) ref = NULL;
  g_autoptr(PhotosealKeyInfo) key = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = PSF_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    N_("Each change is written to the file's audit trail on the key server."));
  if (!psf_parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (options.targets == NULL || options.targets[0] == NULL || options.targets[1] != NULL)
    return psf_usage ("update", _("name one .psf file or key id"));
  if (!options.add && !options.remove && !options.expires && !options.new_access_code
      && !options.remove_access_code)
    return psf_usage ("update", _("say what to change: --add-recipient, --remove-recipient, "
                                  "--expires, --new-access-code or --remove-access-code"));
  if (options.new_access_code && options.remove_access_code)
    return psf_usage ("update", _("--new-access-code and --remove-access-code exclude each "
                                  "other"));
  if (!check_options (&options, &expires, &error))
    return psf_usage ("update", "%s", error->message);

  if (!(ref = psf_resolve_key (options.targets[0], &error))
      || !(client = psf_signed_in_client (ref->origin ? ref->origin : options.server, NULL,
                                          &error)))
    return psf_fail (psf_input_name (options.targets[0]), error);

  if (options.add || options.remove || options.expires || options.remove_access_code)
    {
      if (!(key = change_key (client, ref->key_id, &options, expires, &error)))
        return psf_fail (psf_input_name (options.targets[0]), error);
      print_key (key);
    }
  if (options.new_access_code)
    {
      char *code = photoseal_keyserver_client_reissue_access_code (client, ref->key_id,
                                                                   psf_get_cancellable (), &error);

      if (code == NULL)
        return psf_fail (psf_input_name (options.targets[0]), error);
      /* Shown once, here only, as by psf seal --access-code. */
      g_printerr (_("Access code: %s\nThe old code no longer works. Send the new one to the "
                    "recipient another way (phone, text message), never with the file.\n"),
                  code);
      sodium_memzero (code, strlen (code));
      g_free (code);
    }
  return PSF_EXIT_OK;
}
