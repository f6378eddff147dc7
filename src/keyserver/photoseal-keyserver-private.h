/* photoseal-keyserver-private.h: what the server's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "photoseal-keyserver-request.h"
#include "photoseal-keyserver.h"

G_BEGIN_DECLS

void photoseal_keyserver_request_done   (PhotosealKeyserver *self,
                                         SoupServerMessage  *msg);

void photoseal_body_limit_handle_early  (SoupServer        *server,
                                         SoupServerMessage *msg,
                                         const char        *path,
                                         GHashTable        *query,
                                         gpointer           user_data);
void photoseal_body_limit_on_got_chunk  (SoupServerMessage *msg,
                                         GBytes            *chunk,
                                         gpointer           user_data);

G_END_DECLS
