/* photoseal-identity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "photoseal-identity.h"

G_DEFINE_INTERFACE (PhotosealIdentity, photoseal_identity, G_TYPE_OBJECT)

static void
photoseal_identity_default_init (PhotosealIdentityInterface *iface)
{
}

/**
 * photoseal_identity_unwrap:
 * @stanza: one stanza of the header
 * @file_key: (out caller-allocates): 16 bytes, written only on success
 *
 * A malformed stanza of the identity's own type is an error
 * (%PHOTOSEAL_FORMAT_ERROR_HEADER), not a mismatch: age treats the header as
 * broken rather than letting a damaged stanza pass for someone else's.
 */
PhotosealUnwrapResult
photoseal_identity_unwrap (PhotosealIdentity     *self,
                           const PhotosealStanza *stanza,
                           guint8                *file_key,
                           GError               **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_IDENTITY (self), PHOTOSEAL_UNWRAP_ERROR);
  g_return_val_if_fail (stanza != NULL, PHOTOSEAL_UNWRAP_ERROR);
  g_return_val_if_fail (file_key != NULL, PHOTOSEAL_UNWRAP_ERROR);

  return PHOTOSEAL_IDENTITY_GET_IFACE (self)->unwrap (self, stanza, file_key, error);
}
