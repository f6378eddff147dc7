/* photoseal-date-row.h: a day, typed or picked from a calendar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_DATE_ROW (photoseal_date_row_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealDateRow, photoseal_date_row, PHOTOSEAL, DATE_ROW, AdwEntryRow)

const char *photoseal_date_row_get_date  (PhotosealDateRow *self);
const char *photoseal_date_row_get_error (PhotosealDateRow *self);

G_END_DECLS
