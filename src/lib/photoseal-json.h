/* photoseal-json.h: checks to run on JSON text before json-glib parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deeper than anything Photoseal writes or reads, far shallower than what
 * overflows json-glib's recursive parser. */
#define PHOTOSEAL_JSON_MAX_DEPTH 64

gboolean photoseal_json_depth_is_bounded (const char *data,
                                          gsize       len,
                                          guint       max_depth);

G_END_DECLS
