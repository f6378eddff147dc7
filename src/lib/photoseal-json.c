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
