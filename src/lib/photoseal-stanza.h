/* photoseal-stanza.h: one recipient stanza of an age header
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_STANZA (photoseal_stanza_get_type ())

typedef struct _PhotosealStanza PhotosealStanza;

/**
 * PhotosealStanza:
 * @type: the first argument, such as "X25519", "scrypt" or "photoseal"
 * @args: the remaining arguments, %NULL-terminated
 * @body: the decoded body
 */
struct _PhotosealStanza
{
  char   *type;
  char  **args;
  GBytes *body;
};

GType            photoseal_stanza_get_type   (void) G_GNUC_CONST;
PhotosealStanza *photoseal_stanza_new        (const char            *type,
                                              const char * const    *args,
                                              const guint8          *body,
                                              gsize                  body_len);
PhotosealStanza *photoseal_stanza_copy       (const PhotosealStanza *self);
void             photoseal_stanza_free       (PhotosealStanza       *self);
guint            photoseal_stanza_get_n_args (const PhotosealStanza *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealStanza, photoseal_stanza_free)

G_END_DECLS
