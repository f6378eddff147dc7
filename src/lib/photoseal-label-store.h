/* photoseal-label-store.h: what the sender sealed, kept on this computer only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-keyring.h"
#include "photoseal-manifest.h"

G_BEGIN_DECLS

#define PHOTOSEAL_LABEL_STORE_VERSION 1

#define PHOTOSEAL_TYPE_LABEL (photoseal_label_get_type ())

typedef struct _PhotosealLabel PhotosealLabel;

/**
 * PhotosealLabel:
 * @key_id: the key server's id of the file's key
 * @patient_name: (nullable): the patient, as sealed
 * @patient_identifier: (nullable): the patient's identifier, as sealed
 * @file_name: the sealed file's name, without folders
 * @n_photos: how many items the file holds
 * @sealed: when it was sealed
 */
struct _PhotosealLabel
{
  char *key_id;
  char *patient_name;
  char *patient_identifier;
  char *file_name;
  guint n_photos;
  GDateTime *sealed;
};

GType           photoseal_label_get_type (void) G_GNUC_CONST;
PhotosealLabel *photoseal_label_copy     (const PhotosealLabel *self);
void            photoseal_label_free     (PhotosealLabel       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealLabel, photoseal_label_free)

#define PHOTOSEAL_TYPE_LABEL_STORE (photoseal_label_store_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealLabelStore, photoseal_label_store, PHOTOSEAL, LABEL_STORE, GObject)

PhotosealLabelStore  *photoseal_label_store_new (GFile        *file,
                                                 const guint8  key[PHOTOSEAL_LABEL_KEY_SIZE]);
PhotosealLabelStore  *photoseal_label_store_open_default (GCancellable         *cancellable,
                                                          GError              **error);
GFile                *photoseal_label_store_default_file (void);
gboolean              photoseal_label_store_load         (PhotosealLabelStore  *self,
                                                          GError              **error);
gboolean              photoseal_label_store_save         (PhotosealLabelStore  *self,
                                                          GError              **error);
void                  photoseal_label_store_add          (PhotosealLabelStore  *self,
                                                          const PhotosealLabel *label);
const PhotosealLabel *photoseal_label_store_lookup       (PhotosealLabelStore  *self,
                                                          const char           *key_id);
guint                 photoseal_label_store_get_n_labels (PhotosealLabelStore  *self);

gboolean photoseal_label_store_remember_seal (const char         *key_id,
                                              PhotosealManifest  *manifest,
                                              const char         *file_name,
                                              GCancellable       *cancellable,
                                              GError            **error);

G_END_DECLS
