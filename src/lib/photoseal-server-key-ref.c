/* photoseal-server-key-ref.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-server-key-ref"

#include "config.h"

#include "photoseal-server-key-ref.h"

G_DEFINE_BOXED_TYPE (PhotosealServerKeyRef, photoseal_server_key_ref,
                     photoseal_server_key_ref_copy, photoseal_server_key_ref_free)

PhotosealServerKeyRef *
photoseal_server_key_ref_new (const char *key_id,
                              const char *origin)
{
  PhotosealServerKeyRef *ref = g_new0 (PhotosealServerKeyRef, 1);

  ref->key_id = g_strdup (key_id);
  ref->origin = g_strdup (origin);
  return ref;
}

PhotosealServerKeyRef *
photoseal_server_key_ref_copy (const PhotosealServerKeyRef *ref)
{
  return photoseal_server_key_ref_new (ref->key_id, ref->origin);
}

void
photoseal_server_key_ref_free (PhotosealServerKeyRef *ref)
{
  if (ref == NULL)
    return;
  g_free (ref->key_id);
  g_free (ref->origin);
  g_free (ref);
}
