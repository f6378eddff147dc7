/* photoseal-keyserver.h: the HTTP server in front of a store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-keyserver-options.h"
#include "photoseal-mailer.h"
#include "photoseal-master-key.h"
#include "photoseal-keyserver-request.h"
#include "photoseal-store.h"

G_BEGIN_DECLS

#define PHOTOSEAL_KEYSERVER_DATABASE "keyserver.db"
#define PHOTOSEAL_KEYSERVER_MASTER_KEY "master.key"
#define PHOTOSEAL_KEYSERVER_JOURNAL "revocations.journal"

/* Seconds a signed request's (or release's) time may be off either way. */
#define PHOTOSEAL_SIGNATURE_WINDOW 120
/* A nonce is kept for the whole window either side, plus slack: nodes (or
 * one node's clock after a jump) that disagree by up to five minutes must
 * not prune it while another still accepts its timestamp. */
#define PHOTOSEAL_NONCE_LIFETIME (2 * PHOTOSEAL_SIGNATURE_WINDOW + 300)
/* Refused releases one client address gets answered per minute. */
#define PHOTOSEAL_MAX_REFUSALS_PER_MINUTE 600

#define PHOTOSEAL_TYPE_KEYSERVER (photoseal_keyserver_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealKeyserver, photoseal_keyserver, PHOTOSEAL, KEYSERVER, GObject)

/**
 * PhotosealWork:
 * @PHOTOSEAL_WORK_STORE: database work, quick
 * @PHOTOSEAL_WORK_PASSWORD: Argon2id hashing, slow and memory-hungry; its
 *   own pool of one thread per core, so a login flood queues there and
 *   never delays releases
 */
typedef enum
{
  PHOTOSEAL_WORK_STORE,
  PHOTOSEAL_WORK_PASSWORD,
} PhotosealWork;

typedef void (*PhotosealWorkFunc) (PhotosealRequest *request);

PhotosealKeyserver *photoseal_keyserver_new              (PhotosealStore            *store,
                                                          PhotosealMasterKey        *master_key,
                                                          PhotosealKeyserverOptions *options);
PhotosealMasterKey *photoseal_keyserver_get_master_key   (PhotosealKeyserver        *self);
const char         *photoseal_keyserver_get_journal_path (PhotosealKeyserver        *self);
gboolean            photoseal_keyserver_listen           (PhotosealKeyserver        *self,
                                                          GError                   **error);
void                photoseal_keyserver_shutdown         (PhotosealKeyserver        *self,
                                                          GMainLoop                 *loop);
void                photoseal_keyserver_drain            (PhotosealKeyserver        *self);
PhotosealStore     *photoseal_keyserver_get_store        (PhotosealKeyserver        *self);
gboolean            photoseal_keyserver_registration_open (PhotosealKeyserver       *self);
PhotosealKeyserverOptions *photoseal_keyserver_get_options (PhotosealKeyserver      *self);
PhotosealMailer    *photoseal_keyserver_get_mailer       (PhotosealKeyserver        *self);
char               *photoseal_keyserver_client_address   (PhotosealKeyserver        *self,
                                                          SoupServerMessage         *msg);
void                photoseal_keyserver_run              (PhotosealKeyserver        *self,
                                                          PhotosealRequest          *request,
                                                          PhotosealWork              work,
                                                          PhotosealWorkFunc          func);
void                photoseal_keyserver_run_later        (PhotosealKeyserver        *self,
                                                          GFunc                      func,
                                                          gpointer                   data,
                                                          GDestroyNotify             destroy);
PhotosealSession   *photoseal_keyserver_authenticate     (PhotosealKeyserver        *self,
                                                          PhotosealRequest          *request);
PhotosealSession   *photoseal_keyserver_authenticate_signed (PhotosealKeyserver     *self,
                                                             PhotosealRequest       *request);
gboolean            photoseal_keyserver_refusals_exhausted (PhotosealKeyserver      *self,
                                                            const char              *address,
                                                            guint                   *retry_after);
gboolean            photoseal_keyserver_count_refusal    (PhotosealKeyserver        *self,
                                                          const char                *key_id,
                                                          const char                *actor,
                                                          const char                *address);
gboolean            photoseal_keyserver_verify_password  (PhotosealKeyserver        *self,
                                                          const char                *hash,
                                                          const char                *password);

gboolean photoseal_token_hash (const char *token,
                               guint8     *hash);

void photoseal_keyserver_log (const char *format,
                              ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
