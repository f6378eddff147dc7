/* photoseal-keyserver-routes-info.c: GET /v1/info and GET /v1/health
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include "photoseal-keyserver-routes.h"

void
photoseal_route_info (PhotosealRequest *request)
{
  g_autoptr(PhotosealRequest) owned = request;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  PhotosealKeyserverOptions *options = photoseal_keyserver_get_options (request->server);
  g_auto(GStrv) domains = photoseal_keyserver_options_get_allowed_domains (options);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "photoseal-keyserver");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "registration");
  json_builder_add_string_value (builder, options->registration);
  json_builder_set_member_name (builder, "mail");
  json_builder_add_boolean_value (builder, photoseal_keyserver_get_mailer (request->server) != NULL);
  json_builder_set_member_name (builder, "directory");
  json_builder_add_boolean_value (builder, g_strcmp0 (options->directory, "on") == 0);
  json_builder_set_member_name (builder, "allowed_domains");
  json_builder_begin_array (builder);
  for (guint i = 0; domains != NULL && domains[i] != NULL; i++)
    json_builder_add_string_value (builder, domains[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  photoseal_request_reply (request, 200, json_builder_get_root (builder));
  photoseal_request_send (request);
}

/* Asks the store, so that a load balancer stops sending requests to a
 * node whose database is gone. */
static void
check_health (PhotosealRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhotosealAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  account = photoseal_store_find_account_by_id (photoseal_keyserver_get_store (request->server), 0,
                                                &error);
  if (error != NULL)
    {
      photoseal_request_fail (request, 503, "unavailable", "The database is not answering");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_end_object (builder);
  photoseal_request_reply (request, 200, json_builder_get_root (builder));
}

void
photoseal_route_health (PhotosealRequest *request)
{
  photoseal_keyserver_run (request->server, request, PHOTOSEAL_WORK_STORE, check_health);
}
