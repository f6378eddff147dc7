/* photoseal-identity.h: something that can unwrap a file key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "photoseal-stanza.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_IDENTITY (photoseal_identity_get_type ())

G_DECLARE_INTERFACE (PhotosealIdentity, photoseal_identity, PHOTOSEAL, IDENTITY, GObject)

/**
 * PhotosealUnwrapResult:
 * @PHOTOSEAL_UNWRAP_NOT_MINE: the stanza is of another type or for someone else
 * @PHOTOSEAL_UNWRAP_OK: the file key was recovered
 * @PHOTOSEAL_UNWRAP_ERROR: the stanza is malformed, or the identity failed (error set)
 */
typedef enum
{
  PHOTOSEAL_UNWRAP_NOT_MINE,
  PHOTOSEAL_UNWRAP_OK,
  PHOTOSEAL_UNWRAP_ERROR,
} PhotosealUnwrapResult;

struct _PhotosealIdentityInterface
{
  GTypeInterface parent_iface;

  PhotosealUnwrapResult (*unwrap) (PhotosealIdentity     *self,
                                   const PhotosealStanza *stanza,
                                   guint8                *file_key,
                                   GError               **error);
};

PhotosealUnwrapResult photoseal_identity_unwrap (PhotosealIdentity     *self,
                                                 const PhotosealStanza *stanza,
                                                 guint8                *file_key,
                                                 GError               **error);

GPtrArray *photoseal_identities_parse (const char *text,
                                       GError    **error);

G_END_DECLS
