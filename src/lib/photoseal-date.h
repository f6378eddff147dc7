/* photoseal-date.h: dates a person cannot misread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *photoseal_date_format_day      (GDateTime  *date);
char *photoseal_date_format_time     (GDateTime  *time);
char *photoseal_date_format_iso_day  (const char *iso_day);

G_END_DECLS
