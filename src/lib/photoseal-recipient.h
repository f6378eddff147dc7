/* photoseal-recipient.h: someone a file key can be wrapped for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "photoseal-stanza.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_RECIPIENT (photoseal_recipient_get_type ())

G_DECLARE_INTERFACE (PhotosealRecipient, photoseal_recipient, PHOTOSEAL, RECIPIENT, GObject)

struct _PhotosealRecipientInterface
{
  GTypeInterface parent_iface;

  PhotosealStanza *(*wrap)         (PhotosealRecipient *self,
                                    const guint8       *file_key,
                                    GError            **error);
  gboolean         (*is_exclusive) (PhotosealRecipient *self);
};

PhotosealStanza *photoseal_recipient_wrap         (PhotosealRecipient *self,
                                                   const guint8       *file_key,
                                                   GError            **error);
gboolean         photoseal_recipient_is_exclusive (PhotosealRecipient *self);

G_END_DECLS
