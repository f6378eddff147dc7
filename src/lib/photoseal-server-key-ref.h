/* photoseal-server-key-ref.h: what a file's photoseal stanza names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_SERVER_KEY_REF (photoseal_server_key_ref_get_type ())

/**
 * PhotosealServerKeyRef:
 * @key_id: the key id, checked to be one
 * @origin: the key server's origin, normalised
 *
 * Where a file's key is: which key, on which server.
 */
typedef struct
{
  char *key_id;
  char *origin;
} PhotosealServerKeyRef;

GType                  photoseal_server_key_ref_get_type (void) G_GNUC_CONST;
PhotosealServerKeyRef *photoseal_server_key_ref_new      (const char            *key_id,
                                                          const char            *origin);
PhotosealServerKeyRef *photoseal_server_key_ref_copy     (const PhotosealServerKeyRef *ref);
void                   photoseal_server_key_ref_free     (PhotosealServerKeyRef *ref);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealServerKeyRef, photoseal_server_key_ref_free)

G_END_DECLS
