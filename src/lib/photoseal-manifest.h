/* photoseal-manifest.h: manifest.json v1, the first entry of every bundle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PHOTOSEAL_MANIFEST_PATH "manifest.json"
#define PHOTOSEAL_MANIFEST_MAX_SIZE (1024 * 1024)
#define PHOTOSEAL_MANIFEST_MAX_ITEMS 10000

#define PHOTOSEAL_TYPE_MANIFEST_ITEM (photoseal_manifest_item_get_type ())

typedef struct _PhotosealManifestItem PhotosealManifestItem;

/**
 * PhotosealManifestItem:
 * @path: where the item is in the bundle, "photos/NN-name"
 * @name: the original file name, for display and for saving
 * @media_type: a MIME type such as "image/jpeg"
 * @size: the size in bytes of the item as stored
 * @metadata_removed: whether location and camera data were removed
 *
 * Items carry no checksum: the age payload's AEAD authenticates every byte
 * (format v1.1). A `sha256` member in an older file is ignored.
 */
struct _PhotosealManifestItem
{
  char *path;
  char *name;
  char *media_type;
  guint64 size;
  gboolean metadata_removed;
};

GType                  photoseal_manifest_item_get_type (void) G_GNUC_CONST;
PhotosealManifestItem *photoseal_manifest_item_copy     (const PhotosealManifestItem *self);
void                   photoseal_manifest_item_free     (PhotosealManifestItem       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealManifestItem, photoseal_manifest_item_free)

#define PHOTOSEAL_TYPE_MANIFEST (photoseal_manifest_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealManifest, photoseal_manifest, PHOTOSEAL, MANIFEST, GObject)

PhotosealManifest *photoseal_manifest_new                 (void);
PhotosealManifest *photoseal_manifest_new_from_bytes      (GBytes                *json,
                                                           GError               **error);
GBytes            *photoseal_manifest_to_bytes            (PhotosealManifest     *self,
                                                           GError               **error);

GDateTime         *photoseal_manifest_get_created         (PhotosealManifest     *self);
void               photoseal_manifest_set_created         (PhotosealManifest     *self,
                                                           GDateTime             *created);
const char        *photoseal_manifest_get_sender_name     (PhotosealManifest     *self);
const char        *photoseal_manifest_get_sender_email    (PhotosealManifest     *self);
void               photoseal_manifest_set_sender          (PhotosealManifest     *self,
                                                           const char            *name,
                                                           const char            *email);
gboolean           photoseal_manifest_sender_differs      (PhotosealManifest     *self,
                                                           const char            *email,
                                                           const char            *name);
gboolean           photoseal_manifest_has_patient         (PhotosealManifest     *self);
const char        *photoseal_manifest_get_patient_name    (PhotosealManifest     *self);
const char        *photoseal_manifest_get_patient_identifier (PhotosealManifest  *self);
const char        *photoseal_manifest_get_patient_date_of_birth (PhotosealManifest *self);
void               photoseal_manifest_set_patient         (PhotosealManifest     *self,
                                                           const char            *name,
                                                           const char            *identifier,
                                                           const char            *date_of_birth);
gboolean           photoseal_manifest_get_consent_obtained (PhotosealManifest    *self);
const char        *photoseal_manifest_get_consent_method  (PhotosealManifest     *self);
const char        *photoseal_manifest_get_consent_note    (PhotosealManifest     *self);
void               photoseal_manifest_set_consent         (PhotosealManifest     *self,
                                                           gboolean               obtained,
                                                           const char            *method,
                                                           const char            *note);
const char * const *photoseal_manifest_get_consent_purposes (PhotosealManifest  *self);
void               photoseal_manifest_set_consent_purposes (PhotosealManifest    *self,
                                                           const char * const    *purposes);
char              *photoseal_manifest_describe_consent    (PhotosealManifest     *self);
char              *photoseal_manifest_describe_purposes   (PhotosealManifest     *self);
gboolean           photoseal_manifest_get_no_patient_details (PhotosealManifest  *self);
void               photoseal_manifest_set_no_patient_details (PhotosealManifest  *self,
                                                           gboolean            no_patient);
const char        *photoseal_manifest_get_note            (PhotosealManifest     *self);
void               photoseal_manifest_set_note            (PhotosealManifest     *self,
                                                           const char            *note);
guint              photoseal_manifest_get_n_items         (PhotosealManifest     *self);
const PhotosealManifestItem *photoseal_manifest_get_item  (PhotosealManifest     *self,
                                                           guint                  position);
void               photoseal_manifest_add_item            (PhotosealManifest     *self,
                                                           const PhotosealManifestItem *item);
void               photoseal_manifest_clear_items         (PhotosealManifest     *self);
guint64            photoseal_manifest_get_total_size      (PhotosealManifest     *self);

gboolean           photoseal_bundle_path_is_safe          (const char            *path);
char              *photoseal_item_name_clean              (const char            *file_name);
char              *photoseal_bundle_path_for_item         (guint                  position,
                                                           const char            *file_name);

G_END_DECLS
