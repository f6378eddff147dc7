/* psf-inspect.c: psf inspect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "psf"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "photoseal.h"
#include "psf-common.h"

static void
describe_stanza (JsonBuilder           *builder,
                 const PhotosealStanza *stanza)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, stanza->type);

  if (g_strcmp0 (stanza->type, PHOTOSEAL_SERVER_KEY_STANZA_TYPE) == 0)
    {
      g_autofree char *key_id = NULL;
      g_autofree char *origin = NULL;

      if (photoseal_server_key_stanza_parse (stanza, &key_id, &origin, NULL))
        {
          json_builder_set_member_name (builder, "key_id");
          json_builder_add_string_value (builder, key_id);
          json_builder_set_member_name (builder, "server");
          json_builder_add_string_value (builder, origin);
        }
    }
  else if (g_strcmp0 (stanza->type, PHOTOSEAL_SCRYPT_STANZA_TYPE) == 0
           && photoseal_stanza_get_n_args (stanza) == 2)
    {
      json_builder_set_member_name (builder, "work_factor");
      json_builder_add_string_value (builder, stanza->args[1]);
    }

  json_builder_end_object (builder);
}

/* The header cannot say who sealed the file: only a key server confirms
 * that, when it releases the key (psf open prints it then). */
static void
print_sender (GPtrArray *stanzas)
{
  for (guint i = 0; i < stanzas->len; i++)
    {
      const PhotosealStanza *stanza = g_ptr_array_index (stanzas, i);
      g_autofree char *key_id = NULL;
      g_autofree char *origin = NULL;
      g_autofree char *host = NULL;
      g_autofree char *shown = NULL;

      if (g_strcmp0 (stanza->type, PHOTOSEAL_SERVER_KEY_STANZA_TYPE) != 0
          || !photoseal_server_key_stanza_parse (stanza, &key_id, &origin, NULL))
        continue;
      host = photoseal_origin_host (origin);
      shown = photoseal_text_escape_controls (host, -1);
      g_print (_("  From: confirmed by %s when the file is opened (psf open)\n"), shown);
      return;
    }
  g_print (_("  From: Sender not confirmed (no key server vouches for this file)\n"));
}

/* The header's text came with the file: a crafted origin may hold ESC
 * sequences, so nothing from it reaches the terminal unescaped. */
static void
print_text (const char *path,
            goffset     size,
            GPtrArray  *stanzas)
{
  g_autofree char *shown_path = photoseal_text_escape_controls (path, -1);

  /* A pipe's size is unknown without reading it all; only the header is read. */
  if (size >= 0)
    {
      g_autofree char *size_text = g_format_size (size);

      g_print (_("%s: Photoseal sealed file (age v1), %s\n"), shown_path, size_text);
    }
  else
    g_print (_("%s: Photoseal sealed file (age v1)\n"), shown_path);
  print_sender (stanzas);
  for (guint i = 0; i < stanzas->len; i++)
    {
      const PhotosealStanza *stanza = g_ptr_array_index (stanzas, i);
      g_autofree char *key_id = NULL;
      g_autofree char *origin = NULL;
      g_autofree char *shown = NULL;

      if (g_strcmp0 (stanza->type, PHOTOSEAL_SERVER_KEY_STANZA_TYPE) == 0
          && photoseal_server_key_stanza_parse (stanza, &key_id, &origin, NULL))
        {
          shown = photoseal_text_escape_controls (origin, -1);
          /* Translators: this and the next three lines form a table; keep
           * their labels left-aligned in one column. */
          g_print (_("  key server   %s (key %s)\n"), shown, key_id);
        }
      else if (g_strcmp0 (stanza->type, PHOTOSEAL_X25519_STANZA_TYPE) == 0)
        g_print (_("  age key      an X25519 recipient (archive or break-glass key)\n"));
      else if (g_strcmp0 (stanza->type, PHOTOSEAL_SCRYPT_STANZA_TYPE) == 0)
        {
          shown = photoseal_text_escape_controls (photoseal_stanza_get_n_args (stanza) == 2
                                                  ? stanza->args[1] : "?", -1);
          g_print (_("  passphrase   scrypt, work factor %s\n"), shown);
        }
      else
        {
          shown = photoseal_text_escape_controls (stanza->type, -1);
          g_print (_("  other        a “%s” recipient\n"), shown);
        }
    }
}

static void
print_json (const char *path,
            goffset     size,
            GPtrArray  *stanzas)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "size");
  if (size >= 0)
    json_builder_add_int_value (builder, size);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  for (guint i = 0; i < stanzas->len; i++)
    describe_stanza (builder, g_ptr_array_index (stanzas, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

int
psf_inspect (int    argc,
             char **argv)
{
  g_auto(GStrv) inputs = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_("FILE.psf|-") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (N_("- show who can open a .psf, without opening it"));
  g_autoptr(PhotosealAgeHeader) header = NULL;
  g_autoptr(GBufferedInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  goffset size = -1;
  int exit_code = PSF_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    N_("FILE.psf may be “-” for standard input (a pipe): only its header is read,\n"
       "and its size is not shown (null with --json)."));
  if (!psf_parse_options (context, &argc, &argv, &exit_code))
    return exit_code;
  if (inputs == NULL || inputs[0] == NULL || inputs[1] != NULL)
    return psf_usage ("inspect", _("name one .psf file to inspect"));

  if (!(in = psf_open_input (inputs[0], &size, &error))
      || !(header = photoseal_age_header_read (in, psf_get_cancellable (), &error)))
    return psf_fail (psf_input_name (inputs[0]), error);

  if (json)
    print_json (inputs[0], size, photoseal_age_header_get_stanzas (header));
  else
    print_text (psf_input_name (inputs[0]), size, photoseal_age_header_get_stanzas (header));
  return PSF_EXIT_OK;
}
