/* photoseal-sealer-server-key.c
 *
 * The one way a sealer gets its photoseal stanza: create the file's key on
 * the key server, then add a server-key recipient for it. The app and psf
 * both call this, so the order (key first, nothing sealed without it) and
 * the wiping of the server key are written once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sealer"

#include "config.h"

#include "photoseal-keyserver-client-private.h"
#include "photoseal-sealer.h"
#include "photoseal-server-key-recipient.h"

static void
key_created_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhotosealSealer *self = g_task_get_source_object (task);
  PhotosealKeyserverClient *client = PHOTOSEAL_KEYSERVER_CLIENT (source);
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(PhotosealServerKeyRecipient) recipient = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_SEALER (self));

  key = photoseal_keyserver_client_create_key_finish (client, result, &error);
  if (key != NULL)
    recipient = photoseal_server_key_recipient_new (key->key_id,
                                                    photoseal_keyserver_client_get_origin (client),
                                                    key->server_key, &error);
  if (recipient == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  photoseal_sealer_add_recipient (self, PHOTOSEAL_RECIPIENT (recipient));
  g_task_return_pointer (task, g_steal_pointer (&key), (GDestroyNotify) photoseal_sealed_key_free);
}

/**
 * photoseal_sealer_add_server_key_async:
 * @client: signed in to the key server that is to hold the key
 * @recipients: emails of the people who may open the file
 * @expires: (nullable): when the key stops being released, %NULL for never
 * @access_code: whether to also make an access code
 *
 * Creates the file's key on the key server and adds the photoseal stanza
 * for it to the sealer. Call it on the main thread, before sealing.
 */
void
photoseal_sealer_add_server_key_async (PhotosealSealer          *self,
                                       PhotosealKeyserverClient *client,
                                       const char * const       *recipients,
                                       GDateTime                *expires,
                                       gboolean                  access_code,
                                       GCancellable             *cancellable,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PHOTOSEAL_IS_SEALER (self));
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER_CLIENT (client));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, photoseal_sealer_add_server_key_async);
  photoseal_keyserver_client_create_key_async (client, recipients, expires, access_code,
                                               cancellable, key_created_cb,
                                               g_steal_pointer (&task));
}

/**
 * photoseal_sealer_add_server_key_finish:
 * @key_id: (out) (optional): the new key's id, to revoke it if sealing fails
 * @access_code: (out) (optional) (nullable): the access code, if one was
 *   asked for; show it once, then wipe it
 * @recipient_states: (out) (optional) (transfer full): a #GListModel of
 *   #PhotosealRecipientInfo, what the key server did for each recipient:
 *   %PHOTOSEAL_RECIPIENT_ACCOUNT, %PHOTOSEAL_RECIPIENT_INVITED,
 *   %PHOTOSEAL_RECIPIENT_NOT_SENT or %PHOTOSEAL_RECIPIENT_NO_ACCOUNT; empty
 *   from a server that does not say. Tell the sealer who was not reached,
 *   so that they pass on the access code.
 */
gboolean
photoseal_sealer_add_server_key_finish (PhotosealSealer  *self,
                                        GAsyncResult     *result,
                                        char            **key_id,
                                        char            **access_code,
                                        GListModel      **recipient_states,
                                        GError          **error)
{
  g_autoptr(PhotosealSealedKey) key = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!(key = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;
  if (key_id != NULL)
    *key_id = g_steal_pointer (&key->key_id);
  if (access_code != NULL)
    *access_code = g_steal_pointer (&key->access_code);
  if (recipient_states != NULL)
    *recipient_states = g_steal_pointer (&key->recipients);
  return TRUE;
}

/**
 * photoseal_sealer_add_server_key:
 *
 * The blocking form of photoseal_sealer_add_server_key_async(), for the
 * command line.
 */
gboolean
photoseal_sealer_add_server_key (PhotosealSealer          *self,
                                 PhotosealKeyserverClient *client,
                                 const char * const       *recipients,
                                 GDateTime                *expires,
                                 gboolean                  access_code,
                                 char                    **key_id,
                                 char                    **access_code_out,
                                 GListModel              **recipient_states,
                                 GCancellable             *cancellable,
                                 GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  PhotosealSync sync;

  photoseal_sync_begin (&sync);
  photoseal_sealer_add_server_key_async (self, client, recipients, expires, access_code,
                                         cancellable, photoseal_sync_done, &sync);
  result = photoseal_sync_wait (&sync);
  return photoseal_sealer_add_server_key_finish (self, result, key_id, access_code_out,
                                                 recipient_states, error);
}
