/* photoseal-json.c
 *
 * json-glib parses recursively, so a document nested a few hundred
 * thousand levels deep overflows the stack before any limit of ours is
 * looked at. One linear pass over the text, which only has to tell
 * brackets inside strings from brackets outside them, refuses such input
 * first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-json"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "photoseal-json.h"

/**
 * photoseal_json_depth_is_bounded:
 * @data: JSON text, not necessarily valid
 * @max_depth: how many arrays and objects may be open at once
 *
 * Returns: %FALSE when arrays and objects nest deeper than @max_depth
 */
gboolean
photoseal_json_depth_is_bounded (const char *data,
                                 gsize       len,
                                 guint       max_depth)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

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
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

/**
 * photoseal_json_parse_bounded:
 *
 * Parses @data with json-glib, once its nesting is known to be bounded:
 * for JSON from outside, such as a key server's answers.
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

  if (!photoseal_json_depth_is_bounded (data, len, max_depth))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   _("The JSON is nested more than %u levels deep"), max_depth);
      return NULL;
    }
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
