/* photoseal-keyring.h: key-server sessions in the desktop keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-keyserver-client.h"

G_BEGIN_DECLS

gboolean photoseal_keyring_save   (PhotosealKeyserverClient  *client,
                                   const char                *email,
                                   GCancellable              *cancellable,
                                   GError                   **error);
PhotosealKeyserverClient *
         photoseal_keyring_load   (const char                *origin,
                                   char                     **email,
                                   GCancellable              *cancellable,
                                   GError                   **error);
gboolean photoseal_keyring_forget (const char                *origin,
                                   GCancellable              *cancellable,
                                   GError                   **error);

#define PHOTOSEAL_LABEL_KEY_SIZE 32

gboolean photoseal_keyring_label_key (guint8                     key[PHOTOSEAL_LABEL_KEY_SIZE],
                                      GCancellable              *cancellable,
                                      GError                   **error);

G_END_DECLS
