/* photoseal-json.h: checks to run on JSON text before json-glib parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper than anything Photoseal writes or reads, far shallower than what
 * overflows json-glib's recursive parser. */
#define PHOTOSEAL_JSON_MAX_DEPTH 64

gboolean  photoseal_json_depth_is_bounded (const char  *data,
                                           gsize        len,
                                           guint        max_depth);
JsonNode *photoseal_json_parse_bounded    (const char  *data,
                                           gsize        len,
                                           guint        max_depth,
                                           GError     **error);

G_END_DECLS
