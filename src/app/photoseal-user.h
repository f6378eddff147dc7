/* photoseal-user.h: the person using the app, and their key-server session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_USER (photoseal_user_get_type ())

/**
 * PhotosealUserCode:
 * @PHOTOSEAL_USER_CODE_SIGN_UP: proves an address before creating an account
 * @PHOTOSEAL_USER_CODE_PASSWORD: allows a new password for the signed-in account
 *
 * What a code mailed by the key server is for.
 */
typedef enum
{
  PHOTOSEAL_USER_CODE_SIGN_UP,
  PHOTOSEAL_USER_CODE_PASSWORD,
} PhotosealUserCode;

G_DECLARE_FINAL_TYPE (PhotosealUser, photoseal_user, PHOTOSEAL, USER, GObject)

PhotosealUser            *photoseal_user_new              (GSettings            *settings);
gboolean                  photoseal_user_get_ready       (PhotosealUser        *self);
gboolean                  photoseal_user_get_signed_in    (PhotosealUser        *self);
const char               *photoseal_user_get_origin       (PhotosealUser        *self);
const char               *photoseal_user_get_email        (PhotosealUser        *self);
const char               *photoseal_user_get_name         (PhotosealUser        *self);
PhotosealKeyserverClient *photoseal_user_get_client       (PhotosealUser        *self);
void                      photoseal_user_restore_async    (PhotosealUser        *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean                  photoseal_user_restore_finish   (PhotosealUser        *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void                      photoseal_user_sign_in_async    (PhotosealUser        *self,
                                                           const char           *origin,
                                                           const char           *email,
                                                           const char           *password,
                                                           gboolean              make_current,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean                  photoseal_user_sign_in_finish   (PhotosealUser        *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void                      photoseal_user_sign_up_async    (PhotosealUser        *self,
                                                           const char           *origin,
                                                           const char           *email,
                                                           const char           *code,
                                                           const char           *password,
                                                           const char           *name,
                                                           gboolean              make_current,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                      photoseal_user_change_password_async
                                                          (PhotosealUser        *self,
                                                           const char           *code,
                                                           const char           *password,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
void                      photoseal_user_request_code_async
                                                          (PhotosealUser        *self,
                                                           PhotosealUserCode     purpose,
                                                           const char           *origin,
                                                           const char           *email,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean                  photoseal_user_request_code_finish
                                                          (PhotosealUser        *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void                      photoseal_user_sign_out         (PhotosealUser        *self);
char                     *photoseal_user_describe_error   (const GError         *error);
void                      photoseal_user_client_for_async (PhotosealUser        *self,
                                                           const char           *origin,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
PhotosealKeyserverClient *photoseal_user_client_for_finish (PhotosealUser       *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS
