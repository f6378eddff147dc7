/* photoseal-origin.h: key-server origins as written in a photoseal stanza
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  photoseal_origin_is_loopback_host (const char *host);
char     *photoseal_origin_host             (const char *origin);
char     *photoseal_origin_normalize        (const char *text,
                                             GError    **error);

G_END_DECLS
