/* photoseal-opened-item.h: one decrypted item, in memory or in an unlinked file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-report.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_OPENED_ITEM (photoseal_opened_item_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealOpenedItem, photoseal_opened_item, PHOTOSEAL, OPENED_ITEM, GObject)

GOutputStream       *photoseal_opened_item_begin    (guint64               size,
                                                     guint64               memory_limit,
                                                     GError              **error);
PhotosealOpenedItem *photoseal_opened_item_end      (GOutputStream        *stream,
                                                     GError              **error);
gboolean             photoseal_opened_item_in_memory (PhotosealOpenedItem *self);
GInputStream        *photoseal_opened_item_read     (PhotosealOpenedItem  *self,
                                                     GError              **error);

void                 photoseal_opened_item_add_to_report (PhotosealOpenedItem *self,
                                                          PhotosealReport     *report,
                                                          const char          *name);

G_END_DECLS
