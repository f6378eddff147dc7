/* psf-login.c: psf login and psf logout
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

int
psf_login (int    argc,
           char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The key server"), "https://…" },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("Your account's email"), N_("EMAIL") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("- sign in to a key server"));
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = PSF_EXIT_OK;
  char *password;
  gboolean signed_in;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    N_("The password is asked for on the terminal (or taken from PHOTOSEAL_PASSWORD)\n"
       "and sent once; the keyring keeps the session and a device key, never the password."));
  if (!psf_parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (server == NULL || email == NULL)
    return psf_usage ("login", _("give --server and --email"));

  if (!(client = photoseal_keyserver_client_new (server, &error)))
    return psf_fail (NULL, error);
  if (!(password = psf_read_secret ("PHOTOSEAL_PASSWORD", _("Password: "), FALSE, &error)))
    return psf_fail (NULL, error);
  signed_in = photoseal_keyserver_client_sign_in (client, email, password, g_get_host_name (),
                                                  psf_get_cancellable (), &error);
  sodium_free (password);
  if (!signed_in || !photoseal_keyring_save (client, email, NULL, &error))
    return psf_fail (photoseal_keyserver_client_get_origin (client), error);

  g_print (_("Signed in to %s as %s\n"), photoseal_keyserver_client_get_origin (client), email);
  return PSF_EXIT_OK;
}

int
psf_logout (int    argc,
            char **argv)
{
  g_autofree char *server = NULL;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The key server"), "https://…" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("- sign out of a key server"));
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) server_error = NULL;
  int exit_code = PSF_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!psf_parse_options (context, &argc, &argv, &exit_code))
    return exit_code;

  if (!(client = psf_signed_in_client (server, NULL, &error)))
    return psf_fail (NULL, error);

  /* End the session on the server, then forget it here even if the
   * server could not be reached: a stale token must not linger. */
  photoseal_keyserver_client_sign_out (client, psf_get_cancellable (), &server_error);
  if (!photoseal_keyring_forget (photoseal_keyserver_client_get_origin (client), NULL, &error))
    return psf_fail (NULL, error);
  if (server_error != NULL
      && !g_error_matches (server_error, PHOTOSEAL_KEYSERVER_ERROR,
                           PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED))
    psf_print_error (_("the session was forgotten here, but the server did not confirm: %s"),
                     server_error->message);

  g_print (_("Signed out of %s\n"), photoseal_keyserver_client_get_origin (client));
  return PSF_EXIT_OK;
}

/* The identity line for age-plugin-photoseal: the origin, in Bech32. It is
 * no secret; the session it stands for stays in the keyring. */
int
psf_identity (int    argc,
              char **argv)
{
  g_autofree char *server = NULL;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The key server"), "https://…" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (N_("- print an age identity that opens .psf files through "
                             "age-plugin-photoseal"));
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *email = NULL;
  g_autofree char *comment = NULL;
  const char *origin;
  int exit_code = PSF_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!psf_parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (!(client = psf_signed_in_client (server, &email, &error)))
    return psf_fail (NULL, error);

  origin = photoseal_keyserver_client_get_origin (client);
  identity = photoseal_bech32_encode ("AGE-PLUGIN-PHOTOSEAL-", (const guint8 *) origin,
                                      strlen (origin), TRUE);
  /* The comment line is for people; age skips it. */
  comment = g_strdup_printf (_("Photoseal account %s on %s, for age -d -i with "
                               "age-plugin-photoseal"), email, origin);
  g_print ("# %s\n%s\n", comment, identity);
  return PSF_EXIT_OK;
}
