/* photoseal-manage-key-dialog.h: change who may open a sent file, until when, and its code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal.h"

G_BEGIN_DECLS

typedef enum
{
  PHOTOSEAL_MANAGE_KEY_RECIPIENTS,
  PHOTOSEAL_MANAGE_KEY_EXPIRY,
  PHOTOSEAL_MANAGE_KEY_NEW_CODE,
} PhotosealManageKeyAction;

#define PHOTOSEAL_TYPE_MANAGE_KEY_DIALOG (photoseal_manage_key_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealManageKeyDialog, photoseal_manage_key_dialog, PHOTOSEAL,
                      MANAGE_KEY_DIALOG, AdwWindow)

GtkWidget *photoseal_manage_key_dialog_new (GtkWindow                *parent,
                                            PhotosealKeyserverClient *client,
                                            PhotosealKeyInfo         *key,
                                            const char               *description,
                                            PhotosealManageKeyAction  action);

G_END_DECLS
