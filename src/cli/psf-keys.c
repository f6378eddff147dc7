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
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* FILE.psf or KEY-ID: the key id and, from a file, its server. */
static gboolean
resolve_key (const char  *target,
             char       **key_id,
             char       **origin,
             GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(PhotosealAgeHeader) header = NULL;
  guint8 raw[PHOTOSEAL_KEY_ID_SIZE];
  GPtrArray *stanzas;

  if (!g_file_test (target, G_FILE_TEST_EXISTS) && photoseal_key_id_decode (target, raw))
    {
      *key_id = g_strdup (target);
      *origin = NULL;
      return TRUE;
    }

  file = g_file_new_for_commandline_arg (target);
  if (!(header = psf_read_header (file, error)))
    return FALSE;
  stanzas = photoseal_age_header_get_stanzas (header);
  for (guint i = 0; i < stanzas->len; i++)
    {
      const PhotosealStanza *stanza = g_ptr_array_index (stanzas, i);

      if (g_strcmp0 (stanza->type, PHOTOSEAL_SERVER_KEY_STANZA_TYPE) == 0)
        return photoseal_server_key_stanza_parse (stanza, key_id, origin, error);
    }
  g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_NO_MATCH,
               _("This file was not sealed through a key server"));
  return FALSE;
}

static int
run_on_key (const char *verb,
            int         argc,
            char      **argv,
            const char *summary,
            const char *method,
            const char *path_suffix)
{
  g_auto(GStrv) targets = NULL;
  g_autofree char *server = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *path = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("The key server, for a bare key id"), "https://…" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &targets, NULL,
      N_("FILE.psf|KEY-ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (summary);
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = PSF_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!psf_parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (targets == NULL || targets[0] == NULL || targets[1] != NULL)
    return psf_usage (verb, _("name one .psf file or key id"));

  if (!resolve_key (targets[0], &key_id, &origin, &error)
      || !(client = psf_signed_in_client (origin ? origin : server, NULL, &error)))
    return psf_fail (targets[0], error);

  path = g_strconcat ("/v1/keys/", key_id, path_suffix, NULL);
  reply = photoseal_keyserver_client_request (client, method, path, NULL, psf_get_cancellable (),
                                              &error);
  if (error != NULL)
    return psf_fail (targets[0], error);

  if (reply == NULL)
    g_print (_("Revoked %s: every copy of the file is now unreadable\n"), key_id);
  else if (json)
    print_json (reply);
  else
    {
      JsonArray *events = JSON_NODE_HOLDS_ARRAY (reply) ? json_node_get_array (reply) : NULL;

      for (guint i = 0; events && i < json_array_get_length (events); i++)
        {
          JsonObject *event = json_array_get_object_element (events, i);

          /* Translators: time, action (release, deny…), account and
           * network address of one event in a file's audit trail. */
          g_print (_("%s  %-8s %s from %s\n"),
                   json_object_get_string_member_with_default (event, "at", "?"),
                   json_object_get_string_member_with_default (event, "action", "?"),
                   json_object_get_string_member_with_default (event, "actor", "?"),
                   json_object_get_string_member_with_default (event, "address", "?"));
        }
    }
  return PSF_EXIT_OK;
}

int
psf_audit (int    argc,
           char **argv)
{
  return run_on_key ("audit", argc, argv, N_("- who opened a file you sealed, and when"), "GET",
                     "/events");
}

int
psf_revoke (int    argc,
            char **argv)
{
  return run_on_key ("revoke", argc, argv,
                     N_("- make every copy of a file you sealed unreadable"), "DELETE", "");
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
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *keys = NULL;
  int exit_code = PSF_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!psf_parse_options (context, &argc, &argv, &exit_code))
    return exit_code;

  if (!(client = psf_signed_in_client (server, NULL, &error))
      || !(reply = photoseal_keyserver_client_request (client, "GET", "/v1/keys", NULL,
                                                       psf_get_cancellable (), &error)))
    return psf_fail (NULL, error);

  if (json)
    {
      print_json (reply);
      return PSF_EXIT_OK;
    }

  if (JSON_NODE_HOLDS_OBJECT (reply))
    keys = json_object_get_array_member (json_node_get_object (reply), "keys");
  for (guint i = 0; keys && i < json_array_get_length (keys); i++)
    {
      JsonObject *key = json_array_get_object_element (keys, i);
      /* Printed with %lld, as xgettext cannot see through G_GINT64_FORMAT. */
      gint64 releases = json_object_get_int_member_with_default (key, "releases", 0);

      /* Translators: key id, status (active, revoked…), creation time and
       * how often the key was released. The English text is the same for
       * one and for many. */
      g_print (ngettext ("%s  %-8s created %s, opened %lld time(s)\n",
                         "%s  %-8s created %s, opened %lld time(s)\n",
                         (gulong) CLAMP (releases, 0, G_MAXLONG)),
               json_object_get_string_member_with_default (key, "key_id", "?"),
               json_object_get_string_member_with_default (key, "status", "?"),
               json_object_get_string_member_with_default (key, "created", "?"),
               (long long) releases);
    }
  return PSF_EXIT_OK;
}
