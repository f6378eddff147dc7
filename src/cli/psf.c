/* psf.c: the Photoseal command-line tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "psf"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "photoseal.h"
#include "psf-common.h"

typedef struct
{
  const char *name;
  PsfVerbFunc func;
  const char *summary;
} Verb;

static const Verb verbs[] = {
  { "seal", psf_seal, N_("Seal photos into one .psf file") },
  { "open", psf_open, N_("Open a .psf into a folder") },
  { "inspect", psf_inspect, N_("Show who can open a .psf, without opening it") },
  { "login", psf_login, N_("Sign in to a key server") },
  { "logout", psf_logout, N_("Sign out of a key server") },
  { "keys", psf_keys, N_("List the files you sealed, by key") },
  { "audit", psf_audit, N_("Show who opened a file you sealed, and when") },
  { "update", psf_update, N_("Change who may open a file you sealed, its expiry or access code") },
  { "revoke", psf_revoke, N_("Make every copy of a file you sealed unreadable") },
  { "identity", psf_identity, N_("Print an age identity for age-plugin-photoseal") },
};

static int
print_help (FILE *out)
{
  fprintf (out, "%s\n\n%s\n\n%s\n", _("Usage: psf VERB [OPTION…]"),
           _("Seal medical photos so that only the people you name can open them."), _("Verbs:"));
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    fprintf (out, "  %-10s %s\n", verbs[i].name, _(verbs[i].summary));
  fprintf (out, "\n%s\n", _("Run “psf VERB --help” for a verb's options."));
  return out == stdout ? PSF_EXIT_OK : PSF_EXIT_USAGE;
}

int
main (int    argc,
      char **argv)
{
  const char *verb;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("psf");
  photoseal_crypto_init ();

  if (argc < 2)
    {
      psf_print_error (_("name a verb to run"));
      return print_help (stderr);
    }

  verb = argv[1];
  if (strcmp (verb, "--help") == 0 || strcmp (verb, "-h") == 0 || strcmp (verb, "help") == 0)
    return print_help (stdout);
  if (strcmp (verb, "--version") == 0)
    {
      g_print ("psf %s\n", PACKAGE_VERSION);
      return PSF_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (strcmp (verb, verbs[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("psf %s", verb);

        g_set_prgname (prgname);
        argv[1] = argv[0];
        return verbs[i].func (argc - 1, argv + 1);
      }

  psf_print_error (_("“%s” is not a verb"), verb);
  return print_help (stderr);
}
