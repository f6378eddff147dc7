/* photoseal-keyserver-listener.h: accepts connections for the SoupServer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Seconds a client has to send a whole request (and finish TLS first). */
#define PHOTOSEAL_KEYSERVER_REQUEST_TIMEOUT 10
/* Seconds a kept-alive connection may wait for its next request. */
#define PHOTOSEAL_KEYSERVER_IDLE_TIMEOUT 30
#define PHOTOSEAL_KEYSERVER_LISTEN_BACKLOG 4096

#define PHOTOSEAL_TYPE_KEYSERVER_LISTENER (photoseal_keyserver_listener_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealKeyserverListener, photoseal_keyserver_listener, PHOTOSEAL,
                      KEYSERVER_LISTENER, GObject)

PhotosealKeyserverListener *photoseal_keyserver_listener_new (SoupServer      *server,
                                                              GTlsCertificate *certificate,
                                                              guint            max_connections,
                                                              guint            max_per_address,
                                                              GPtrArray       *trusted_proxies);
gboolean photoseal_keyserver_listener_listen (PhotosealKeyserverListener *self,
                                              GSocketAddress             *address,
                                              GError                    **error);
char *photoseal_keyserver_listener_get_uri (PhotosealKeyserverListener *self);
void photoseal_keyserver_listener_close (PhotosealKeyserverListener *self);

G_END_DECLS
