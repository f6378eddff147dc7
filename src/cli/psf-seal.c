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
#include <sodium.h>

#include "photoseal.h"
#include "psf-common.h"

typedef struct
{
  char **archive_recipients;
  gboolean passphrase;
  gboolean keep_metadata;
  char *patient_name;
  char *patient_id;
  char *patient_dob;
  char *consent;
  char *consent_note;
  char *note;
  char *sender_name;
  char *sender_email;
  char *output;
  char **photos;
} SealOptions;

static void
seal_options_clear (SealOptions *options)
{
  g_strfreev (options->archive_recipients);
  g_free (options->patient_name);
  g_free (options->patient_id);
  g_free (options->patient_dob);
  g_free (options->consent);
  g_free (options->consent_note);
  g_free (options->note);
  g_free (options->sender_name);
  g_free (options->sender_email);
  g_free (options->output);
  g_strfreev (options->photos);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SealOptions, seal_options_clear)

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
      char *passphrase = psf_read_passphrase ("Passphrase for the sealed file: ", TRUE, error);

      if (passphrase == NULL)
        return FALSE;
      recipient = photoseal_scrypt_recipient_new (passphrase, 0);
      sodium_free (passphrase);
      photoseal_sealer_add_recipient (sealer, PHOTOSEAL_RECIPIENT (recipient));
    }

  return TRUE;
}

static void
fill_manifest (PhotosealManifest *manifest,
               const SealOptions *options)
{
  const char *method = options->consent ? options->consent : "none";

  photoseal_manifest_set_sender (manifest, options->sender_name, options->sender_email);
  if (options->patient_name || options->patient_id || options->patient_dob)
    photoseal_manifest_set_patient (manifest, options->patient_name, options->patient_id,
                                    options->patient_dob);
  photoseal_manifest_set_consent (manifest, strcmp (method, "none") != 0, method,
                                  options->consent_note);
  photoseal_manifest_set_note (manifest, options->note);
}

static void
print_summary (PhotosealSealer   *sealer,
               const SealOptions *options)
{
  PhotosealManifest *manifest = photoseal_sealer_get_manifest (sealer);

  for (guint i = 0; i < photoseal_manifest_get_n_items (manifest); i++)
    {
      const PhotosealManifestItem *item = photoseal_manifest_get_item (manifest, i);
      PhotosealMetadata removed = photoseal_sealer_get_removed (sealer, i);
      g_autofree char *what = photoseal_metadata_describe (removed);

      if (removed != PHOTOSEAL_METADATA_NONE)
        g_print ("%s: removed %s\n", item->name, what);
    }
  g_print ("Sealed %u item(s) into %s\n", photoseal_manifest_get_n_items (manifest),
           options->output);
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

int
psf_seal (int    argc,
          char **argv)
{
  g_auto(SealOptions) options = { 0 };
  const GOptionEntry entries[] = {
    { "archive-recipient", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.archive_recipients,
      "Also seal for this age key, e.g. an archive or break-glass key", "age1…" },
    { "passphrase", 0, 0, G_OPTION_ARG_NONE, &options.passphrase,
      "Seal with a passphrase instead (asked for, or PHOTOSEAL_PASSPHRASE)", NULL },
    { "keep-metadata", 0, 0, G_OPTION_ARG_NONE, &options.keep_metadata,
      "Keep location and camera data in JPEG and PNG photos", NULL },
    { "patient-name", 0, 0, G_OPTION_ARG_STRING, &options.patient_name, "Patient name", "NAME" },
    { "patient-id", 0, 0, G_OPTION_ARG_STRING, &options.patient_id, "Patient identifier", "ID" },
    { "patient-dob", 0, 0, G_OPTION_ARG_STRING, &options.patient_dob,
      "Patient date of birth", "YYYY-MM-DD" },
    { "consent", 0, 0, G_OPTION_ARG_STRING, &options.consent,
      "How consent was obtained: verbal, written or none", "METHOD" },
    { "consent-note", 0, 0, G_OPTION_ARG_STRING, &options.consent_note, "Note on consent", "TEXT" },
    { "note", 0, 0, G_OPTION_ARG_STRING, &options.note, "Note for the recipient", "TEXT" },
    { "sender-name", 0, 0, G_OPTION_ARG_STRING, &options.sender_name, "Your name", "NAME" },
    { "sender-email", 0, 0, G_OPTION_ARG_STRING, &options.sender_email, "Your email", "EMAIL" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options.output, "The sealed file to write (- for standard output)", "OUT.psf" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.photos, NULL, "PHOTO…" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- seal photos into one .psf file");
  g_autoptr(PhotosealSealer) sealer = photoseal_sealer_new ();
  g_autoptr(GError) error = NULL;
  int exit_code = PSF_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Seals for an age archive recipient or a passphrase. Sealing for people\n"
    "through a key server (--to) comes with the key server client.");
  if (!psf_parse_options (context, &argc, &argv, &exit_code))
    return exit_code;

  if (options.output == NULL)
    return psf_usage ("seal", "say where the sealed file goes with -o OUT.psf");
  if (strcmp (options.output, "-") == 0 && isatty (STDOUT_FILENO))
    return psf_usage ("seal", "will not write a sealed file to a terminal");
  if (options.photos == NULL || options.photos[0] == NULL)
    return psf_usage ("seal", "name at least one photo to seal");
  if (options.archive_recipients == NULL && !options.passphrase)
    return psf_usage ("seal", "name who can open it: --archive-recipient or --passphrase");
  if (options.archive_recipients != NULL && options.passphrase)
    return psf_usage ("seal", "a passphrase cannot be combined with other recipients");
  if (options.consent != NULL && !g_strv_contains ((const char *[]) { "verbal", "written", "none", NULL },
                                                   options.consent))
    return psf_usage ("seal", "--consent must be verbal, written or none");

  if (!add_recipients (sealer, &options, &error))
    return psf_fail (NULL, error);

  fill_manifest (photoseal_sealer_get_manifest (sealer), &options);
  photoseal_sealer_set_remove_metadata (sealer, !options.keep_metadata);
  for (guint i = 0; options.photos[i] != NULL; i++)
    {
      g_autoptr(GFile) photo = g_file_new_for_commandline_arg (options.photos[i]);
      photoseal_sealer_add_file (sealer, photo);
    }

  photoseal_sealer_set_progress_func (sealer, psf_show_progress, (gpointer) "Sealing");
  if (!seal_to (sealer, options.output, &error))
    return psf_fail (NULL, error);
  psf_end_progress ();

  if (strcmp (options.output, "-") != 0)
    print_summary (sealer, &options);
  return PSF_EXIT_OK;
}
