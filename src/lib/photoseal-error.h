/* photoseal-error.h: error domains of libphotoseal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PHOTOSEAL_FORMAT_ERROR (photoseal_format_error_quark ())

/**
 * PhotosealFormatError:
 * @PHOTOSEAL_FORMAT_ERROR_HEADER: the age header is malformed or breaks a rule of the spec
 * @PHOTOSEAL_FORMAT_ERROR_UNSUPPORTED: a version or feature this reader does not know
 * @PHOTOSEAL_FORMAT_ERROR_NO_MATCH: no identity could unwrap the file key
 * @PHOTOSEAL_FORMAT_ERROR_HEADER_MAC: the header was altered after sealing
 * @PHOTOSEAL_FORMAT_ERROR_PAYLOAD: the payload is truncated, altered or has trailing data
 * @PHOTOSEAL_FORMAT_ERROR_BUNDLE: the tar bundle inside is malformed or unsafe
 * @PHOTOSEAL_FORMAT_ERROR_MANIFEST: manifest.json is missing, malformed or disagrees with the items
 * @PHOTOSEAL_FORMAT_ERROR_LIMIT: a reader limit (items, sizes, work factor) was exceeded
 * @PHOTOSEAL_FORMAT_ERROR_INVALID_KEY: a recipient or identity string is not valid
 * @PHOTOSEAL_FORMAT_ERROR_CHANGED: an input file changed while it was being sealed
 *
 * Codes a user interface can map to a page: "damaged file" for the header,
 * payload, bundle and manifest errors, "not for you" for @PHOTOSEAL_FORMAT_ERROR_NO_MATCH.
 */
typedef enum
{
  PHOTOSEAL_FORMAT_ERROR_HEADER,
  PHOTOSEAL_FORMAT_ERROR_UNSUPPORTED,
  PHOTOSEAL_FORMAT_ERROR_NO_MATCH,
  PHOTOSEAL_FORMAT_ERROR_HEADER_MAC,
  PHOTOSEAL_FORMAT_ERROR_PAYLOAD,
  PHOTOSEAL_FORMAT_ERROR_BUNDLE,
  PHOTOSEAL_FORMAT_ERROR_MANIFEST,
  PHOTOSEAL_FORMAT_ERROR_LIMIT,
  PHOTOSEAL_FORMAT_ERROR_INVALID_KEY,
  PHOTOSEAL_FORMAT_ERROR_CHANGED,
} PhotosealFormatError;

GQuark photoseal_format_error_quark (void);

#define PHOTOSEAL_KEYSERVER_ERROR (photoseal_keyserver_error_quark ())

/**
 * PhotosealKeyserverError:
 *
 * What a key server said, or why it could not be asked: one code per page
 * the app shows. The message is the server's own, for people.
 */
typedef enum
{
  PHOTOSEAL_KEYSERVER_ERROR_FAILED,
  PHOTOSEAL_KEYSERVER_ERROR_UNREACHABLE,
  PHOTOSEAL_KEYSERVER_ERROR_TLS,
  PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL,
  PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED,
  PHOTOSEAL_KEYSERVER_ERROR_BAD_CREDENTIALS,
  PHOTOSEAL_KEYSERVER_ERROR_ACCOUNT_DISABLED,
  PHOTOSEAL_KEYSERVER_ERROR_THROTTLED,
  PHOTOSEAL_KEYSERVER_ERROR_REGISTRATION_CLOSED,
  PHOTOSEAL_KEYSERVER_ERROR_EMAIL_TAKEN,
  PHOTOSEAL_KEYSERVER_ERROR_INVALID,
  PHOTOSEAL_KEYSERVER_ERROR_NOT_FOUND,
  PHOTOSEAL_KEYSERVER_ERROR_NOT_A_RECIPIENT,
  PHOTOSEAL_KEYSERVER_ERROR_REVOKED,
  PHOTOSEAL_KEYSERVER_ERROR_EXPIRED,
  PHOTOSEAL_KEYSERVER_ERROR_LOCKED,
  PHOTOSEAL_KEYSERVER_ERROR_BAD_ACCESS_CODE,
  PHOTOSEAL_KEYSERVER_ERROR_DEVICE,
  PHOTOSEAL_KEYSERVER_ERROR_CLOCK,
  PHOTOSEAL_KEYSERVER_ERROR_BAD_CODE,
  PHOTOSEAL_KEYSERVER_ERROR_DOMAIN_NOT_ALLOWED,
} PhotosealKeyserverError;

GQuark photoseal_keyserver_error_quark (void);

/* What a refusal says beyond its code (a #PHOTOSEAL_KEYSERVER_ERROR is an
 * extended GError; g_error_copy() keeps these). */
int        photoseal_keyserver_error_get_tries_left (const GError *error);
GDateTime *photoseal_keyserver_error_get_expired_at (const GError *error);
void       photoseal_keyserver_error_set_tries_left (GError       *error,
                                                     int           tries_left);
void       photoseal_keyserver_error_set_expired_at (GError       *error,
                                                     GDateTime    *expired_at);

gboolean photoseal_format_error_is_damage (const GError *error);

gboolean photoseal_set_errno_error (GError    **error,
                                    int         saved_errno,
                                    const char *what,
                                    const char *path);

G_END_DECLS
