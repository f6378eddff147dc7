/* photoseal-x25519-identity.h: an age X25519 secret key (AGE-SECRET-KEY-1…)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-identity.h"
#include "photoseal-x25519-recipient.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_X25519_IDENTITY (photoseal_x25519_identity_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealX25519Identity, photoseal_x25519_identity,
                      PHOTOSEAL, X25519_IDENTITY, GObject)

PhotosealX25519Identity  *photoseal_x25519_identity_generate       (void);
PhotosealX25519Identity  *photoseal_x25519_identity_parse          (const char              *text,
                                                                    GError                 **error);
char                     *photoseal_x25519_identity_to_string      (PhotosealX25519Identity *self);
PhotosealX25519Recipient *photoseal_x25519_identity_get_recipient  (PhotosealX25519Identity *self);

G_END_DECLS
