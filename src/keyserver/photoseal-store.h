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
  PHOTOSEAL_STORE_ERROR_REPLAYED,
  /* A release found its key revoked inside its own transaction (another
   * node revoked it after the key was read). */
  PHOTOSEAL_STORE_ERROR_REVOKED,
  /* A mailed code has no tries left. */
  PHOTOSEAL_STORE_ERROR_LOCKED,
  /* A key's policy does not match its MAC: changed without the master key. */
  PHOTOSEAL_STORE_ERROR_TAMPERED,
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

/* A device signed in to an account: its sessions share its id. */
typedef struct
{
  char *id;
  char *name;
  gint64 expires;
} PhotosealDevice;

/* One sealed file's key. @sealed_key is the server_key encrypted under the
 * master key, %NULL once revoked; @expires is 0 for never. */
typedef struct
{
  char *key_id;
  gint64 owner_id;
  char *owner_email;
  GBytes *sealed_key;
  gint64 created;
  gint64 expires;
  gint64 revoked;
  char *access_code_hash;
  guint access_code_tries;
  GStrv recipients;
  guint releases;
  /* The MAC of the key's policy (photoseal_key_policy_mac()), or %NULL
   * for a key stored without one. */
  GBytes *policy_mac;
} PhotosealKeyRecord;

/* Whether a key can still be released; see photoseal_key_record_status(). */
typedef enum
{
  PHOTOSEAL_KEY_ACTIVE,
  PHOTOSEAL_KEY_EXPIRED,
  PHOTOSEAL_KEY_REVOKED,
} PhotosealKeyStatus;

/* What happened to a key, for its audit trail. */
typedef struct
{
  gint64 at;
  char *action;
  char *actor;
  char *address;
} PhotosealEvent;

/* One event of the audit chain as stored, with its id and stored hash,
 * for photoseal_store_verify_audit(). */
typedef struct
{
  gint64 id;
  char *key_id;
  PhotosealEvent event;
  GBytes *hash;
} PhotosealChainLink;

/* Fields of an update: %NULL recipients and a FALSE @set_expires leave
 * those alone; a new @access_code_hash replaces the code, and
 * @clear_access_code removes it. */
typedef struct
{
  const char * const *recipients;
  gboolean set_expires;
  gint64 expires;
  const char *access_code_hash;
  gboolean clear_access_code;
} PhotosealKeyUpdate;

void photoseal_account_free    (PhotosealAccount   *account);
void photoseal_session_free    (PhotosealSession   *session);
void photoseal_key_record_free (PhotosealKeyRecord *record);
void photoseal_event_free      (PhotosealEvent     *event);
void photoseal_chain_link_free (PhotosealChainLink *link);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealAccount, photoseal_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealSession, photoseal_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealKeyRecord, photoseal_key_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealEvent, photoseal_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealChainLink, photoseal_chain_link_free)

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
  gboolean          (*add_key)              (PhotosealStore           *self,
                                             const PhotosealKeyRecord *record,
                                             const PhotosealEvent     *event,
                                             GError                  **error);
  PhotosealKeyRecord *(*find_key)           (PhotosealStore *self,
                                             const char     *key_id,
                                             GError        **error);
  GPtrArray        *(*list_keys)            (PhotosealStore *self,
                                             gint64          owner_id,
                                             GError        **error);
  gboolean          (*update_key)           (PhotosealStore           *self,
                                             const char               *key_id,
                                             const PhotosealKeyUpdate *update,
                                             const PhotosealEvent     *event,
                                             GError                  **error);
  gboolean          (*revoke_key)           (PhotosealStore       *self,
                                             const char           *key_id,
                                             const PhotosealEvent *event,
                                             GError              **error);
  gboolean          (*take_access_code_try) (PhotosealStore *self,
                                             const char     *key_id,
                                             GError        **error);
  void              (*return_access_code_try) (PhotosealStore *self,
                                               const char     *key_id);
  gboolean          (*add_event)            (PhotosealStore       *self,
                                             const char           *key_id,
                                             const PhotosealEvent *event,
                                             const guint8         *nonce,
                                             gint64                nonce_lifetime,
                                             GError              **error);
  /* A named value kept with the data, such as the master-key check. */
  GBytes           *(*get_setting)          (PhotosealStore *self,
                                             const char     *name,
                                             GError        **error);
  gboolean          (*add_setting)          (PhotosealStore *self,
                                             const char     *name,
                                             GBytes         *value,
                                             GError        **error);
  gboolean          (*remember_nonce)       (PhotosealStore *self,
                                             const guint8   *nonce,
                                             gint64          now,
                                             gint64          lifetime,
                                             GError        **error);
  /* Up to @limit links of the audit chain with ids above @after, in
   * order of id; only @key_id's unless it is %NULL. */
  GPtrArray        *(*list_chain)           (PhotosealStore *self,
                                             const char     *key_id,
                                             gint64          after,
                                             guint           limit,
                                             GError        **error);
  /* Stores the policy MAC of every key that has none, once, in one
   * transaction with a marker; see photoseal_store_seal_key_policies(). */
  gint64            (*seal_key_policies)    (PhotosealStore *self,
                                             GError        **error);
  gboolean          (*backup)               (PhotosealStore *self,
                                             const char     *destination,
                                             GError        **error);
  void              (*checkpoint)           (PhotosealStore *self);
  /* Mailed codes (photoseal-store-identity.c). */
  gboolean          (*put_code)             (PhotosealStore *self,
                                             const char     *email,
                                             const char     *purpose,
                                             const char     *hash,
                                             gint64          expires,
                                             GError        **error);
  char             *(*take_code_try)        (PhotosealStore *self,
                                             const char     *email,
                                             const char     *purpose,
                                             gint64          now,
                                             GError        **error);
  gboolean          (*remove_code)          (PhotosealStore *self,
                                             const char     *email,
                                             const char     *purpose,
                                             GError        **error);
  gboolean          (*reset_password)       (PhotosealStore *self,
                                             const char     *email_key,
                                             const char     *password_hash,
                                             GError        **error);
  GPtrArray        *(*list_devices)         (PhotosealStore *self,
                                             gint64          account_id,
                                             gint64          now,
                                             GError        **error);
  gboolean          (*remove_device)        (PhotosealStore *self,
                                             gint64          account_id,
                                             const char     *device_id,
                                             GError        **error);
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
gboolean          photoseal_store_add_key              (PhotosealStore           *self,
                                                        const PhotosealKeyRecord *record,
                                                        const PhotosealEvent     *event,
                                                        GError                  **error);
PhotosealKeyRecord *photoseal_store_find_key           (PhotosealStore *self,
                                                        const char     *key_id,
                                                        GError        **error);
GPtrArray        *photoseal_store_list_keys            (PhotosealStore *self,
                                                        gint64          owner_id,
                                                        GError        **error);
gboolean          photoseal_store_update_key           (PhotosealStore           *self,
                                                        const char               *key_id,
                                                        const PhotosealKeyUpdate *update,
                                                        const PhotosealEvent     *event,
                                                        GError                  **error);
gboolean          photoseal_store_revoke_key           (PhotosealStore       *self,
                                                        const char           *key_id,
                                                        const PhotosealEvent *event,
                                                        GError              **error);
gboolean          photoseal_store_take_access_code_try (PhotosealStore *self,
                                                        const char     *key_id,
                                                        GError        **error);
void              photoseal_store_return_access_code_try (PhotosealStore *self,
                                                          const char     *key_id);
gboolean          photoseal_store_add_event            (PhotosealStore       *self,
                                                        const char           *key_id,
                                                        const PhotosealEvent *event,
                                                        const guint8         *nonce,
                                                        gint64                nonce_lifetime,
                                                        GError              **error);
GBytes           *photoseal_store_get_setting          (PhotosealStore *self,
                                                        const char     *name,
                                                        GError        **error);
gboolean          photoseal_store_add_setting          (PhotosealStore *self,
                                                        const char     *name,
                                                        GBytes         *value,
                                                        GError        **error);
gboolean          photoseal_store_remember_nonce       (PhotosealStore *self,
                                                        const guint8   *nonce,
                                                        gint64          now,
                                                        gint64          lifetime,
                                                        GError        **error);
GPtrArray        *photoseal_store_list_events_page     (PhotosealStore *self,
                                                        const char     *key_id,
                                                        gint64          after,
                                                        guint           limit,
                                                        GError        **error);
GPtrArray        *photoseal_store_list_events          (PhotosealStore *self,
                                                        const char     *key_id,
                                                        GError        **error);
gboolean          photoseal_store_verify_audit         (PhotosealStore *self,
                                                        guint64        *n_events,
                                                        guint8         *head,
                                                        guint64         anchor_count,
                                                        const guint8   *anchor,
                                                        GError        **error);
gint64            photoseal_store_seal_key_policies    (PhotosealStore *self,
                                                        GError        **error);
gboolean          photoseal_store_backup               (PhotosealStore *self,
                                                        const char     *destination,
                                                        GError        **error);
void              photoseal_store_checkpoint           (PhotosealStore *self);

gboolean          photoseal_store_put_code             (PhotosealStore *self,
                                                        const char     *email,
                                                        const char     *purpose,
                                                        const char     *hash,
                                                        gint64          expires,
                                                        GError        **error);
char             *photoseal_store_take_code_try        (PhotosealStore *self,
                                                        const char     *email,
                                                        const char     *purpose,
                                                        gint64          now,
                                                        GError        **error);
gboolean          photoseal_store_remove_code          (PhotosealStore *self,
                                                        const char     *email,
                                                        const char     *purpose,
                                                        GError        **error);
gboolean          photoseal_store_reset_password       (PhotosealStore *self,
                                                        const char     *email,
                                                        const char     *password_hash,
                                                        GError        **error);
GPtrArray        *photoseal_store_list_devices         (PhotosealStore *self,
                                                        gint64          account_id,
                                                        gint64          now,
                                                        GError        **error);
gboolean          photoseal_store_remove_device        (PhotosealStore *self,
                                                        gint64          account_id,
                                                        const char     *device_id,
                                                        GError        **error);
void              photoseal_device_free                (PhotosealDevice *device);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealDevice, photoseal_device_free)

#define PHOTOSEAL_NONCE_SIZE 16
#define PHOTOSEAL_CODE_TRIES 5
#define PHOTOSEAL_ACCESS_CODE_TRIES 5
#define PHOTOSEAL_POLICY_MAC_SIZE 32
/* The settings row that says every key's policy has a MAC. */
#define PHOTOSEAL_POLICY_SEALED_SETTING "photoseal/key-policy-sealed"

void               photoseal_store_set_chain_key (const guint8           *key,
                                                  gint64                  keyed_from);
void               photoseal_store_set_policy_key (const guint8          *key);
gboolean           photoseal_key_policy_mac    (const char               *key_id,
                                                gint64                    owner_id,
                                                gint64                    expires,
                                                const char               *access_code_hash,
                                                const char * const       *recipients,
                                                guint8                   *mac);
gboolean           photoseal_key_record_policy_intact (const PhotosealKeyRecord *record);
gboolean           photoseal_key_record_check_policy  (const PhotosealKeyRecord  *record,
                                                       GError                    *lookup_error,
                                                       GError                   **error);
void               photoseal_event_chain_hash  (const guint8             *previous,
                                                gint64                    id,
                                                const char               *key_id,
                                                const PhotosealEvent     *event,
                                                guint8                   *hash);
PhotosealKeyStatus photoseal_key_record_status (const PhotosealKeyRecord *record,
                                                gint64                    now);
gboolean           photoseal_event_is_release  (const PhotosealEvent     *event);

char *photoseal_store_email_key (const char *email);

G_END_DECLS
