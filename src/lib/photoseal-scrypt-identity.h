/* photoseal-scrypt-identity.h: a passphrase that opens scrypt stanzas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-identity.h"

G_BEGIN_DECLS

/* age's limit: 2^22 × 1 KiB = 4 GiB of memory is the most a file may ask for. */
#define PHOTOSEAL_SCRYPT_MAX_LOG_N 22

#define PHOTOSEAL_TYPE_SCRYPT_IDENTITY (photoseal_scrypt_identity_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealScryptIdentity, photoseal_scrypt_identity,
                      PHOTOSEAL, SCRYPT_IDENTITY, GObject)

PhotosealScryptIdentity *photoseal_scrypt_identity_new (const char *passphrase);

G_END_DECLS
