/* photoseal-keyserver-routes.h: the routes of DESIGN §3
 *
 * Each runs on the main thread, owns the request, checks its JSON and hands
 * the rest to a worker with photoseal_keyserver_run(), or answers at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-keyserver.h"

G_BEGIN_DECLS

void photoseal_route_info           (PhotosealRequest *request);
void photoseal_route_health         (PhotosealRequest *request);
void photoseal_route_create_account (PhotosealRequest *request);
void photoseal_route_me             (PhotosealRequest *request);
void photoseal_route_create_session (PhotosealRequest *request);
void photoseal_route_logout         (PhotosealRequest *request);

G_END_DECLS
