/* psf-open.c: psf open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "psf"

#include "config.h"

#include <string.h>

#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "photoseal.h"
#include "photoseal-report.h"
#include "psf-common.h"

static gboolean
add_identity_file (GPtrArray  *identities,
                   const char *path,
                   GError    **error)
{
  g_autoptr(GPtrArray) parsed = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, error))
    return FALSE;
  parsed = photoseal_identities_parse (text, error);
  sodium_memzero (text, len);
  if (parsed == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  g_ptr_array_extend_and_steal (identities, g_steal_pointer (&parsed));
  return TRUE;
}

static gboolean
has_stanza (PhotosealAgeHeader *header,
            const char         *type)
{
  GPtrArray *stanzas = photoseal_age_header_get_stanzas (header);

  for (guint i = 0; i < stanzas->len; i++)
    if (g_strcmp0 (((PhotosealStanza *) g_ptr_array_index (stanzas, i))->type, type) == 0)
      return TRUE;
  return FALSE;
}

/* The sender as the key server confirmed it on release. */
typedef struct
{
  char *name;
  char *email;
  char *host;
} ConfirmedSender;

static void
confirmed_sender_clear (ConfirmedSender *sender)
{
  g_clear_pointer (&sender->name, g_free);
  g_clear_pointer (&sender->email, g_free);
  g_clear_pointer (&sender->host, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ConfirmedSender, confirmed_sender_clear)

/* Asks the file's key server for its key: with the access code if given,
 * otherwise only with a session the person saved for that very server.
 * A file naming any other server gets no request at all, so a crafted
 * file cannot make psf send credentials somewhere new. */
static PhotosealIdentity *
fetch_server_key (const PhotosealServerKeyRef *ref,
                  const char                  *access_code,
                  ConfirmedSender             *sender,
                  GError                     **error)
{
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(PhotosealSealedKey) key = NULL;

  if (access_code != NULL)
    client = photoseal_keyserver_client_new (ref->origin, error);
  else if (!(client = photoseal_keyring_load (ref->origin, NULL, NULL, error)) && error && !*error)
    g_set_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED,
                 _("Its key is on %s, where you are not signed in; nothing was sent there. "
                   "If you trust that server: psf login --server %s --email EMAIL"),
                 ref->origin, ref->origin);
  if (client == NULL)
    return NULL;

  key = photoseal_keyserver_client_release (client, ref->key_id, access_code,
                                            psf_get_cancellable (), error);
  if (key == NULL)
    return NULL;
  if (key->owner_email != NULL)
    {
      sender->email = g_strdup (key->owner_email);
      sender->name = g_strdup (key->owner_name);
      sender->host = photoseal_origin_host (ref->origin);
    }
  return PHOTOSEAL_IDENTITY (photoseal_server_key_identity_new (key->key_id, key->server_key));
}

/* A file from standard input has no name of its own: it is "stdin". */
static char *
input_basename (const char *input)
{
  g_autoptr(GFile) file = NULL;

  if (strcmp (input, "-") == 0)
    return g_strdup ("stdin");
  file = g_file_new_for_commandline_arg (input);
  return g_file_get_basename (file);
}

/* The report is made from the extracted folder, once the whole file has
 * been checked: a PDF of a file that turned out to be damaged is never
 * written. */
static gboolean
write_report (PhotosealManifest *manifest,
              const char        *input,
              GFile             *folder,
              const char        *report_path,
              GError           **error)
{
  g_autofree char *file_name = input_basename (input);
  g_autoptr(PhotosealReport) report = photoseal_report_new (manifest, file_name);
  g_autoptr(GFile) destination = g_file_new_for_commandline_arg (report_path);

  for (guint i = 0; i < photoseal_manifest_get_n_items (manifest); i++)
    {
      const PhotosealManifestItem *item = photoseal_manifest_get_item (manifest, i);
      g_autoptr(GFile) file = g_file_resolve_relative_path (folder, item->path);

      if (g_str_has_prefix (item->media_type, "image/"))
        photoseal_report_add_image_file (report, item->name, file);
      else
        photoseal_report_add_other_item (report, item->name, item->media_type);
    }
  return photoseal_report_write_pdf (report, destination, psf_get_cancellable (), error);
}

static void
print_row (const char *label,
           const char *value)
{
  g_autofree char *shown = NULL;

  if (value == NULL || value[0] == '\0')
    return;
  shown = photoseal_text_escape_controls (value, -1);
  g_print ("  %-14s %s\n", label, shown);
}

static char *
format_person (const char *name,
               const char *email)
{
  if (name != NULL && *name && email != NULL && *email)
    return g_strdup_printf ("%s <%s>", name, email);
  return g_strdup (name != NULL && *name ? name : email);
}

static void
print_warning (const char *text)
{
  gboolean color = isatty (STDOUT_FILENO);
  g_autofree char *shown = photoseal_text_escape_controls (text, -1);

  g_print ("  %s%s%s\n", color ? "\033[1;31m" : "", shown, color ? "\033[0m" : "");
}

/* Who sent it: the key's owner as its key server confirmed it, never the
 * file's own claim alone; a file opened with an age key or a passphrase
 * has no one to confirm it. */
static void
print_sender (PhotosealManifest     *manifest,
              const ConfirmedSender *confirmed)
{
  g_autofree char *claimed = format_person (photoseal_manifest_get_sender_name (manifest),
                                            photoseal_manifest_get_sender_email (manifest));
  g_autofree char *owner = NULL;
  g_autofree char *line = NULL;
  g_autofree char *warning = NULL;

  if (confirmed->email == NULL)
    {
      line = g_strdup_printf (_("%s (Sender not confirmed)"), claimed && *claimed ? claimed : "?");
      print_row (_("From:"), line);
      return;
    }
  owner = format_person (confirmed->name, confirmed->email);
  line = g_strdup_printf (_("%s (confirmed by %s)"), owner, confirmed->host);
  print_row (_("From:"), line);
  if (!photoseal_manifest_sender_differs (manifest, confirmed->email, confirmed->name))
    return;
  warning = g_strdup_printf (_("WARNING: the file says it is from %s, but %s confirms it was "
                               "sealed by %s"), claimed, confirmed->host, owner);
  print_warning (warning);
}

/* What a clinician must see before using the photos: whose they are and
 * what the patient agreed to. Consent not obtained is shouted, in red on a
 * terminal, so that it is not read past. */
static void
print_details (PhotosealManifest     *manifest,
               const ConfirmedSender *confirmed)
{
  g_autofree char *sealed = photoseal_date_format_time (photoseal_manifest_get_created (manifest));
  g_autofree char *consent = photoseal_manifest_describe_consent (manifest);
  g_autofree char *purposes = photoseal_manifest_describe_purposes (manifest);
  const char *dob = photoseal_manifest_get_patient_date_of_birth (manifest);
  g_autofree char *birth = dob && *dob ? photoseal_date_format_iso_day (dob) : NULL;
  gboolean obtained = photoseal_manifest_get_consent_obtained (manifest);
  gboolean not_needed = g_strcmp0 (photoseal_manifest_get_consent_method (manifest),
                                   "not_needed") == 0;

  print_sender (manifest, confirmed);
  print_row (_("Sealed:"), sealed);
  if (photoseal_manifest_get_no_patient_details (manifest))
    print_row (_("Patient:"), _("No patient details (photos do not identify anyone)"));
  print_row (_("Patient:"), photoseal_manifest_get_patient_name (manifest));
  print_row (_("Identifier:"), photoseal_manifest_get_patient_identifier (manifest));
  print_row (_("Born:"), birth);
  if (!obtained && !not_needed)
    {
      gboolean color = isatty (STDOUT_FILENO);
      g_autofree char *warning = g_strdup_printf (_("WARNING: %s"), consent);

      g_print ("  %-14s %s%s%s\n", _("Consent:"), color ? "\033[1;31m" : "", warning,
               color ? "\033[0m" : "");
    }
  else
    print_row (_("Consent:"), consent);
  if (obtained)
    print_row (_("Purposes:"), purposes ? purposes : _("none named"));
  print_row (_("Consent note:"), photoseal_manifest_get_consent_note (manifest));
  print_row (_("Note:"), photoseal_manifest_get_note (manifest));
}

static char *
folder_name_for (const char *input)
{
  g_autofree char *base = input_basename (input);

  if (g_str_has_suffix (base, ".psf") && strlen (base) > 4)
    base[strlen (base) - 4] = '\0';
  if (base[0] == '.')
    base[0] = '_';
  return g_steal_pointer (&base);
}

/* Asked for, or read from PHOTOSEAL_PASSPHRASE. */
static gboolean
add_passphrase_identity (GPtrArray  *identities,
                         GError    **error)
{
  g_autoptr(PhotosealScryptIdentity) identity = NULL;
  char *secret = psf_read_secret ("PHOTOSEAL_PASSPHRASE", _("Passphrase: "), FALSE, error);

  if (secret == NULL)
    return FALSE;
  identity = photoseal_scrypt_identity_new (secret);
  sodium_free (secret);
  g_ptr_array_add (identities, g_steal_pointer (&identity));
  return TRUE;
}

/* The key from the server the file names, as an exit code: a file that
 * names none is refused in words of its own. */
static int
add_server_identity (GPtrArray          *identities,
                     PhotosealAgeHeader *header,
                     const char         *file_name,
                     const char         *access_code,
                     ConfirmedSender    *confirmed)
{
  g_autoptr(PhotosealServerKeyRef) ref = NULL;
  g_autoptr(GError) error = NULL;
  PhotosealIdentity *identity;

  ref = photoseal_age_header_find_photoseal_stanza (header, &error);
  if (g_error_matches (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_NO_MATCH))
    {
      psf_print_error ("%s: %s", file_name,
                       _("name a key to open it with: --identity FILE or --passphrase"));
      return PSF_EXIT_DENIED;
    }
  if (ref == NULL || !(identity = fetch_server_key (ref, access_code, confirmed, &error)))
    return psf_fail (file_name, error);
  g_ptr_array_add (identities, identity);
  return PSF_EXIT_OK;
}

/* Into a new folder under @output named after @input. */
static GFile *
extract_into (PhotosealOpener  *opener,
              const char       *input,
              const char       *output,
              GError          **error)
{
  g_autoptr(GFile) parent = g_file_new_for_commandline_arg (output ? output : ".");
  g_autofree char *name = folder_name_for (input);

  photoseal_opener_set_progress_func (opener, psf_show_progress,
                                      (gpointer) C_("progress", "Opening"));
  return photoseal_opener_extract (opener, parent, name, psf_get_cancellable (), error);
}

static int
report_opened (PhotosealOpener       *opener,
               const char            *input,
               GFile                 *folder,
               const ConfirmedSender *confirmed,
               const char            *report)
{
  PhotosealManifest *manifest = photoseal_opener_get_manifest (opener);
  g_autofree char *folder_path = g_file_get_path (folder);
  guint n_items = photoseal_manifest_get_n_items (manifest);
  g_autoptr(GError) error = NULL;

  /* The English text is the same for one and for many; see psf-seal.c. */
  g_print (ngettext ("Opened %u item(s) into %s\n", "Opened %u item(s) into %s\n", n_items),
           n_items, folder_path);
  print_details (manifest, confirmed);
  if (report != NULL)
    {
      if (!write_report (manifest, input, folder, report, &error))
        return psf_fail (report, error);
      g_print (_("Wrote the report %s\n"), report);
    }
  return PSF_EXIT_OK;
}

int
psf_open (int    argc,
          char **argv)
{
  g_auto(GStrv) identity_files = NULL;
  g_auto(GStrv) inputs = NULL;
  g_autofree char *output = NULL;
  g_autofree char *access_code = NULL;
  g_autofree char *report = NULL;
  gboolean passphrase = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Folder to open into (default: the current folder)"), N_("DIR") },
    { "identity", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, &identity_files,
      N_("An age identity file (AGE-SECRET-KEY-1…), e.g. an archive key"), N_("FILE") },
    { "passphrase", 0, 0, G_OPTION_ARG_NONE, &passphrase,
      N_("Open with a passphrase (asked for, or PHOTOSEAL_PASSPHRASE)"), NULL },
    { "access-code", 0, 0, G_OPTION_ARG_STRING, &access_code,
      N_("The access code the sender gave you, if you have no account"), N_("CODE") },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report,
      N_("Also write a PDF report of the details and photos, for the patient's record"),
      N_("FILE.pdf") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_("FILE.psf|-") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("- open a .psf into a folder"));
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PhotosealAgeHeader) header = NULL;
  g_autoptr(PhotosealOpener) opener = NULL;
  g_autoptr(GBufferedInputStream) in = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(ConfirmedSender) confirmed = { 0 };
  const char *name;
  int exit_code = PSF_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    N_("Without --identity or --passphrase, the key comes from the key server named\n"
       "in the file, with the session saved by psf login for that server (or with\n"
       "--access-code). The photos and manifest.json appear in a new folder named\n"
       "after the file, only once the whole file has been checked.\n"
       "FILE.psf may be “-” for standard input (a pipe; the folder is then named\n"
       "“stdin”): the file is read once, front to back."));
  if (!psf_parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (inputs == NULL || inputs[0] == NULL || inputs[1] != NULL)
    return psf_usage ("open", _("name one .psf file to open"));

  name = psf_input_name (inputs[0]);
  if (!(in = psf_open_input (inputs[0], NULL, &error))
      || !(header = photoseal_age_header_read (in, psf_get_cancellable (), &error)))
    return psf_fail (name, error);

  for (guint i = 0; identity_files && identity_files[i]; i++)
    if (!add_identity_file (identities, identity_files[i], &error))
      return psf_fail (NULL, error);

  if ((passphrase || (identities->len == 0 && has_stanza (header, PHOTOSEAL_SCRYPT_STANZA_TYPE)))
      && !add_passphrase_identity (identities, &error))
    return psf_fail (NULL, error);
  if (identities->len == 0
      && (exit_code = add_server_identity (identities, header, name, access_code,
                                           &confirmed)) != PSF_EXIT_OK)
    return exit_code;

  if (!(opener = photoseal_opener_new_after_header (in, header, identities, psf_get_cancellable (),
                                                    &error))
      || !(folder = extract_into (opener, inputs[0], output, &error)))
    return psf_fail (name, error);
  psf_end_progress ();

  return report_opened (opener, inputs[0], folder, &confirmed, report);
}
