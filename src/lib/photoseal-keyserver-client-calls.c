/* photoseal-keyserver-client-calls.c
 *
 * The typed calls of PhotosealKeyserverClient: every /v1 path the app and
 * psf use is written here, and every answer comes back as a GObject or a
 * GListModel of them, never as JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "photoseal-error.h"
#include "photoseal-keyserver-client-private.h"
#include "photoseal-keyserver-replies.h"
#include "photoseal-protocol.h"

static void
free_secret (gpointer text)
{
  if (text != NULL)
    sodium_memzero (text, strlen (text));
  g_free (text);
}

static const ReplyType no_content = { NULL, NULL };
static const ReplyType account_reply = {
  (gpointer) photoseal_account_info_from_reply, g_object_unref
};
static const ReplyType key_reply = { (gpointer) photoseal_key_info_from_reply, g_object_unref };
static const ReplyType key_list_reply = {
  (gpointer) photoseal_key_list_from_reply, g_object_unref
};
static const ReplyType event_list_reply = {
  (gpointer) photoseal_event_list_from_reply, g_object_unref
};

static GListModel *
lookup_from_reply (JsonNode  *reply,
                   GError   **error)
{
  return photoseal_recipient_list_from_reply (reply, TRUE, error);
}

static const ReplyType recipient_list_reply = { (gpointer) lookup_from_reply, g_object_unref };

static void
call_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const ReplyType *type = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  gpointer value;

  reply = photoseal_keyserver_client_send_finish (PHOTOSEAL_KEYSERVER_CLIENT (source), result,
                                                  &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (type->parse == NULL)
    g_task_return_boolean (task, TRUE);
  else if ((value = type->parse (reply, &error)) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, type->free);
}

void
photoseal_keyserver_client_call (PhotosealKeyserverClient *self,
                                 gpointer                  source_tag,
                                 const ReplyType          *type,
                                 const char               *method,
                                 const char               *path,
                                 JsonNode                 *body,
                                 gboolean                  with_token,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) type, NULL);
  photoseal_keyserver_client_send (self, method, path, body, with_token, cancellable, call_done,
                                   g_steal_pointer (&task));
}

/* A key id is checked before it goes into a URL, so that no text from a
 * file can choose another path. */
static void
call_on_key (PhotosealKeyserverClient *self,
             gpointer                  source_tag,
             const ReplyType          *type,
             const char               *method,
             const char               *key_id,
             const char               *suffix,
             JsonNode                 *body,
             GCancellable             *cancellable,
             GAsyncReadyCallback       callback,
             gpointer                  user_data)
{
  g_autofree char *path = NULL;

  if (!photoseal_key_id_decode (key_id, NULL))
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, source_tag);
      g_task_return_new_error (task, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_INVALID,
                               _("“%s” is not a key id"), key_id ? key_id : "");
      return;
    }
  path = g_strconcat ("/v1/keys/", key_id, suffix, NULL);
  photoseal_keyserver_client_call (self, source_tag, type, method, path, body, TRUE, cancellable,
                                   callback, user_data);
}

gpointer
photoseal_keyserver_client_finish_pointer (PhotosealKeyserverClient *self,
                                           GAsyncResult             *result,
                                           gpointer                  source_tag,
                                           GError                  **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
photoseal_keyserver_client_finish_boolean (PhotosealKeyserverClient *self,
                                           GAsyncResult             *result,
                                           gpointer                  source_tag,
                                           GError                  **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Accounts *************************************************************/

/**
 * photoseal_keyserver_client_get_account_async:
 *
 * The signed-in account (GET /v1/accounts/me).
 */
void
photoseal_keyserver_client_get_account_async (PhotosealKeyserverClient *self,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));

  photoseal_keyserver_client_call (self, photoseal_keyserver_client_get_account_async,
                                   &account_reply, "GET", "/v1/accounts/me", NULL, TRUE,
                                   cancellable, callback, user_data);
}

/**
 * photoseal_keyserver_client_get_account_finish:
 *
 * Returns: (transfer full): the account
 */
PhotosealAccountInfo *
photoseal_keyserver_client_get_account_finish (PhotosealKeyserverClient *self,
                                               GAsyncResult             *result,
                                               GError                  **error)
{
  return photoseal_keyserver_client_finish_pointer (self, result,
                                                    photoseal_keyserver_client_get_account_async,
                                                    error);
}

/**
 * photoseal_keyserver_client_sign_out_async:
 *
 * Ends the session on the server (DELETE /v1/sessions/current). The client
 * forgets its token and device key at once, whatever the server answers.
 */
void
photoseal_keyserver_client_sign_out_async (PhotosealKeyserverClient *self,
                                           GCancellable             *cancellable,
                                           GAsyncReadyCallback       callback,
                                           gpointer                  user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));

  /* The request holds its own copy of the token from here on. */
  photoseal_keyserver_client_call (self, photoseal_keyserver_client_sign_out_async, &no_content,
                                   "DELETE", "/v1/sessions/current", NULL, TRUE, cancellable,
                                   callback, user_data);
  photoseal_keyserver_client_set_session (self, NULL, NULL);
}

gboolean
photoseal_keyserver_client_sign_out_finish (PhotosealKeyserverClient *self,
                                            GAsyncResult             *result,
                                            GError                  **error)
{
  return photoseal_keyserver_client_finish_boolean (self, result,
                                                    photoseal_keyserver_client_sign_out_async,
                                                    error);
}

/* Keys *****************************************************************/

/**
 * photoseal_keyserver_client_list_keys_async:
 *
 * The keys the signed-in account made (GET /v1/keys).
 */
void
photoseal_keyserver_client_list_keys_async (PhotosealKeyserverClient *self,
                                            GCancellable             *cancellable,
                                            GAsyncReadyCallback       callback,
                                            gpointer                  user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));

  photoseal_keyserver_client_call (self, photoseal_keyserver_client_list_keys_async,
                                   &key_list_reply, "GET", "/v1/keys", NULL, TRUE, cancellable,
                                   callback, user_data);
}

/**
 * photoseal_keyserver_client_list_keys_finish:
 *
 * Returns: (transfer full): a #GListModel of #PhotosealKeyInfo
 */
GListModel *
photoseal_keyserver_client_list_keys_finish (PhotosealKeyserverClient *self,
                                             GAsyncResult             *result,
                                             GError                  **error)
{
  return photoseal_keyserver_client_finish_pointer (self, result,
                                                    photoseal_keyserver_client_list_keys_async,
                                                    error);
}

/**
 * photoseal_keyserver_client_get_key_async:
 *
 * One key the signed-in account owns (GET /v1/keys/{key_id}).
 */
void
photoseal_keyserver_client_get_key_async (PhotosealKeyserverClient *self,
                                          const char               *key_id,
                                          GCancellable             *cancellable,
                                          GAsyncReadyCallback       callback,
                                          gpointer                  user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));

  call_on_key (self, photoseal_keyserver_client_get_key_async, &key_reply, "GET", key_id, "",
               NULL, cancellable, callback, user_data);
}

/**
 * photoseal_keyserver_client_get_key_finish:
 *
 * Returns: (transfer full): the key
 */
PhotosealKeyInfo *
photoseal_keyserver_client_get_key_finish (PhotosealKeyserverClient *self,
                                           GAsyncResult             *result,
                                           GError                  **error)
{
  return photoseal_keyserver_client_finish_pointer (self, result,
                                                    photoseal_keyserver_client_get_key_async,
                                                    error);
}

/**
 * photoseal_keyserver_client_list_events_async:
 *
 * A key's audit trail (GET /v1/keys/{key_id}/events), for its owner.
 */
void
photoseal_keyserver_client_list_events_async (PhotosealKeyserverClient *self,
                                              const char               *key_id,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));

  call_on_key (self, photoseal_keyserver_client_list_events_async, &event_list_reply, "GET",
               key_id, "/events", NULL, cancellable, callback, user_data);
}

/**
 * photoseal_keyserver_client_list_events_finish:
 *
 * Returns: (transfer full): a #GListModel of #PhotosealAuditEvent, in the
 *   server's order
 */
GListModel *
photoseal_keyserver_client_list_events_finish (PhotosealKeyserverClient *self,
                                               GAsyncResult             *result,
                                               GError                  **error)
{
  return photoseal_keyserver_client_finish_pointer (self, result,
                                                    photoseal_keyserver_client_list_events_async,
                                                    error);
}

/* The "recipients" and "expires" members of POST and PATCH /v1/keys. */
void
photoseal_keyserver_client_add_recipients (JsonBuilder        *builder,
                                           const char * const *recipients)
{
  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  for (guint i = 0; recipients && recipients[i]; i++)
    json_builder_add_string_value (builder, recipients[i]);
  json_builder_end_array (builder);
}

void
photoseal_keyserver_client_add_expires (JsonBuilder *builder,
                                        GDateTime   *expires)
{
  json_builder_set_member_name (builder, "expires");
  if (expires == NULL)
    json_builder_add_null_value (builder);
  else
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (expires);
      g_autofree char *text = g_date_time_format (utc, "%C%y-%m-%dT%H:%M:%SZ");

      json_builder_add_string_value (builder, text);
    }
}

static JsonNode *
update_body (PhotosealKeyUpdateFlags  flags,
             const char * const      *recipients,
             GDateTime               *expires)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (flags & PHOTOSEAL_KEY_UPDATE_RECIPIENTS)
    photoseal_keyserver_client_add_recipients (builder, recipients);
  if (flags & PHOTOSEAL_KEY_UPDATE_EXPIRES)
    photoseal_keyserver_client_add_expires (builder, expires);
  if (flags & PHOTOSEAL_KEY_UPDATE_REMOVE_ACCESS_CODE)
    {
      json_builder_set_member_name (builder, "access_code");
      json_builder_add_boolean_value (builder, FALSE);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * photoseal_keyserver_client_update_key_async:
 * @flags: which of the fields below to change; the others stay as they are
 * @recipients: (nullable): the new, whole list of recipients' emails
 * @expires: (nullable): the new expiry, %NULL for never
 *
 * Changes a key the signed-in account owns (PATCH /v1/keys/{key_id}).
 */
void
photoseal_keyserver_client_update_key_async (PhotosealKeyserverClient *self,
                                             const char               *key_id,
                                             PhotosealKeyUpdateFlags   flags,
                                             const char * const       *recipients,
                                             GDateTime                *expires,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));

  body = update_body (flags, recipients, expires);
  call_on_key (self, photoseal_keyserver_client_update_key_async, &key_reply, "PATCH", key_id, "",
               body, cancellable, callback, user_data);
}

/**
 * photoseal_keyserver_client_update_key_finish:
 *
 * Returns: (transfer full): the key as it is now
 */
PhotosealKeyInfo *
photoseal_keyserver_client_update_key_finish (PhotosealKeyserverClient *self,
                                              GAsyncResult             *result,
                                              GError                  **error)
{
  return photoseal_keyserver_client_finish_pointer (self, result,
                                                    photoseal_keyserver_client_update_key_async,
                                                    error);
}

/* An ephemeral X25519 pair, public ‖ secret, for one re-issued code. */
#define EPHEMERAL_SIZE (crypto_box_PUBLICKEYBYTES + crypto_box_SECRETKEYBYTES)

static void
free_ephemeral (gpointer pair)
{
  sodium_memzero (pair, EPHEMERAL_SIZE);
  g_free (pair);
}

/* The new code comes only sealed to the request's ephemeral key. */
static char *
open_sealed_code (JsonNode     *reply,
                  const guint8 *pair)
{
  JsonObject *object = reply && JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply)
                                                                : NULL;
  const char *text = object ? json_object_get_string_member_with_default (
                                object, "sealed_access_code", NULL) : NULL;
  guint8 sealed[crypto_box_SEALBYTES + 64];
  size_t len = 0;
  char *code;

  if (text == NULL || sodium_base642bin (sealed, sizeof sealed, text, strlen (text), NULL, &len,
                                         NULL, sodium_base64_VARIANT_ORIGINAL) != 0
      || len <= crypto_box_SEALBYTES)
    return NULL;
  code = g_malloc0 (len - crypto_box_SEALBYTES + 1);
  if (crypto_box_seal_open ((guint8 *) code, sealed, len, pair,
                            pair + crypto_box_PUBLICKEYBYTES) != 0)
    g_clear_pointer (&code, free_secret);
  return code;
}

static void
reissue_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = photoseal_keyserver_client_send_finish (
    PHOTOSEAL_KEYSERVER_CLIENT (source), result, &error);
  char *code;

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if ((code = open_sealed_code (reply, g_task_get_task_data (task))) == NULL)
    g_task_return_new_error (task, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL,
                             _("The key server did not give a new access code"));
  else
    g_task_return_pointer (task, code, free_secret);
}

/**
 * photoseal_keyserver_client_reissue_access_code_async:
 *
 * Makes a new access code for a key the signed-in account owns, replacing
 * the old one and its count of wrong tries (PATCH … {"access_code":true}).
 */
void
photoseal_keyserver_client_reissue_access_code_async (PhotosealKeyserverClient *self,
                                                      const char               *key_id,
                                                      GCancellable             *cancellable,
                                                      GAsyncReadyCallback       callback,
                                                      gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  guint8 *pair = g_malloc (EPHEMERAL_SIZE);
  char public[sodium_base64_ENCODED_LEN (crypto_box_PUBLICKEYBYTES,
                                         sodium_base64_VARIANT_ORIGINAL)];

  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));

  g_task_set_source_tag (task, photoseal_keyserver_client_reissue_access_code_async);
  crypto_box_keypair (pair, pair + crypto_box_PUBLICKEYBYTES);
  g_task_set_task_data (task, pair, free_ephemeral);
  if (!photoseal_key_id_decode (key_id, NULL))
    {
      g_task_return_new_error (task, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_INVALID,
                               _("“%s” is not a key id"), key_id ? key_id : "");
      return;
    }
  sodium_bin2base64 (public, sizeof public, pair, crypto_box_PUBLICKEYBYTES,
                     sodium_base64_VARIANT_ORIGINAL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_code");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "ephemeral_public_key");
  json_builder_add_string_value (builder, public);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  path = g_strconcat ("/v1/keys/", key_id, NULL);
  photoseal_keyserver_client_send (self, "PATCH", path, body, TRUE, cancellable, reissue_done,
                                   g_steal_pointer (&task));
}

/**
 * photoseal_keyserver_client_reissue_access_code_finish:
 *
 * Returns: (transfer full): the new code; wipe it (sodium_memzero) before
 *   freeing it
 */
char *
photoseal_keyserver_client_reissue_access_code_finish (PhotosealKeyserverClient *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error)
{
  gpointer tag = photoseal_keyserver_client_reissue_access_code_async;

  return photoseal_keyserver_client_finish_pointer (self, result, tag, error);
}

/**
 * photoseal_keyserver_client_revoke_key_async:
 *
 * Revokes a key the signed-in account owns (DELETE /v1/keys/{key_id}): the
 * server destroys its server_key, and every copy of the file becomes
 * unreadable.
 */
void
photoseal_keyserver_client_revoke_key_async (PhotosealKeyserverClient *self,
                                             const char               *key_id,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));

  call_on_key (self, photoseal_keyserver_client_revoke_key_async, &no_content, "DELETE", key_id,
               "", NULL, cancellable, callback, user_data);
}

gboolean
photoseal_keyserver_client_revoke_key_finish (PhotosealKeyserverClient *self,
                                              GAsyncResult             *result,
                                              GError                  **error)
{
  return photoseal_keyserver_client_finish_boolean (self, result,
                                                    photoseal_keyserver_client_revoke_key_async,
                                                    error);
}

/* Recipients ***********************************************************/

/**
 * photoseal_keyserver_client_lookup_recipients_async:
 * @emails: (array zero-terminated=1): up to 100 addresses as typed
 *
 * Asks which of @emails have an account before sealing for them
 * (POST /v1/recipients/lookup), so a typo is caught while it can be fixed.
 * The server normalises each address; one that is not an address comes
 * back as %PHOTOSEAL_RECIPIENT_INVALID with a message, not as an error.
 */
void
photoseal_keyserver_client_lookup_recipients_async (PhotosealKeyserverClient *self,
                                                    const char * const       *emails,
                                                    GCancellable             *cancellable,
                                                    GAsyncReadyCallback       callback,
                                                    gpointer                  user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (self));
  g_return_if_fail (emails != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "emails");
  json_builder_begin_array (builder);
  for (guint i = 0; emails[i] != NULL; i++)
    json_builder_add_string_value (builder, emails[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  photoseal_keyserver_client_call (self, photoseal_keyserver_client_lookup_recipients_async,
                                   &recipient_list_reply, "POST", "/v1/recipients/lookup", body,
                                   TRUE, cancellable, callback, user_data);
}

/**
 * photoseal_keyserver_client_lookup_recipients_finish:
 *
 * Returns: (transfer full): a #GListModel of #PhotosealRecipientInfo, one
 *   per address asked, in order
 */
GListModel *
photoseal_keyserver_client_lookup_recipients_finish (PhotosealKeyserverClient *self,
                                                     GAsyncResult             *result,
                                                     GError                  **error)
{
  return photoseal_keyserver_client_finish_pointer (
    self, result, photoseal_keyserver_client_lookup_recipients_async, error);
}

/* Blocking versions ****************************************************/

GListModel *
photoseal_keyserver_client_list_keys (PhotosealKeyserverClient *self,
                                      GCancellable             *cancellable,
                                      GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_list_keys_async (self, cancellable, photoseal_sync_done,
                                                        &sync),
            photoseal_keyserver_client_list_keys_finish);
}

GListModel *
photoseal_keyserver_client_list_events (PhotosealKeyserverClient *self,
                                        const char               *key_id,
                                        GCancellable             *cancellable,
                                        GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_list_events_async (self, key_id, cancellable,
                                                          photoseal_sync_done, &sync),
            photoseal_keyserver_client_list_events_finish);
}

gboolean
photoseal_keyserver_client_revoke_key (PhotosealKeyserverClient *self,
                                       const char               *key_id,
                                       GCancellable             *cancellable,
                                       GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_revoke_key_async (self, key_id, cancellable,
                                                         photoseal_sync_done, &sync),
            photoseal_keyserver_client_revoke_key_finish);
}

PhotosealKeyInfo *
photoseal_keyserver_client_get_key (PhotosealKeyserverClient *self,
                                    const char               *key_id,
                                    GCancellable             *cancellable,
                                    GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_get_key_async (self, key_id, cancellable,
                                                      photoseal_sync_done, &sync),
            photoseal_keyserver_client_get_key_finish);
}

PhotosealKeyInfo *
photoseal_keyserver_client_update_key (PhotosealKeyserverClient *self,
                                       const char               *key_id,
                                       PhotosealKeyUpdateFlags   flags,
                                       const char * const       *recipients,
                                       GDateTime                *expires,
                                       GCancellable             *cancellable,
                                       GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_update_key_async (self, key_id, flags, recipients, expires,
                                                         cancellable, photoseal_sync_done, &sync),
            photoseal_keyserver_client_update_key_finish);
}

/* Returns: (transfer full): the new code; wipe it before freeing it. */
char *
photoseal_keyserver_client_reissue_access_code (PhotosealKeyserverClient *self,
                                                const char               *key_id,
                                                GCancellable             *cancellable,
                                                GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_reissue_access_code_async (self, key_id, cancellable,
                                                                  photoseal_sync_done, &sync),
            photoseal_keyserver_client_reissue_access_code_finish);
}

gboolean
photoseal_keyserver_client_sign_out (PhotosealKeyserverClient *self,
                                     GCancellable             *cancellable,
                                     GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_sign_out_async (self, cancellable, photoseal_sync_done,
                                                       &sync),
            photoseal_keyserver_client_sign_out_finish);
}

GListModel *
photoseal_keyserver_client_lookup_recipients (PhotosealKeyserverClient *self,
                                              const char * const       *emails,
                                              GCancellable             *cancellable,
                                              GError                  **error)
{
  RUN_SYNC (photoseal_keyserver_client_lookup_recipients_async (self, emails, cancellable,
                                                                photoseal_sync_done, &sync),
            photoseal_keyserver_client_lookup_recipients_finish);
}
