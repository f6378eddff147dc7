/* psf-seal.c: psf seal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "psf"

#include "config.h"

#include <string.h>

#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "photoseal.h"
#include "psf-common.h"

typedef struct
{
  char *server;
  char **to;
  gboolean access_code;
  char *expires;
  char **archive_recipients;
  gboolean passphrase;
  gboolean keep_metadata;
  char *patient_name;
  char *patient_id;
  char *patient_dob;
  gboolean no_patient;
  char *consent;
  char **purposes;
  char *consent_note;
  char *note;
  char *sender_name;
  char *sender_email;
  char *output;
  char **photos;
  gboolean yes;
} SealOptions;

static void
seal_options_clear (SealOptions *options)
{
  g_free (options->server);
  g_strfreev (options->to);
  g_free (options->expires);
  g_strfreev (options->archive_recipients);
  g_free (options->patient_name);
  g_free (options->patient_id);
  g_free (options->patient_dob);
  g_free (options->consent);
  g_strfreev (options->purposes);
  g_free (options->consent_note);
  g_free (options->note);
  g_free (options->sender_name);
  g_free (options->sender_email);
  g_free (options->output);
  g_strfreev (options->photos);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SealOptions, seal_options_clear)

/* Emails from every --to, each of which may also be a comma-separated list. */
static GStrv
collect_emails (char   **to,
                GError **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; to && to[i]; i++)
    {
      g_auto(GStrv) emails = photoseal_parse_recipients (to[i], error);

      if (emails == NULL)
        return NULL;
      g_strv_builder_addv (builder, (const char **) emails);
    }
  return g_strv_builder_end (builder);
}

/* Prints what the server knows of each address without an account;
 * answers how many there are. A server that cannot tell (an older one,
 * directory=off) warns of nothing. */
static guint
warn_unknown (GListModel *recipients)
{
  guint unknown = 0;

  for (guint i = 0; i < g_list_model_get_n_items (recipients); i++)
    {
      g_autoptr(PhotosealRecipientInfo) info = g_list_model_get_item (recipients, i);
      g_autofree char *email = photoseal_text_escape_controls (
        photoseal_recipient_info_get_email (info), -1);
      const char *why;

      switch (photoseal_recipient_info_get_state (info))
        {
        case PHOTOSEAL_RECIPIENT_INVITABLE:
          why = _("No account: they will be invited by email");
          break;
        case PHOTOSEAL_RECIPIENT_NO_ACCOUNT:
          why = _("No account: use an access code");
          break;
        case PHOTOSEAL_RECIPIENT_INVALID:
          why = _("Not an address");
          break;
        default:
          continue;
        }
      g_printerr ("%s: %s\n", email, why);
      unknown++;
    }
  return unknown;
}

static gboolean
confirmed_on_terminal (void)
{
  char answer[16] = { 0 };

  if (!isatty (STDIN_FILENO) || !isatty (STDERR_FILENO))
    return FALSE;
  g_printerr (_("Seal for them anyway? [y/N] "));
  return fgets (answer, sizeof answer, stdin) != NULL
         && (answer[0] == 'y' || answer[0] == 'Y');
}

/* Looks the recipients up before anything is made, so that a typo is
 * caught while it can be fixed: an address without an account needs
 * --yes, or a "y" typed at the terminal. */
static gboolean
check_recipients (PhotosealKeyserverClient *client,
                  const char * const       *emails,
                  gboolean                  yes,
                  GError                  **error)
{
  g_autoptr(GListModel) recipients = NULL;
  g_autoptr(GError) local_error = NULL;
  guint unknown;

  recipients = photoseal_keyserver_client_lookup_recipients (client, emails,
                                                             psf_get_cancellable (),
                                                             &local_error);
  if (recipients == NULL)
    {
      /* The message may be the server's own words. */
      g_autofree char *why = photoseal_text_escape_controls (local_error->message, -1);

      g_printerr (_("Could not check the recipients: %s\n"), why);
      return TRUE;
    }
  if ((unknown = warn_unknown (recipients)) == 0 || yes || confirmed_on_terminal ())
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               ngettext ("not sealed: %u address has no account; check it, or confirm with --yes",
                         "not sealed: %u addresses have no account; check them, or confirm with "
                         "--yes", unknown), unknown);
  return FALSE;
}

/* Creates the file's key on the key server and adds the photoseal stanza. */
static gboolean
add_server_key (PhotosealSealer   *sealer,
                const SealOptions *options,
                char             **key_id,
                char             **access_code,
                GListModel       **recipient_states,
                GError           **error)
{
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_auto(GStrv) emails = NULL;
  g_autofree char *email = NULL;
  PhotosealManifest *manifest = photoseal_sealer_get_manifest (sealer);

  if (!(emails = collect_emails (options->to, error)))
    return FALSE;
  if (options->expires != NULL && !(expires = psf_parse_expires (options->expires, error)))
    return FALSE;
  if (!(client = psf_signed_in_client (options->server, &email, error)))
    return FALSE;
  if (emails[0] != NULL
      && !check_recipients (client, (const char * const *) emails, options->yes, error))
    return FALSE;
  if (!photoseal_sealer_add_server_key (sealer, client, (const char * const *) emails, expires,
                                        options->access_code, key_id, access_code,
                                        recipient_states, psf_get_cancellable (), error))
    return FALSE;

  if (*photoseal_manifest_get_sender_email (manifest) == '\0')
    photoseal_manifest_set_sender (manifest, photoseal_manifest_get_sender_name (manifest), email);
  return TRUE;
}

static gboolean
add_recipients (PhotosealSealer   *sealer,
                const SealOptions *options,
                GError           **error)
{
  for (guint i = 0; options->archive_recipients && options->archive_recipients[i]; i++)
    {
      g_autoptr(PhotosealX25519Recipient) recipient = NULL;

      recipient = photoseal_x25519_recipient_parse (options->archive_recipients[i], error);
      if (recipient == NULL)
        return FALSE;
      photoseal_sealer_add_recipient (sealer, PHOTOSEAL_RECIPIENT (recipient));
    }

  if (options->passphrase)
    {
      g_autoptr(PhotosealScryptRecipient) recipient = NULL;
      char *passphrase = psf_read_secret ("PHOTOSEAL_PASSPHRASE",
                                          _("Passphrase for the sealed file: "), TRUE, error);

      if (passphrase == NULL)
        return FALSE;
      recipient = photoseal_scrypt_recipient_new (passphrase, 0);
      sodium_free (passphrase);
      photoseal_sealer_add_recipient (sealer, PHOTOSEAL_RECIPIENT (recipient));
    }

  return TRUE;
}

/* "not-needed" is the spelling on the command line, "not_needed" in the file. */
static char *
consent_method (const char *option)
{
  g_autofree char *method = g_strdup (option);

  g_strdelimit (method, "-", '_');
  return g_steal_pointer (&method);
}

/* The purposes from every --purpose, each of which may be a comma-separated list. */
static GStrv
collect_purposes (char   **options,
                  GError **error)
{
  g_autofree char *joined = g_strjoinv (",", options ? options : (char *[]) { NULL });

  return photoseal_parse_purposes (joined, error);
}

/* The rules the form follows too: consent is chosen, never assumed, and a
 * patient is named unless the sender says that nobody can be identified. */
static gboolean
check_patient_and_consent (const SealOptions *options,
                           GError           **error)
{
  g_autofree char *method = NULL;

  if (options->consent == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("say how consent was given: --consent written, verbal, none "
                             "or not-needed"));
      return FALSE;
    }
  method = consent_method (options->consent);
  if (!photoseal_validate_consent (method, error))
    return FALSE;
  if (options->purposes != NULL && !photoseal_consent_method_is_obtained (method))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--purpose goes with --consent written or verbal"));
      return FALSE;
    }
  if (options->no_patient
      && (options->patient_name || options->patient_id || options->patient_dob))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--no-patient cannot be combined with patient details"));
      return FALSE;
    }
  return photoseal_validate_patient (options->patient_name, options->patient_id,
                                     options->no_patient, error)
         && (options->patient_dob == NULL
             || photoseal_validate_date_of_birth (options->patient_dob, NULL, error));
}

/* The library names the field; a command line names the option. */
static const char *
option_for_field (const GError *error)
{
  static const struct { int code; const char *option; } options[] = {
    { PHOTOSEAL_VALIDATION_ERROR_CONSENT, "--consent" },
    { PHOTOSEAL_VALIDATION_ERROR_PURPOSES, "--purpose" },
    { PHOTOSEAL_VALIDATION_ERROR_PATIENT_NAME, "--patient-name (or --no-patient)" },
    { PHOTOSEAL_VALIDATION_ERROR_PATIENT_IDENTIFIER, "--patient-id (or --no-patient)" },
    { PHOTOSEAL_VALIDATION_ERROR_DATE_OF_BIRTH, "--patient-dob" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (g_error_matches (error, PHOTOSEAL_VALIDATION_ERROR, options[i].code))
      return options[i].option;
  return NULL;
}

static void
fill_manifest (PhotosealManifest  *manifest,
               const SealOptions  *options,
               const char * const *purposes)
{
  g_autofree char *method = consent_method (options->consent);

  photoseal_manifest_set_sender (manifest, options->sender_name, options->sender_email);
  if (options->no_patient)
    photoseal_manifest_set_no_patient_details (manifest, TRUE);
  else
    photoseal_manifest_set_patient (manifest, options->patient_name, options->patient_id,
                                    options->patient_dob);
  photoseal_manifest_set_consent (manifest, photoseal_consent_method_is_obtained (method), method,
                                  options->consent_note);
  photoseal_manifest_set_consent_purposes (manifest, purposes);
  photoseal_manifest_set_note (manifest, options->note);
}

static void
print_summary (PhotosealSealer   *sealer,
               const SealOptions *options)
{
  PhotosealManifest *manifest = photoseal_sealer_get_manifest (sealer);
  guint n_items = photoseal_manifest_get_n_items (manifest);

  for (guint i = 0; i < n_items; i++)
    {
      const PhotosealManifestItem *item = photoseal_manifest_get_item (manifest, i);
      PhotosealMetadata removed = photoseal_sealer_get_removed (sealer, i);
      g_autofree char *what = photoseal_metadata_describe (removed);

      if (removed != PHOTOSEAL_METADATA_NONE)
        g_print (_("%s: removed %s\n"), item->name, what);
    }
  /* The English text is the same for one and for many, but other languages
   * need plural forms. */
  g_print (ngettext ("Sealed %u item(s) into %s\n", "Sealed %u item(s) into %s\n", n_items),
           n_items, options->output);
}

/* Kept on this computer only, so that psf keys and the app's Sent list can
 * say whose photos a key protects; the key server never learns it. A
 * failure here loses a label, not the sealed file, so it only warns. */
static void
remember_label (PhotosealSealer *sealer,
                const char      *key_id,
                const char      *output)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file_name = strcmp (output, "-") != 0 ? g_path_get_basename (output) : NULL;

  if (!photoseal_label_store_remember_seal (key_id, photoseal_sealer_get_manifest (sealer),
                                            file_name, psf_get_cancellable (), &error))
    psf_print_error (_("the file is sealed, but its label was not kept: %s"), error->message);
}

/* "-" is standard output, for pipes; anything else is written atomically. */
static gboolean
seal_to (PhotosealSealer *sealer,
         const char      *output,
         GError         **error)
{
  g_autoptr(GOutputStream) stdout_stream = NULL;
  g_autoptr(GFile) file = NULL;

  if (strcmp (output, "-") != 0)
    {
      file = g_file_new_for_commandline_arg (output);
      return photoseal_sealer_seal_to_file (sealer, file, psf_get_cancellable (), error);
    }

  stdout_stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  return photoseal_sealer_seal (sealer, stdout_stream, psf_get_cancellable (), error)
         && g_output_stream_flush (stdout_stream, NULL, error);
}

/* The entries point into @options; GLib copies the array itself. */
static GOptionContext *
seal_option_context_new (SealOptions *options)
{
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &options->server,
      N_("The key server (default: PHOTOSEAL_SERVER); sign in first with psf login"),
      "https://…" },
    { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->to,
      N_("Who may open it, by account email; repeat or separate with commas"),
      N_("EMAIL[,EMAIL…]") },
    { "access-code", 0, 0, G_OPTION_ARG_NONE, &options->access_code,
      N_("Also make an access code, for a recipient without an account"), NULL },
    { "expires", 0, 0, G_OPTION_ARG_STRING, &options->expires,
      N_("When the key stops being released: 7d, 12h or an ISO 8601 time"), N_("WHEN") },
    { "archive-recipient", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->archive_recipients,
      N_("Also seal for this age key, e.g. an archive or break-glass key"), "age1…" },
    { "passphrase", 0, 0, G_OPTION_ARG_NONE, &options->passphrase,
      N_("Seal with a passphrase instead (asked for, or PHOTOSEAL_PASSPHRASE)"), NULL },
    { "keep-metadata", 0, 0, G_OPTION_ARG_NONE, &options->keep_metadata,
      N_("Keep location and camera data in photos"), NULL },
    { "patient-name", 0, 0, G_OPTION_ARG_STRING, &options->patient_name,
      N_("Patient name"), N_("NAME") },
    { "patient-id", 0, 0, G_OPTION_ARG_STRING, &options->patient_id,
      N_("Patient identifier"), N_("ID") },
    { "patient-dob", 0, 0, G_OPTION_ARG_STRING, &options->patient_dob,
      N_("Patient date of birth"), N_("YYYY-MM-DD") },
    { "no-patient", 0, 0, G_OPTION_ARG_NONE, &options->no_patient,
      N_("No patient details: the photos do not identify anyone"), NULL },
    { "consent", 0, 0, G_OPTION_ARG_STRING, &options->consent,
      N_("Required: written, verbal, none (not obtained) or not-needed"), N_("CONSENT") },
    { "purpose", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->purposes,
      N_("What the patient agreed to: care, teaching, publication; repeat or separate "
         "with commas"), N_("PURPOSE[,PURPOSE…]") },
    { "consent-note", 0, 0, G_OPTION_ARG_STRING, &options->consent_note,
      N_("Note on consent"), N_("TEXT") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &options->note, N_("Note for the recipient"), N_("TEXT") },
    { "sender-name", 0, 0, G_OPTION_ARG_STRING, &options->sender_name,
      N_("Your name"), N_("NAME") },
    { "sender-email", 0, 0, G_OPTION_ARG_STRING, &options->sender_email,
      N_("Your email"), N_("EMAIL") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options->output,
      N_("The sealed file to write (- for standard output)"), N_("OUT.psf") },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &options->yes,
      N_("Seal even for addresses without an account on the key server"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->photos,
      NULL, N_("PHOTO…") },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (N_("- seal photos into one .psf file"));

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    N_("Seals for people through a key server (--to, --access-code), and/or for\n"
       "age archive keys (--archive-recipient); or for a passphrase alone."));
  return context;
}

static gboolean
uses_key_server (const SealOptions *options)
{
  return options->to != NULL || options->access_code;
}

/* The output, the photos and a consistent set of recipients. */
static int
check_arguments (const SealOptions *options)
{
  gboolean online = uses_key_server (options);

  if (options->output == NULL)
    return psf_usage ("seal", _("say where the sealed file goes with -o OUT.psf"));
  if (strcmp (options->output, "-") == 0 && isatty (STDOUT_FILENO))
    return psf_usage ("seal", _("will not write a sealed file to a terminal"));
  if (options->photos == NULL || options->photos[0] == NULL)
    return psf_usage ("seal", _("name at least one photo to seal"));
  if (!online && options->archive_recipients == NULL && !options->passphrase)
    return psf_usage ("seal", _("name who can open it: --to, --access-code, --archive-recipient "
                                "or --passphrase"));
  if ((options->archive_recipients != NULL || online) && options->passphrase)
    return psf_usage ("seal", _("a passphrase cannot be combined with other recipients"));
  if (!online && (options->server != NULL || options->expires != NULL))
    return psf_usage ("seal", _("--server and --expires go with --to or --access-code"));
  return PSF_EXIT_OK;
}

static void
add_photos (PhotosealSealer   *sealer,
            const SealOptions *options)
{
  photoseal_sealer_set_remove_metadata (sealer, !options->keep_metadata);
  for (guint i = 0; options->photos[i] != NULL; i++)
    {
      g_autoptr(GFile) photo = g_file_new_for_commandline_arg (options->photos[i]);
      photoseal_sealer_add_file (sealer, photo);
    }
}

/* Who the key server did not reach needs the access code, or, without
 * one, an account before they can open the file. */
static void
report_recipient_states (GListModel *states,
                         gboolean    have_code)
{
  for (guint i = 0; states != NULL && i < g_list_model_get_n_items (states); i++)
    {
      g_autoptr(PhotosealRecipientInfo) info = g_list_model_get_item (states, i);
      g_autofree char *email = photoseal_text_escape_controls (
        photoseal_recipient_info_get_email (info), -1);

      switch (photoseal_recipient_info_get_state (info))
        {
        case PHOTOSEAL_RECIPIENT_INVITED:
          g_printerr (_("Invited by email: %s\n"), email);
          break;
        case PHOTOSEAL_RECIPIENT_NOT_SENT:
          g_printerr (have_code ? _("Invitation not sent: %s (the mail did not go; give them the "
                                    "access code)\n")
                                : _("Invitation not sent: %s (the mail did not go; they need an "
                                    "account to open it)\n"), email);
          break;
        case PHOTOSEAL_RECIPIENT_NO_ACCOUNT:
          g_printerr (have_code ? _("No account: %s (give them the access code)\n")
                                : _("No account: %s (they need an account to open it)\n"), email);
          break;
        default:
          break;
        }
    }
}

static void
report_sealed (PhotosealSealer   *sealer,
               const SealOptions *options,
               const char        *key_id,
               GListModel        *recipient_states,
               const char        *access_code)
{
  if (strcmp (options->output, "-") != 0)
    print_summary (sealer, options);
  if (key_id != NULL)
    remember_label (sealer, key_id, options->output);
  report_recipient_states (recipient_states, access_code != NULL);
  /* Shown once, here only: the server keeps just a hash of it. */
  if (access_code != NULL)
    g_printerr (_("Access code: %s\nSend it to the recipient another way (phone, text message), "
                  "never with the file.\n"), access_code);
}

int
psf_seal (int    argc,
          char **argv)
{
  g_auto(SealOptions) options = { 0 };
  g_autoptr(GOptionContext) context = seal_option_context_new (&options);
  g_autoptr(PhotosealSealer) sealer = photoseal_sealer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *access_code = NULL;
  g_autofree char *key_id = NULL;
  g_autoptr(GListModel) recipient_states = NULL;
  g_auto(GStrv) purposes = NULL;
  int exit_code = PSF_EXIT_OK;

  if (!psf_parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if ((exit_code = check_arguments (&options)) != PSF_EXIT_OK)
    return exit_code;
  if (!check_patient_and_consent (&options, &error)
      || !(purposes = collect_purposes (options.purposes, &error)))
    {
      const char *option = option_for_field (error);

      return option ? psf_usage ("seal", "%s: %s", option, error->message)
                    : psf_usage ("seal", "%s", error->message);
    }

  fill_manifest (photoseal_sealer_get_manifest (sealer), &options, (const char * const *) purposes);
  if (!add_recipients (sealer, &options, &error)
      || (uses_key_server (&options)
          && !add_server_key (sealer, &options, &key_id, &access_code, &recipient_states,
                              &error)))
    return psf_fail (NULL, error);

  add_photos (sealer, &options);
  photoseal_sealer_set_progress_func (sealer, psf_show_progress,
                                      (gpointer) C_("progress", "Sealing"));
  if (!seal_to (sealer, options.output, &error))
    return psf_fail (NULL, error);
  psf_end_progress ();

  report_sealed (sealer, &options, key_id, recipient_states, access_code);
  return PSF_EXIT_OK;
}
