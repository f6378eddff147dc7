/* photoseal-keyserver-routes.h: the routes of DESIGN §3
 *
 * Each runs on the main thread, owns the request, checks its JSON and hands
 * the rest to a worker with photoseal_keyserver_run(), or answers at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-keyserver.h"
#include "photoseal-protocol.h"

G_BEGIN_DECLS

void photoseal_route_info           (PhotosealRequest *request);
void photoseal_route_health         (PhotosealRequest *request);
void photoseal_route_create_account (PhotosealRequest *request);
void photoseal_route_me             (PhotosealRequest *request);
void photoseal_route_create_session (PhotosealRequest *request);
void photoseal_route_logout         (PhotosealRequest *request);
void photoseal_route_create_key     (PhotosealRequest *request);
void photoseal_route_list_keys      (PhotosealRequest *request);
void photoseal_route_show_key       (PhotosealRequest *request);
void photoseal_route_update_key     (PhotosealRequest *request);
void photoseal_route_revoke_key     (PhotosealRequest *request);
void photoseal_route_key_events     (PhotosealRequest *request);
void photoseal_route_release        (PhotosealRequest *request);
void photoseal_route_verification   (PhotosealRequest *request);
void photoseal_route_password_reset (PhotosealRequest *request);
void photoseal_route_set_password   (PhotosealRequest *request);
void photoseal_route_list_devices   (PhotosealRequest *request);
void photoseal_route_remove_device  (PhotosealRequest *request);
void photoseal_route_lookup_recipients (PhotosealRequest *request);

#define PHOTOSEAL_MIN_PASSWORD 10
#define PHOTOSEAL_MAX_PASSWORD 1024

/* Identity (photoseal-keyserver-routes-identity.c). */
gboolean photoseal_request_check_code (PhotosealRequest   *request,
                                       const char         *email,
                                       const char * const *purposes,
                                       const char         *code);

/* What a recipient without an account can expect: "invitable" when
 * invitations are mailed, else "no_account". */
const char *photoseal_keyserver_no_account_state (PhotosealKeyserver *server);

/* Invitations (photoseal-keyserver-invitations.c). */
JsonNode *photoseal_keyserver_invite (PhotosealKeyserver     *server,
                                      const PhotosealAccount *owner,
                                      const char * const     *recipients,
                                      const char * const     *already,
                                      gint64                  expires);

/* Shared by the key routes. */
char     *photoseal_access_code_new    (char       **hash);
char     *photoseal_access_code_normalize (const char *code);
JsonNode *photoseal_sealed_key_reply   (const guint8 *server_key,
                                        const guint8 *ephemeral_public_key,
                                        const char   *key_id,
                                        const char   *access_code);

G_END_DECLS
