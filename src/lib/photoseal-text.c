/* photoseal-text.c
 *
 * Strings from a file's header, its manifest or a key server can hold
 * anything: ESC sequences that repaint a terminal, CR that hides a line,
 * right-to-left overrides that reorder one. Everything printed or shown
 * from them goes through here first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-text"

#include "config.h"

#include <string.h>

#include "photoseal-text.h"

/**
 * photoseal_text_escape_controls:
 * @text: (nullable): any bytes
 * @len: the length of @text, or -1 when it ends with a NUL
 *
 * Invalid UTF-8 becomes U+FFFD; control and format characters (C0, DEL,
 * C1, bidirectional overrides, zero-width ones) become visible escapes
 * such as "\x1b" or "\u202e". Printable text is unchanged.
 *
 * Returns: (transfer full): text that is safe for a terminal
 */
char *
photoseal_text_escape_controls (const char *text,
                                gssize      len)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", text ? len : 0);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (c < 0x80 && type == G_UNICODE_CONTROL)
        g_string_append_printf (out, "\\x%02x", c);
      else if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT
               || type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/**
 * photoseal_set_string:
 *
 * Replaces *@field by a copy of @value, as g_set_str() does from GLib 2.76.
 *
 * Returns: whether it changed, so that a property is notified only then
 */
gboolean
photoseal_set_string (char       **field,
                      const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}
