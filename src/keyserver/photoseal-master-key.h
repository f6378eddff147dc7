/* photoseal-master-key.h: the key that encrypts every server_key at rest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PHOTOSEAL_SERVER_KEY_BYTES 32

typedef struct _PhotosealMasterKey PhotosealMasterKey;

gboolean            photoseal_master_key_create (const char        *path,
                                                 GError           **error);
PhotosealMasterKey *photoseal_master_key_load (const char          *path,
                                               GError             **error);
void                photoseal_master_key_free (PhotosealMasterKey  *self);
GBytes             *photoseal_master_key_seal (PhotosealMasterKey  *self,
                                               const guint8        *server_key,
                                               const char          *key_id);
gboolean            photoseal_master_key_open (PhotosealMasterKey  *self,
                                               GBytes              *sealed,
                                               const char          *key_id,
                                               guint8              *server_key);

void                photoseal_master_key_derive (PhotosealMasterKey *self,
                                                 const char         *context,
                                                 guint8             *subkey);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealMasterKey, photoseal_master_key_free)

G_END_DECLS
