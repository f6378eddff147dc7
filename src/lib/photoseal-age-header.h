/* photoseal-age-header.h: the age v1 header, parsed strictly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-server-key-ref.h"
#include "photoseal-stanza.h"

G_BEGIN_DECLS

#define PHOTOSEAL_AGE_VERSION_LINE "age-encryption.org/v1"
#define PHOTOSEAL_AGE_MAC_SIZE 32

#define PHOTOSEAL_TYPE_AGE_HEADER (photoseal_age_header_get_type ())

typedef struct _PhotosealAgeHeader PhotosealAgeHeader;

GType               photoseal_age_header_get_type     (void) G_GNUC_CONST;
PhotosealAgeHeader *photoseal_age_header_new          (void);
PhotosealAgeHeader *photoseal_age_header_ref          (PhotosealAgeHeader   *self);
void                photoseal_age_header_unref        (PhotosealAgeHeader   *self);
void                photoseal_age_header_add_stanza   (PhotosealAgeHeader   *self,
                                                       PhotosealStanza      *stanza);
GPtrArray          *photoseal_age_header_get_stanzas  (PhotosealAgeHeader   *self);
PhotosealAgeHeader *photoseal_age_header_read         (GBufferedInputStream *stream,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
PhotosealAgeHeader *photoseal_age_header_parse        (const guint8         *data,
                                                       gsize                 len,
                                                       gsize                *header_len,
                                                       GError              **error);
GBytes             *photoseal_age_header_encode       (PhotosealAgeHeader   *self,
                                                       const guint8         *file_key);
gsize               photoseal_age_header_get_size     (PhotosealAgeHeader   *self);
gboolean            photoseal_age_header_verify_mac   (PhotosealAgeHeader   *self,
                                                       const guint8         *file_key);
PhotosealAgeHeader *photoseal_age_header_read_file    (GFile                *file,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

PhotosealServerKeyRef *photoseal_age_header_find_photoseal_stanza (PhotosealAgeHeader  *self,
                                                                   GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealAgeHeader, photoseal_age_header_unref)

G_END_DECLS
