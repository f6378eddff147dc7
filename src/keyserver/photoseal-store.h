/* photoseal-store.h: where the key server keeps its state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PHOTOSEAL_STORE_ERROR (photoseal_store_error_quark ())

typedef enum
{
  PHOTOSEAL_STORE_ERROR_FAILED,
  PHOTOSEAL_STORE_ERROR_EMAIL_TAKEN,
  PHOTOSEAL_STORE_ERROR_NOT_FOUND,
} PhotosealStoreError;

GQuark photoseal_store_error_quark (void);

typedef struct
{
  gint64 id;
  char *email;
  char *name;
  char *password_hash;
  gboolean disabled;
  gint64 created;
} PhotosealAccount;

typedef struct
{
  gint64 account_id;
  char *device_id;
  guint8 device_public_key[32];
  gint64 expires;
} PhotosealSession;

void photoseal_account_free (PhotosealAccount *account);
void photoseal_session_free (PhotosealSession *session);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealAccount, photoseal_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealSession, photoseal_session_free)

#define PHOTOSEAL_TYPE_STORE (photoseal_store_get_type ())

G_DECLARE_INTERFACE (PhotosealStore, photoseal_store, PHOTOSEAL, STORE, GObject)

/* Every method is synchronous and thread-safe: the server calls them from
 * worker threads, never from the main loop. A returned 0/NULL/FALSE with
 * no error set means "not found". */
struct _PhotosealStoreInterface
{
  GTypeInterface parent_iface;

  PhotosealAccount *(*add_account)          (PhotosealStore *self,
                                             const char     *email,
                                             const char     *name,
                                             const char     *password_hash,
                                             gint64          now,
                                             GError        **error);
  PhotosealAccount *(*find_account)         (PhotosealStore *self,
                                             const char     *email,
                                             GError        **error);
  PhotosealAccount *(*find_account_by_id)   (PhotosealStore *self,
                                             gint64          id,
                                             GError        **error);
  GPtrArray        *(*list_accounts)        (PhotosealStore *self,
                                             GError        **error);
  gboolean          (*set_account_disabled) (PhotosealStore *self,
                                             const char     *email,
                                             gboolean        disabled,
                                             GError        **error);
  gboolean          (*add_session)          (PhotosealStore *self,
                                             const guint8   *token_hash,
                                             gint64          account_id,
                                             const char     *device_id,
                                             const char     *device_name,
                                             const guint8   *device_public_key,
                                             gint64          expires,
                                             GError        **error);
  PhotosealSession *(*find_session)         (PhotosealStore *self,
                                             const guint8   *token_hash,
                                             gint64          now,
                                             GError        **error);
  gboolean          (*remove_session)       (PhotosealStore *self,
                                             const guint8   *token_hash,
                                             GError        **error);
  guint             (*add_failure)          (PhotosealStore *self,
                                             const char     *subject,
                                             gint64          now,
                                             gint64          window,
                                             GError        **error);
  guint             (*count_failures)       (PhotosealStore *self,
                                             const char     *subject,
                                             gint64          now,
                                             gint64          window,
                                             GError        **error);
  void              (*clear_failures)       (PhotosealStore *self,
                                             const char     *subject);
  void              (*checkpoint)           (PhotosealStore *self);
};

#define PHOTOSEAL_TOKEN_HASH_SIZE 32

PhotosealAccount *photoseal_store_add_account          (PhotosealStore *self,
                                                        const char     *email,
                                                        const char     *name,
                                                        const char     *password_hash,
                                                        gint64          now,
                                                        GError        **error);
PhotosealAccount *photoseal_store_find_account         (PhotosealStore *self,
                                                        const char     *email,
                                                        GError        **error);
PhotosealAccount *photoseal_store_find_account_by_id   (PhotosealStore *self,
                                                        gint64          id,
                                                        GError        **error);
GPtrArray        *photoseal_store_list_accounts        (PhotosealStore *self,
                                                        GError        **error);
gboolean          photoseal_store_set_account_disabled (PhotosealStore *self,
                                                        const char     *email,
                                                        gboolean        disabled,
                                                        GError        **error);
gboolean          photoseal_store_add_session          (PhotosealStore *self,
                                                        const guint8   *token_hash,
                                                        gint64          account_id,
                                                        const char     *device_id,
                                                        const char     *device_name,
                                                        const guint8   *device_public_key,
                                                        gint64          expires,
                                                        GError        **error);
PhotosealSession *photoseal_store_find_session         (PhotosealStore *self,
                                                        const guint8   *token_hash,
                                                        gint64          now,
                                                        GError        **error);
gboolean          photoseal_store_remove_session       (PhotosealStore *self,
                                                        const guint8   *token_hash,
                                                        GError        **error);
guint             photoseal_store_add_failure          (PhotosealStore *self,
                                                        const char     *subject,
                                                        gint64          now,
                                                        gint64          window,
                                                        GError        **error);
guint             photoseal_store_count_failures       (PhotosealStore *self,
                                                        const char     *subject,
                                                        gint64          now,
                                                        gint64          window,
                                                        GError        **error);
void              photoseal_store_clear_failures       (PhotosealStore *self,
                                                        const char     *subject);
void              photoseal_store_checkpoint           (PhotosealStore *self);

char *photoseal_store_email_key (const char *email);

G_END_DECLS
