/* photoseal-stanza.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "photoseal-stanza.h"

G_DEFINE_BOXED_TYPE (PhotosealStanza, photoseal_stanza, photoseal_stanza_copy,
                     photoseal_stanza_free)

PhotosealStanza *
photoseal_stanza_new (const char         *type,
                      const char * const *args,
                      const guint8       *body,
                      gsize               body_len)
{
  PhotosealStanza *self;

  g_return_val_if_fail (type != NULL, NULL);

  self = g_new0 (PhotosealStanza, 1);
  self->type = g_strdup (type);
  self->args = args ? g_strdupv ((char **) args) : g_new0 (char *, 1);
  self->body = g_bytes_new (body, body_len);
  return self;
}

PhotosealStanza *
photoseal_stanza_copy (const PhotosealStanza *self)
{
  PhotosealStanza *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (PhotosealStanza, 1);
  copy->type = g_strdup (self->type);
  copy->args = g_strdupv (self->args);
  copy->body = g_bytes_ref (self->body);
  return copy;
}

void
photoseal_stanza_free (PhotosealStanza *self)
{
  if (self == NULL)
    return;

  g_free (self->type);
  g_strfreev (self->args);
  g_bytes_unref (self->body);
  g_free (self);
}

guint
photoseal_stanza_get_n_args (const PhotosealStanza *self)
{
  return g_strv_length (self->args);
}
