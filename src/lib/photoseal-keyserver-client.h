/* photoseal-keyserver-client.h: talks to a photoseal-keyserver
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "photoseal-account-info.h"
#include "photoseal-audit-event.h"
#include "photoseal-device-info.h"
#include "photoseal-key-info.h"
#include "photoseal-recipient-info.h"

G_BEGIN_DECLS

#define PHOTOSEAL_DEVICE_KEY_SIZE 64
/* Every answer the protocol defines fits in a few KiB; a key list of a
 * busy account in a few hundred. */
#define PHOTOSEAL_KEYSERVER_MAX_REPLY (1024 * 1024)
#define PHOTOSEAL_KEYSERVER_DEFAULT_DEADLINE 60

#define PHOTOSEAL_TYPE_KEYSERVER_CLIENT (photoseal_keyserver_client_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealKeyserverClient, photoseal_keyserver_client,
                      PHOTOSEAL, KEYSERVER_CLIENT, GObject)

/**
 * PhotosealSealedKey:
 * @key_id: the key server's id for the file's key
 * @server_key: the 32-byte key, unsealed on this side
 * @access_code: (nullable): the access code, when one was asked for
 * @owner_email: (nullable): after a release, the key owner's address as
 *   the key server verified it: show this as the sender, not the file's
 *   own claim
 * @owner_name: (nullable): after a release, the owner's account name
 * @created: (nullable): after a release, when the key was made
 * @recipients: after a create, a #GListModel of #PhotosealRecipientInfo:
 *   each recipient's state (account, invited, not_sent or no_account);
 *   empty after a release, or from a server that does not say
 *
 * A refused release is a #PHOTOSEAL_KEYSERVER_ERROR; see
 * photoseal_keyserver_error_get_tries_left() and
 * photoseal_keyserver_error_get_expired_at() for what it says beyond its
 * code.
 */
typedef struct
{
  char *key_id;
  guint8 server_key[32];
  char *access_code;
  char *owner_email;
  char *owner_name;
  GDateTime *created;
  GListModel *recipients;
} PhotosealSealedKey;

/**
 * PhotosealKeyUpdateFlags:
 * @PHOTOSEAL_KEY_UPDATE_RECIPIENTS: replace the list of recipients
 * @PHOTOSEAL_KEY_UPDATE_EXPIRES: change the expiry (%NULL: never expires)
 * @PHOTOSEAL_KEY_UPDATE_REMOVE_ACCESS_CODE: remove the access code; only
 *   recipients with an account can open the file then
 *
 * Which fields photoseal_keyserver_client_update_key_async() changes.
 */
typedef enum
{
  PHOTOSEAL_KEY_UPDATE_RECIPIENTS = 1 << 0,
  PHOTOSEAL_KEY_UPDATE_EXPIRES = 1 << 1,
  PHOTOSEAL_KEY_UPDATE_REMOVE_ACCESS_CODE = 1 << 2,
} PhotosealKeyUpdateFlags;

void photoseal_sealed_key_free (PhotosealSealedKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealSealedKey, photoseal_sealed_key_free)

PhotosealKeyserverClient *photoseal_keyserver_client_new (const char *origin,
                                                          GError    **error);
const char *photoseal_keyserver_client_get_origin (PhotosealKeyserverClient *self);
void photoseal_keyserver_client_set_session (PhotosealKeyserverClient *self,
                                             const char               *token,
                                             const guint8             *device_secret_key);
const char *photoseal_keyserver_client_get_token (PhotosealKeyserverClient *self);
const guint8 *photoseal_keyserver_client_get_device_key (PhotosealKeyserverClient *self);
gboolean photoseal_keyserver_client_set_ca_file (PhotosealKeyserverClient *self,
                                                 const char               *path,
                                                 GError                  **error);
void photoseal_keyserver_client_set_deadline (PhotosealKeyserverClient *self,
                                              guint                     seconds);

void      photoseal_keyserver_client_sign_in_async    (PhotosealKeyserverClient *self,
                                                       const char               *email,
                                                       const char               *password,
                                                       const char               *device_name,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
gboolean  photoseal_keyserver_client_sign_in_finish   (PhotosealKeyserverClient *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);
/* Deprecated: the app and psf use the typed calls below. Kept until the
 * app is ported; to be removed then. */
void      photoseal_keyserver_client_request_async    (PhotosealKeyserverClient *self,
                                                       const char               *method,
                                                       const char               *path,
                                                       JsonNode                 *body,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
JsonNode *photoseal_keyserver_client_request_finish   (PhotosealKeyserverClient *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);
void      photoseal_keyserver_client_create_key_async (PhotosealKeyserverClient *self,
                                                       const char * const       *recipients,
                                                       GDateTime                *expires,
                                                       gboolean                  access_code,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
PhotosealSealedKey *photoseal_keyserver_client_create_key_finish (PhotosealKeyserverClient *self,
                                                                  GAsyncResult             *result,
                                                                  GError                  **error);
void      photoseal_keyserver_client_release_async    (PhotosealKeyserverClient *self,
                                                       const char               *key_id,
                                                       const char               *access_code,
                                                       GCancellable             *cancellable,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
PhotosealSealedKey *photoseal_keyserver_client_release_finish (PhotosealKeyserverClient *self,
                                                               GAsyncResult             *result,
                                                               GError                  **error);

/* Typed calls: each checks its arguments, speaks one /v1 route and
 * answers objects. See the comment above each in the .c file.
 * register is sign_up without a code (below), for open registration. */
void
photoseal_keyserver_client_register_async (PhotosealKeyserverClient  *self,
                                           const char                *email,
                                           const char                *password,
                                           const char                *name,
                                           GCancellable              *cancellable,
                                           GAsyncReadyCallback        callback,
                                           gpointer                   user_data);

PhotosealAccountInfo *
photoseal_keyserver_client_register_finish (PhotosealKeyserverClient  *self,
                                            GAsyncResult              *result,
                                            GError                   **error);

void
photoseal_keyserver_client_get_account_async (PhotosealKeyserverClient  *self,
                                              GCancellable              *cancellable,
                                              GAsyncReadyCallback        callback,
                                              gpointer                   user_data);

PhotosealAccountInfo *
photoseal_keyserver_client_get_account_finish (PhotosealKeyserverClient  *self,
                                               GAsyncResult              *result,
                                               GError                   **error);

void
photoseal_keyserver_client_sign_out_async (PhotosealKeyserverClient  *self,
                                           GCancellable              *cancellable,
                                           GAsyncReadyCallback        callback,
                                           gpointer                   user_data);

gboolean
photoseal_keyserver_client_sign_out_finish (PhotosealKeyserverClient  *self,
                                            GAsyncResult              *result,
                                            GError                   **error);

void
photoseal_keyserver_client_list_keys_async (PhotosealKeyserverClient  *self,
                                            GCancellable              *cancellable,
                                            GAsyncReadyCallback        callback,
                                            gpointer                   user_data);

GListModel *
photoseal_keyserver_client_list_keys_finish (PhotosealKeyserverClient  *self,
                                             GAsyncResult              *result,
                                             GError                   **error);

void
photoseal_keyserver_client_get_key_async (PhotosealKeyserverClient  *self,
                                          const char                *key_id,
                                          GCancellable              *cancellable,
                                          GAsyncReadyCallback        callback,
                                          gpointer                   user_data);

PhotosealKeyInfo *
photoseal_keyserver_client_get_key_finish (PhotosealKeyserverClient  *self,
                                           GAsyncResult              *result,
                                           GError                   **error);

void
photoseal_keyserver_client_list_events_async (PhotosealKeyserverClient  *self,
                                              const char                *key_id,
                                              GCancellable              *cancellable,
                                              GAsyncReadyCallback        callback,
                                              gpointer                   user_data);

GListModel *
photoseal_keyserver_client_list_events_finish (PhotosealKeyserverClient  *self,
                                               GAsyncResult              *result,
                                               GError                   **error);

void
photoseal_keyserver_client_update_key_async (PhotosealKeyserverClient  *self,
                                             const char                *key_id,
                                             PhotosealKeyUpdateFlags    flags,
                                             const char * const        *recipients,
                                             GDateTime                 *expires,
                                             GCancellable              *cancellable,
                                             GAsyncReadyCallback        callback,
                                             gpointer                   user_data);

PhotosealKeyInfo *
photoseal_keyserver_client_update_key_finish (PhotosealKeyserverClient  *self,
                                              GAsyncResult              *result,
                                              GError                   **error);

void
photoseal_keyserver_client_reissue_access_code_async (PhotosealKeyserverClient  *self,
                                                      const char                *key_id,
                                                      GCancellable              *cancellable,
                                                      GAsyncReadyCallback        callback,
                                                      gpointer                   user_data);

char *
photoseal_keyserver_client_reissue_access_code_finish (PhotosealKeyserverClient  *self,
                                                       GAsyncResult              *result,
                                                       GError                   **error);

void
photoseal_keyserver_client_revoke_key_async (PhotosealKeyserverClient  *self,
                                             const char                *key_id,
                                             GCancellable              *cancellable,
                                             GAsyncReadyCallback        callback,
                                             gpointer                   user_data);

gboolean
photoseal_keyserver_client_revoke_key_finish (PhotosealKeyserverClient  *self,
                                              GAsyncResult              *result,
                                              GError                   **error);

void
photoseal_keyserver_client_lookup_recipients_async (PhotosealKeyserverClient  *self,
                                                    const char * const        *emails,
                                                    GCancellable              *cancellable,
                                                    GAsyncReadyCallback        callback,
                                                    gpointer                   user_data);

GListModel *
photoseal_keyserver_client_lookup_recipients_finish (PhotosealKeyserverClient  *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

/* Blocking versions, for the command line and tests: each iterates the
 * thread-default main context until the request is answered. Not for a
 * GUI thread. */
gboolean            photoseal_keyserver_client_sign_in    (PhotosealKeyserverClient *self,
                                                           const char               *email,
                                                           const char               *password,
                                                           const char               *device_name,
                                                           GCancellable             *cancellable,
                                                           GError                  **error);
PhotosealSealedKey *photoseal_keyserver_client_create_key (PhotosealKeyserverClient *self,
                                                           const char * const       *recipients,
                                                           GDateTime                *expires,
                                                           gboolean                  access_code,
                                                           GCancellable             *cancellable,
                                                           GError                  **error);
PhotosealSealedKey *photoseal_keyserver_client_release    (PhotosealKeyserverClient *self,
                                                           const char               *key_id,
                                                           const char               *access_code,
                                                           GCancellable             *cancellable,
                                                           GError                  **error);

GListModel         *photoseal_keyserver_client_list_keys   (PhotosealKeyserverClient *self,
                                                           GCancellable             *cancellable,
                                                           GError                  **error);
GListModel         *photoseal_keyserver_client_list_events (PhotosealKeyserverClient *self,
                                                           const char               *key_id,
                                                           GCancellable             *cancellable,
                                                           GError                  **error);
gboolean            photoseal_keyserver_client_revoke_key  (PhotosealKeyserverClient *self,
                                                           const char               *key_id,
                                                           GCancellable             *cancellable,
                                                           GError                  **error);
PhotosealKeyInfo   *photoseal_keyserver_client_get_key     (PhotosealKeyserverClient *self,
                                                           const char               *key_id,
                                                           GCancellable             *cancellable,
                                                           GError                  **error);
PhotosealKeyInfo   *photoseal_keyserver_client_update_key  (PhotosealKeyserverClient *self,
                                                           const char               *key_id,
                                                           PhotosealKeyUpdateFlags   flags,
                                                           const char * const       *recipients,
                                                           GDateTime                *expires,
                                                           GCancellable             *cancellable,
                                                           GError                  **error);
char               *photoseal_keyserver_client_reissue_access_code (PhotosealKeyserverClient *self,
                                                           const char               *key_id,
                                                           GCancellable             *cancellable,
                                                           GError                  **error);
gboolean            photoseal_keyserver_client_sign_out    (PhotosealKeyserverClient *self,
                                                           GCancellable             *cancellable,
                                                           GError                  **error);
GListModel         *photoseal_keyserver_client_lookup_recipients (PhotosealKeyserverClient *self,
                                                           const char * const       *emails,
                                                           GCancellable             *cancellable,
                                                           GError                  **error);

/* Identity (photoseal-keyserver-client-account.c): codes mailed to an
 * address, sign-up with one, password reset, and the account's devices. */
void     photoseal_keyserver_client_request_code_async  (PhotosealKeyserverClient  *self,
                                                         const char                *email,
                                                         GCancellable              *cancellable,
                                                         GAsyncReadyCallback        callback,
                                                         gpointer                   user_data);
gboolean photoseal_keyserver_client_request_code_finish (PhotosealKeyserverClient  *self,
                                                         GAsyncResult              *result,
                                                         GError                   **error);
void     photoseal_keyserver_client_sign_up_async       (PhotosealKeyserverClient  *self,
                                                         const char                *email,
                                                         const char                *code,
                                                         const char                *password,
                                                         const char                *name,
                                                         GCancellable              *cancellable,
                                                         GAsyncReadyCallback        callback,
                                                         gpointer                   user_data);
PhotosealAccountInfo *
         photoseal_keyserver_client_sign_up_finish      (PhotosealKeyserverClient  *self,
                                                         GAsyncResult              *result,
                                                         GError                   **error);
void     photoseal_keyserver_client_request_password_reset_async
                                                        (PhotosealKeyserverClient  *self,
                                                         const char                *email,
                                                         GCancellable              *cancellable,
                                                         GAsyncReadyCallback        callback,
                                                         gpointer                   user_data);
gboolean photoseal_keyserver_client_request_password_reset_finish
                                                        (PhotosealKeyserverClient  *self,
                                                         GAsyncResult              *result,
                                                         GError                   **error);
void     photoseal_keyserver_client_reset_password_async (PhotosealKeyserverClient  *self,
                                                          const char                *email,
                                                          const char                *code,
                                                          const char                *password,
                                                          GCancellable              *cancellable,
                                                          GAsyncReadyCallback        callback,
                                                          gpointer                   user_data);
gboolean photoseal_keyserver_client_reset_password_finish (PhotosealKeyserverClient  *self,
                                                           GAsyncResult              *result,
                                                           GError                   **error);
void     photoseal_keyserver_client_list_devices_async  (PhotosealKeyserverClient  *self,
                                                         GCancellable              *cancellable,
                                                         GAsyncReadyCallback        callback,
                                                         gpointer                   user_data);
GListModel *
         photoseal_keyserver_client_list_devices_finish (PhotosealKeyserverClient  *self,
                                                         GAsyncResult              *result,
                                                         GError                   **error);
void     photoseal_keyserver_client_remove_device_async (PhotosealKeyserverClient  *self,
                                                         const char                *device_id,
                                                         GCancellable              *cancellable,
                                                         GAsyncReadyCallback        callback,
                                                         gpointer                   user_data);
gboolean photoseal_keyserver_client_remove_device_finish (PhotosealKeyserverClient  *self,
                                                          GAsyncResult              *result,
                                                          GError                   **error);

gboolean photoseal_keyserver_client_request_code    (PhotosealKeyserverClient  *self,
                                                     const char                *email,
                                                     GCancellable              *cancellable,
                                                     GError                   **error);
PhotosealAccountInfo *
         photoseal_keyserver_client_sign_up         (PhotosealKeyserverClient  *self,
                                                     const char                *email,
                                                     const char                *code,
                                                     const char                *password,
                                                     const char                *name,
                                                     GCancellable              *cancellable,
                                                     GError                   **error);
gboolean photoseal_keyserver_client_request_password_reset
                                                    (PhotosealKeyserverClient  *self,
                                                     const char                *email,
                                                     GCancellable              *cancellable,
                                                     GError                   **error);
gboolean photoseal_keyserver_client_reset_password  (PhotosealKeyserverClient  *self,
                                                     const char                *email,
                                                     const char                *code,
                                                     const char                *password,
                                                     GCancellable              *cancellable,
                                                     GError                   **error);
GListModel *
         photoseal_keyserver_client_list_devices    (PhotosealKeyserverClient  *self,
                                                     GCancellable              *cancellable,
                                                     GError                   **error);
gboolean photoseal_keyserver_client_remove_device   (PhotosealKeyserverClient  *self,
                                                     const char                *device_id,
                                                     GCancellable              *cancellable,
                                                     GError                   **error);

G_END_DECLS
