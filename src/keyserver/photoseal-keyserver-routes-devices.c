/* photoseal-keyserver-routes-devices.c: GET /v1/devices and
 * DELETE /v1/devices/{id}
 *
 * A device is the key pair a client enrolled when it signed in; removing
 * one (a lost laptop) ends all its sessions, so its key signs nothing the
 * server accepts any more.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <string.h>

#include "photoseal-keyserver-routes.h"

#define MAX_DEVICE_ID 64

static void
add_device (JsonBuilder           *builder,
            const PhotosealDevice *device,
            const char            *current)
{
  g_autofree char *expires = photoseal_keyserver_format_time (device->expires);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, device->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, device->name);
  json_builder_set_member_name (builder, "expires");
  json_builder_add_string_value (builder, expires);
  json_builder_set_member_name (builder, "current");
  json_builder_add_boolean_value (builder, g_strcmp0 (device->id, current) == 0);
  json_builder_end_object (builder);
}

static void
list_devices (PhotosealRequest *request)
{
  g_autoptr(PhotosealSession) session = photoseal_keyserver_authenticate (request->server,
                                                                          request);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  if (session == NULL)
    return;
  devices = photoseal_store_list_devices (photoseal_keyserver_get_store (request->server),
                                          session->account_id,
                                          g_get_real_time () / G_USEC_PER_SEC, &error);
  if (devices == NULL)
    {
      photoseal_request_fail_internal (request, error, "The devices could not be listed");
      return;
    }
  json_builder_begin_array (builder);
  for (guint i = 0; i < devices->len; i++)
    add_device (builder, devices->pdata[i], session->device_id);
  json_builder_end_array (builder);
  photoseal_request_reply (request, 200, json_builder_get_root (builder));
}

void
photoseal_route_list_devices (PhotosealRequest *request)
{
  photoseal_keyserver_run (request->server, request, PHOTOSEAL_WORK_STORE, list_devices);
}

static void
remove_device (PhotosealRequest *request)
{
  g_autoptr(PhotosealSession) session = photoseal_keyserver_authenticate_signed (request->server,
                                                                                 request);
  g_autoptr(GError) error = NULL;

  if (session == NULL)
    return;
  if (photoseal_store_remove_device (photoseal_keyserver_get_store (request->server),
                                     session->account_id, request->path_argument, &error))
    photoseal_request_reply (request, 204, NULL);
  else if (g_error_matches (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND))
    photoseal_request_fail (request, 404, "not_found", "This account has no such device");
  else
    photoseal_request_fail_internal (request, error, "The device could not be removed");
}

void
photoseal_route_remove_device (PhotosealRequest *request)
{
  if (strlen (request->path_argument) > MAX_DEVICE_ID)
    {
      photoseal_request_fail (request, 404, "not_found", "This account has no such device");
      photoseal_request_send (request);
      photoseal_request_free (request);
      return;
    }
  photoseal_keyserver_run (request->server, request, PHOTOSEAL_WORK_STORE, remove_device);
}
