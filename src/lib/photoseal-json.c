/* photoseal-json.c
 *
 * json-glib parses recursively: a document nested a few hundred thousand
 * levels deep (600 KB of "[") overflows the stack and kills the process.
 * Every JSON that comes from outside (a key server's answer, a manifest, a
 * request body) is therefore scanned for its depth first, without
 * recursion, and only then handed to json-glib.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-json"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "photoseal-json.h"

/**
 * photoseal_json_check_depth:
 * @data: the JSON text
 * @len: its length in bytes
 * @max_depth: how many arrays and objects may nest
 *
 * Counts brackets outside strings. It does not check that @data is JSON:
 * the parser does that, once this has said the nesting is bounded.
 */
gboolean
photoseal_json_check_depth (const char  *data,
                            gsize        len,
                            guint        max_depth,
                            GError     **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if ((c == '[' || c == '{') && ++depth > max_depth)
        {
          g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                       _("The JSON is nested more than %u levels deep"), max_depth);
          return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

/**
 * photoseal_json_depth_is_bounded:
 *
 * Returns: %FALSE when arrays and objects nest deeper than @max_depth
 */
gboolean
photoseal_json_depth_is_bounded (const char *data,
                                 gsize       len,
                                 guint       max_depth)
{
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  return photoseal_json_check_depth (data, len, max_depth, NULL);
}

/**
 * photoseal_json_parse_bounded:
 *
 * Parses @data with json-glib, after checking its nesting depth.
 *
 * Returns: (transfer full) (nullable): the root node, or %NULL with a
 *   %JSON_PARSER_ERROR
 */
JsonNode *
photoseal_json_parse_bounded (const char  *data,
                              gsize        len,
                              guint        max_depth,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (!photoseal_json_check_depth (data, len, max_depth, error))
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, error))
    return NULL;
  if ((root = json_parser_get_root (parser)) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           _("The JSON document is empty"));
      return NULL;
    }
  return json_node_ref (root);
}
