/* photoseal.h: everything libphotoseal offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-age-header.h"
#include "photoseal-age-input-stream.h"
#include "photoseal-age-output-stream.h"
#include "photoseal-atomic-file.h"
#include "photoseal-bech32.h"
#include "photoseal-bundle-reader.h"
#include "photoseal-bundle-writer.h"
#include "photoseal-crypto.h"
#include "photoseal-date.h"
#include "photoseal-error.h"
#include "photoseal-exif.h"
#include "photoseal-extraction.h"
#include "photoseal-identity.h"
#include "photoseal-jpeg-scrubber.h"
#include "photoseal-keyring.h"
#include "photoseal-keyserver-client.h"
#include "photoseal-manifest.h"
#include "photoseal-metadata.h"
#include "photoseal-opener.h"
#include "photoseal-origin.h"
#include "photoseal-payload.h"
#include "photoseal-png-scrubber.h"
#include "photoseal-progress.h"
#include "photoseal-recipient.h"
#include "photoseal-scrypt-identity.h"
#include "photoseal-scrypt-recipient.h"
#include "photoseal-sealer.h"
#include "photoseal-server-key-identity.h"
#include "photoseal-server-key-recipient.h"
#include "photoseal-stanza.h"
#include "photoseal-x25519-identity.h"
#include "photoseal-x25519-recipient.h"
