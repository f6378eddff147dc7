/* photoseal-x25519-recipient.h: an age X25519 public key (age1…)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-recipient.h"

G_BEGIN_DECLS

#define PHOTOSEAL_X25519_KEY_SIZE 32
#define PHOTOSEAL_X25519_STANZA_TYPE "X25519"
#define PHOTOSEAL_X25519_LABEL "age-encryption.org/v1/X25519"

#define PHOTOSEAL_TYPE_X25519_RECIPIENT (photoseal_x25519_recipient_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealX25519Recipient, photoseal_x25519_recipient,
                      PHOTOSEAL, X25519_RECIPIENT, GObject)

PhotosealX25519Recipient *photoseal_x25519_recipient_new (const guint8 *public_key);
PhotosealX25519Recipient *photoseal_x25519_recipient_parse (const char *text,
                                                            GError    **error);
char *photoseal_x25519_recipient_to_string (PhotosealX25519Recipient *self);

G_END_DECLS
