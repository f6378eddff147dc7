/* photoseal-sent-row.h: one sealed file in the Sent list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_SENT_ROW (photoseal_sent_row_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealSentRow, photoseal_sent_row, PHOTOSEAL, SENT_ROW, AdwExpanderRow)

GtkWidget        *photoseal_sent_row_new      (PhotosealKeyserverClient *client,
                                               PhotosealKeyInfo         *key,
                                               const PhotosealLabel     *label);
PhotosealKeyInfo *photoseal_sent_row_get_key  (PhotosealSentRow         *self);

char *photoseal_sent_row_describe_patient    (const PhotosealLabel *label);
char *photoseal_sent_row_describe_recipients (PhotosealKeyInfo     *key);
char *photoseal_sent_row_describe_file       (PhotosealKeyInfo     *key,
                                              const PhotosealLabel *label);

G_END_DECLS
