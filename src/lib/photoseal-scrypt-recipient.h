/* photoseal-scrypt-recipient.h: an age passphrase recipient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-recipient.h"

G_BEGIN_DECLS

#define PHOTOSEAL_SCRYPT_STANZA_TYPE "scrypt"
#define PHOTOSEAL_SCRYPT_LABEL "age-encryption.org/v1/scrypt"
#define PHOTOSEAL_SCRYPT_SALT_SIZE 16
/* age's own default: about a second on a laptop, 256 MiB of memory. */
#define PHOTOSEAL_SCRYPT_DEFAULT_LOG_N 18

#define PHOTOSEAL_TYPE_SCRYPT_RECIPIENT (photoseal_scrypt_recipient_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealScryptRecipient, photoseal_scrypt_recipient,
                      PHOTOSEAL, SCRYPT_RECIPIENT, GObject)

PhotosealScryptRecipient *photoseal_scrypt_recipient_new (const char *passphrase,
                                                          guint       log_n);

gboolean photoseal_scrypt_derive (const char   *passphrase,
                                  const guint8 *salt,
                                  guint         log_n,
                                  guint8       *wrap_key);

G_END_DECLS
