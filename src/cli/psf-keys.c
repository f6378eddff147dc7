/* psf-keys.c: psf keys, psf audit and psf revoke
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "psf"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "photoseal.h"
#include "psf-common.h"

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* Prints server text on a terminal: control characters escaped. */
static const char *
shown (const char *text,
       char      **store)
{
  g_free (*store);
  *store = photoseal_text_escape_controls (text ? text : "?", -1);
  return *store;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *time)
{
  g_autofree char *text = time ? g_date_time_format_iso8601 (time) : NULL;

  add_string (builder, name, text);
}

static char *
format_time (GDateTime *time)
{
  return time ? photoseal_date_format_time (time) : g_strdup ("?");
}

static void
print_events (GListModel *events,
              gboolean    json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n = g_list_model_get_n_items (events);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhotosealAuditEvent) event = g_list_model_get_item (events, i);
      g_autofree char *at = format_time (photoseal_audit_event_get_at (event));
      g_autofree char *action = NULL, *actor = NULL, *address = NULL;

      if (json)
        {
          json_builder_begin_object (builder);
          add_time (builder, "at", photoseal_audit_event_get_at (event));
          add_string (builder, "action", photoseal_audit_event_get_action (event));
          add_string (builder, "actor", photoseal_audit_event_get_actor (event));
          add_string (builder, "address", photoseal_audit_event_get_address (event));
          json_builder_end_object (builder);
        }
      else
        /* Translators: time, action (release, deny…), account and
         * network address of one event in a file's audit trail. */
        g_print (_("%s  %-8s %s from %s\n"), at,
                 shown (photoseal_audit_event_get_action (event), &action),
                 shown (photoseal_audit_event_get_actor (event), &actor),
                 shown (photoseal_audit_event_get_address (event), &address));
    }
  json_builder_end_array (builder);
  if (json)
    print_json (builder);
}

static int
run_on_key (const char *verb,
            int         argc,
            char      **argv,
            const char *summary,
            gboolean    revoke)
{
  g_auto(GStrv) targets = NULL;
  g_autofree char *server = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("The key server, for a bare key id"), "https://…" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &targets, NULL,
      N_("FILE.psf|-|KEY-ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (summary);
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(PhotosealServerKeyRef) ref = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = PSF_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!psf_parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (targets == NULL || targets[0] == NULL || targets[1] != NULL)
    return psf_usage (verb, _("name one .psf file or key id"));

  if (!(ref = psf_resolve_key (targets[0], &error))
      || !(client = psf_signed_in_client (ref->origin ? ref->origin : server, NULL, &error)))
    return psf_fail (psf_input_name (targets[0]), error);

  if (revoke)
    {
      if (!photoseal_keyserver_client_revoke_key (client, ref->key_id, psf_get_cancellable (),
                                                  &error))
        return psf_fail (psf_input_name (targets[0]), error);
      g_print (_("Revoked %s: every copy of the file is now unreadable\n"), ref->key_id);
      return PSF_EXIT_OK;
    }

  if (!(events = photoseal_keyserver_client_list_events (client, ref->key_id,
                                                          psf_get_cancellable (), &error)))
    return psf_fail (psf_input_name (targets[0]), error);
  print_events (events, json);
  return PSF_EXIT_OK;
}

int
psf_audit (int    argc,
           char **argv)
{
  return run_on_key ("audit", argc, argv, N_("- who opened a file you sealed, and when"), FALSE);
}

int
psf_revoke (int    argc,
            char **argv)
{
  return run_on_key ("revoke", argc, argv,
                     N_("- make every copy of a file you sealed unreadable"), TRUE);
}

static void
add_label_json (JsonBuilder          *builder,
                const PhotosealLabel *label)
{
  add_string (builder, "file_name", label ? label->file_name : NULL);
  add_string (builder, "patient_name", label ? label->patient_name : NULL);
  add_string (builder, "patient_identifier", label ? label->patient_identifier : NULL);
  json_builder_set_member_name (builder, "photos");
  if (label != NULL)
    json_builder_add_int_value (builder, label->n_photos);
  else
    json_builder_add_null_value (builder);
}

static void
add_key_json (JsonBuilder          *builder,
              PhotosealKeyInfo     *key,
              const PhotosealLabel *label)
{
  const char * const *recipients = photoseal_key_info_get_recipients (key);

  json_builder_begin_object (builder);
  add_string (builder, "key_id", photoseal_key_info_get_key_id (key));
  add_string (builder, "status", photoseal_key_info_get_status (key));
  add_label_json (builder, label);
  add_time (builder, "created", photoseal_key_info_get_created (key));
  add_time (builder, "expires", photoseal_key_info_get_expires (key));
  add_time (builder, "revoked", photoseal_key_info_get_revoked (key));
  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  for (guint i = 0; recipients && recipients[i]; i++)
    json_builder_add_string_value (builder, recipients[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "access_code");
  json_builder_add_boolean_value (builder, photoseal_key_info_get_has_access_code (key));
  json_builder_set_member_name (builder, "releases");
  json_builder_add_int_value (builder, photoseal_key_info_get_releases (key));
  json_builder_end_object (builder);
}

/* "wound.psf: Jo Bloggs (MRN-7), 3 photos", from what this computer sealed. */
static char *
label_text (const PhotosealLabel *label)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (label == NULL)
    return g_strdup (_("(not sealed on this computer)"));
  if (label->file_name && *label->file_name)
    g_string_append_printf (text, "%s: ", label->file_name);
  if (label->patient_name || label->patient_identifier)
    g_string_append_printf (text, "%s (%s), ", label->patient_name ? label->patient_name : "",
                            label->patient_identifier ? label->patient_identifier : "");
  else
    g_string_append_printf (text, "%s, ", _("no patient details"));
  g_string_append_printf (text, ngettext ("%u photo", "%u photos", label->n_photos),
                          label->n_photos);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
print_key (PhotosealKeyInfo     *key,
           const PhotosealLabel *label)
{
  /* Printed with %lld, as xgettext cannot see through G_GINT64_FORMAT. */
  gint64 releases = photoseal_key_info_get_releases (key);
  GDateTime *expires_at = photoseal_key_info_get_expires (key);
  g_autofree char *created = format_time (photoseal_key_info_get_created (key));
  g_autofree char *expires = expires_at ? photoseal_date_format_time (expires_at)
                                        : g_strdup (_("never"));
  g_autofree char *labelled = label_text (label);
  g_autofree char *recipients = g_strjoinv (", ",
                                            (char **) photoseal_key_info_get_recipients (key));
  g_autofree char *key_id = NULL, *status = NULL, *shown_label = NULL, *shown_to = NULL;

  g_print ("%s  %-8s %s\n", shown (photoseal_key_info_get_key_id (key), &key_id),
           shown (photoseal_key_info_get_status (key), &status), shown (labelled, &shown_label));
  g_print (_("    to: %s%s\n"), *recipients ? shown (recipients, &shown_to) : _("nobody"),
           photoseal_key_info_get_has_access_code (key) ? _(", and anyone with the access code")
                                                         : "");
  /* Translators: when sealed, when the key expires, and how often
   * recipients (not the sender) opened the file. */
  g_print (ngettext ("    sealed %s, expires %s, opened %lld time(s) by recipients\n",
                     "    sealed %s, expires %s, opened %lld time(s) by recipients\n",
                     (gulong) CLAMP (releases, 0, G_MAXLONG)),
           created, expires, (long long) releases);
}

int
psf_keys (int    argc,
          char **argv)
{
  g_autofree char *server = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The key server"), "https://…" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("- the files you sealed, by key"));
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(GListModel) keys = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(PhotosealLabelStore) labels = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) label_error = NULL;
  int exit_code = PSF_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!psf_parse_options (context, &argc, &argv, &exit_code))
    return exit_code;

  /* Without the labels the list is still useful: say so, and go on. */
  if (!(labels = photoseal_label_store_open_default (psf_get_cancellable (), &label_error)))
    psf_print_error (_("file names and patients are not shown: %s"), label_error->message);
  if (!(client = psf_signed_in_client (server, NULL, &error))
      || !(keys = photoseal_keyserver_client_list_keys (client, psf_get_cancellable (), &error)))
    return psf_fail (NULL, error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "keys");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(PhotosealKeyInfo) key = g_list_model_get_item (keys, i);
      const PhotosealLabel *label = NULL;

      if (labels != NULL)
        label = photoseal_label_store_lookup (labels, photoseal_key_info_get_key_id (key));
      if (json)
        add_key_json (builder, key, label);
      else
        print_key (key, label);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (json)
    print_json (builder);
  return PSF_EXIT_OK;
}
