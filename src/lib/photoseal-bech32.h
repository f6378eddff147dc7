/* photoseal-bech32.h: Bech32 (BIP 173) as age uses it for keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *photoseal_bech32_encode (const char   *hrp,
                                   const guint8 *data,
                                   gsize         len,
                                   gboolean      upper);
gboolean  photoseal_bech32_decode (const char   *text,
                                   char        **hrp,
                                   guint8       *data,
                                   gsize         data_max,
                                   gsize        *data_len);

G_END_DECLS
