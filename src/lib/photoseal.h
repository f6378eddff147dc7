/* photoseal.h: everything libphotoseal offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-age-header.h"
#include "photoseal-age-input-stream.h"
#include "photoseal-age-output-stream.h"
#include "photoseal-bech32.h"
#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-exif.h"
#include "photoseal-identity.h"
#include "photoseal-jpeg-scrubber.h"
#include "photoseal-metadata.h"
#include "photoseal-origin.h"
#include "photoseal-payload.h"
#include "photoseal-png-scrubber.h"
#include "photoseal-recipient.h"
#include "photoseal-scrypt-identity.h"
#include "photoseal-scrypt-recipient.h"
#include "photoseal-server-key-identity.h"
#include "photoseal-server-key-recipient.h"
#include "photoseal-stanza.h"
#include "photoseal-x25519-identity.h"
#include "photoseal-x25519-recipient.h"
