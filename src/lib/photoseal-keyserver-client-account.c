/* photoseal-keyserver-client-account.c
 *
 * The typed calls for an account's identity: proving an address with a
 * mailed code, signing up with it, resetting a password, and the devices
 * signed in to the account (DESIGN "Identity (v1.1)").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "photoseal-error.h"
#include "photoseal-keyserver-client-private.h"
#include "photoseal-keyserver-replies.h"

/* Server device ids are unpadded base64url; the bound is the server's. */
#define MAX_DEVICE_ID 64

static const ReplyType no_content = { NULL, NULL };
static const ReplyType account_reply = {
  (gpointer) photoseal_account_info_from_reply, g_object_unref
};
static const ReplyType device_list_reply = {
  (gpointer) photoseal_device_list_from_reply, g_object_unref
};

/* A JSON object of the given string members, NULL-terminated pairs; a
 * pair whose value is %NULL is left out. */
static JsonNode *
object_body (const char *first_name,
             ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, value);
    }
  va_end (args);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Codes and invitations ************************************************/

/**
 * photoseal_keyserver_client_request_code_async:
 * @email: the address to prove
 *
 * Asks the server to mail a sign-up code to @email (POST
 * /v1/accounts/verification). The server answers the same whether or not
 * it mails one, so success says only that the request was well-formed.
 */
void
photoseal_keyserver_client_request_code_async (PhotosealKeyserverClient *self,
                                               const char               *email,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));
  g_return_if_fail (email != NULL);

  body = object_body ("email", email, NULL);
  photoseal_keyserver_client_call (self, photoseal_keyserver_client_request_code_async,
                                   &no_content, "POST", "/v1/accounts/verification", body, FALSE,
                                   cancellable, callback, user_data);
}

gboolean
photoseal_keyserver_client_request_code_finish (PhotosealKeyserverClient *self,
                                                GAsyncResult             *result,
                                                GError                  **error)
{
  return photoseal_keyserver_client_finish_boolean (
    self, result, photoseal_keyserver_client_request_code_async, error);
}

/**
 * photoseal_keyserver_client_sign_up_async:
 * @email: the new account's email
 * @code: (nullable): the code mailed to @email (a sign-up code or an
 *   invitation's); %NULL on a server whose registration is open
 * @password: 10 to 1024 bytes; sent once, never kept
 * @name: the name recipients see
 *
 * Creates an account (POST /v1/accounts). It does not sign in: call
 * photoseal_keyserver_client_sign_in_async() next. A wrong code fails
 * with %PHOTOSEAL_KEYSERVER_ERROR_BAD_CODE, the sixth with
 * %PHOTOSEAL_KEYSERVER_ERROR_LOCKED.
 */
void
photoseal_keyserver_client_sign_up_async (PhotosealKeyserverClient *self,
                                          const char               *email,
                                          const char               *code,
                                          const char               *password,
                                          const char               *name,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));
  g_return_if_fail (email != NULL && password != NULL && name != NULL);

  body = object_body ("email", email, "password", password, "name", name, "code", code, NULL);
  photoseal_keyserver_client_call (self, photoseal_keyserver_client_sign_up_async,
                                   &account_reply, "POST", "/v1/accounts", body, FALSE,
                                   cancellable, callback, user_data);
}

/**
 * photoseal_keyserver_client_sign_up_finish:
 *
 * Returns: (transfer full): the new account
 */
PhotosealAccountInfo *
photoseal_keyserver_client_sign_up_finish (PhotosealKeyserverClient *self,
                                           GAsyncResult             *result,
                                           GError                  **error)
{
  return photoseal_keyserver_client_finish_pointer (
    self, result, photoseal_keyserver_client_sign_up_async, error);
}

/**
 * photoseal_keyserver_client_register_async:
 *
 * photoseal_keyserver_client_sign_up_async() without a code, for servers
 * whose registration is open.
 */
void
photoseal_keyserver_client_register_async (PhotosealKeyserverClient *self,
                                           const char               *email,
                                           const char               *password,
                                           const char               *name,
                                           GCancellable             *cancellable,
                                           GAsyncReadyCallback       callback,
                                           gpointer                  user_data)
{
  photoseal_keyserver_client_sign_up_async (self, email, NULL, password, name, cancellable,
                                            callback, user_data);
}

PhotosealAccountInfo *
photoseal_keyserver_client_register_finish (PhotosealKeyserverClient *self,
                                            GAsyncResult             *result,
                                            GError                  **error)
{
  return photoseal_keyserver_client_sign_up_finish (self, result, error);
}

/* Password reset *******************************************************/

/**
 * photoseal_keyserver_client_request_password_reset_async:
 *
 * Asks the server to mail a reset code to @email (POST
 * /v1/accounts/password-reset); answered alike whether or not the
 * account exists.
 */
void
photoseal_keyserver_client_request_password_reset_async (PhotosealKeyserverClient *self,
                                                         const char               *email,
                                                         GCancellable             *cancellable,
                                                         GAsyncReadyCallback       callback,
                                                         gpointer                  user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));
  g_return_if_fail (email != NULL);

  body = object_body ("email", email, NULL);
  photoseal_keyserver_client_call (self, photoseal_keyserver_client_request_password_reset_async,
                                   &no_content, "POST", "/v1/accounts/password-reset", body,
                                   FALSE, cancellable, callback, user_data);
}

gboolean
photoseal_keyserver_client_request_password_reset_finish (PhotosealKeyserverClient *self,
                                                          GAsyncResult             *result,
                                                          GError                  **error)
{
  return photoseal_keyserver_client_finish_boolean (
    self, result, photoseal_keyserver_client_request_password_reset_async, error);
}

/**
 * photoseal_keyserver_client_reset_password_async:
 * @code: the reset code mailed to @email
 * @password: the new password
 *
 * Sets a new password with a reset code (POST /v1/accounts/password).
 * Every session of the account ends, this client's too: sign in again
 * with the new password.
 */
void
photoseal_keyserver_client_reset_password_async (PhotosealKeyserverClient *self,
                                                 const char               *email,
                                                 const char               *code,
                                                 const char               *password,
                                                 GCancellable             *cancellable,
                                                 GAsyncReadyCallback       callback,
                                                 gpointer                  user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));
  g_return_if_fail (email != NULL && code != NULL && password != NULL);

  body = object_body ("email", email, "code", code, "password", password, NULL);
  photoseal_keyserver_client_call (self, photoseal_keyserver_client_reset_password_async,
                                   &no_content, "POST", "/v1/accounts/password", body, FALSE,
                                   cancellable, callback, user_data);
}

gboolean
photoseal_keyserver_client_reset_password_finish (PhotosealKeyserverClient *self,
                                                  GAsyncResult             *result,
                                                  GError                  **error)
{
  return photoseal_keyserver_client_finish_boolean (
    self, result, photoseal_keyserver_client_reset_password_async, error);
}

/* Devices **************************************************************/

/**
 * photoseal_keyserver_client_list_devices_async:
 *
 * The devices with a live session on the signed-in account (GET
 * /v1/devices).
 */
void
photoseal_keyserver_client_list_devices_async (PhotosealKeyserverClient *self,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));

  photoseal_keyserver_client_call (self, photoseal_keyserver_client_list_devices_async,
                                   &device_list_reply, "GET", "/v1/devices", NULL, TRUE,
                                   cancellable, callback, user_data);
}

/**
 * photoseal_keyserver_client_list_devices_finish:
 *
 * Returns: (transfer full): a #GListModel of #PhotosealDeviceInfo
 */
GListModel *
photoseal_keyserver_client_list_devices_finish (PhotosealKeyserverClient *self,
                                                GAsyncResult             *result,
                                                GError                  **error)
{
  return photoseal_keyserver_client_finish_pointer (
    self, result, photoseal_keyserver_client_list_devices_async, error);
}

/* A device id goes into a URL: only unreserved base64url characters, so
 * no text from a server's answer can choose another path. */
static gboolean
is_device_id (const char *id)
{
  gsize len = id ? strlen (id) : 0;

  if (len == 0 || len > MAX_DEVICE_ID)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_')
      return FALSE;
  return TRUE;
}

/**
 * photoseal_keyserver_client_remove_device_async:
 * @device_id: a #PhotosealDeviceInfo's id
 *
 * Removes a device from the signed-in account (DELETE /v1/devices/{id},
 * signed): its sessions end and its key signs nothing the server accepts
 * any more. Removing the current device signs this client out on the
 * server; forget the session here too.
 */
void
photoseal_keyserver_client_remove_device_async (PhotosealKeyserverClient *self,
                                                const char               *device_id,
                                                GCancellable             *cancellable,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));

  if (!is_device_id (device_id))
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, photoseal_keyserver_client_remove_device_async);
      g_task_return_new_error (task, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_INVALID,
                               _("“%s” is not a device id"), device_id ? device_id : "");
      return;
    }
  path = g_strconcat ("/v1/devices/", device_id, NULL);
  photoseal_keyserver_client_call (self, photoseal_keyserver_client_remove_device_async,
                                   &no_content, "DELETE", path, NULL, TRUE, cancellable, callback,
                                   user_data);
}

gboolean
photoseal_keyserver_client_remove_device_finish (PhotosealKeyserverClient *self,
                                                 GAsyncResult             *result,
                                                 GError                  **error)
{
  return photoseal_keyserver_client_finish_boolean (
    self, result, photoseal_keyserver_client_remove_device_async, error);
}

/* Blocking versions ****************************************************/

gboolean
photoseal_keyserver_client_request_code (PhotosealKeyserverClient *self,
                                         const char               *email,
                                         GCancellable             *cancellable,
                                         GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_request_code_async (self, email, cancellable,
                                                           photoseal_sync_done, &sync),
            photoseal_keyserver_client_request_code_finish);
}

PhotosealAccountInfo *
photoseal_keyserver_client_sign_up (PhotosealKeyserverClient *self,
                                    const char               *email,
                                    const char               *code,
                                    const char               *password,
                                    const char               *name,
                                    GCancellable             *cancellable,
                                    GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_sign_up_async (self, email, code, password, name,
                                                      cancellable, photoseal_sync_done, &sync),
            photoseal_keyserver_client_sign_up_finish);
}

gboolean
photoseal_keyserver_client_request_password_reset (PhotosealKeyserverClient *self,
                                                   const char               *email,
                                                   GCancellable             *cancellable,
                                                   GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_request_password_reset_async (self, email, cancellable,
                                                                     photoseal_sync_done, &sync),
            photoseal_keyserver_client_request_password_reset_finish);
}

gboolean
photoseal_keyserver_client_reset_password (PhotosealKeyserverClient *self,
                                           const char               *email,
                                           const char               *code,
                                           const char               *password,
                                           GCancellable             *cancellable,
                                           GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_reset_password_async (self, email, code, password,
                                                             cancellable, photoseal_sync_done,
                                                             &sync),
            photoseal_keyserver_client_reset_password_finish);
}

GListModel *
photoseal_keyserver_client_list_devices (PhotosealKeyserverClient *self,
                                         GCancellable             *cancellable,
                                         GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_list_devices_async (self, cancellable,
                                                           photoseal_sync_done, &sync),
            photoseal_keyserver_client_list_devices_finish);
}

gboolean
photoseal_keyserver_client_remove_device (PhotosealKeyserverClient *self,
                                          const char               *device_id,
                                          GCancellable             *cancellable,
                                          GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_remove_device_async (self, device_id, cancellable,
                                                            photoseal_sync_done, &sync),
            photoseal_keyserver_client_remove_device_finish);
}
