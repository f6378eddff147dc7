/* photoseal-text.h: text from files and servers, made safe to show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *photoseal_text_escape_controls (const char  *text,
                                          gssize       len);
gboolean  photoseal_set_string           (char       **field,
                                          const char  *value);

G_END_DECLS
