/* photoseal-json.h: JSON from others, parsed within bounds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper than any document Photoseal writes or expects (a key list is 4). */
#define PHOTOSEAL_JSON_MAX_DEPTH 64

gboolean  photoseal_json_check_depth  (const char  *data,
                                       gsize        len,
                                       guint        max_depth,
                                       GError     **error);
JsonNode *photoseal_json_parse_bounded (const char  *data,
                                        gsize        len,
                                        guint        max_depth,
                                        GError     **error);
gboolean  photoseal_json_depth_is_bounded (const char *data,
                                           gsize       len,
                                           guint       max_depth);

G_END_DECLS
