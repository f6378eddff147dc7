/* photoseal-date.h: dates a person cannot misread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *photoseal_date_format_day      (GDateTime  *date);
char *photoseal_date_format_local_day (GDateTime *moment);
char *photoseal_date_format_time     (GDateTime  *time);
char *photoseal_date_format_iso_day  (const char *iso_day);

const char *photoseal_date_locale_order         (void);
const char *photoseal_date_order_from_format    (const char  *d_fmt);
char       *photoseal_date_parse_day_in_order   (const char  *text,
                                                 const char  *order,
                                                 GError     **error);
char       *photoseal_date_parse_date_of_birth  (const char  *text,
                                                 GError     **error);

G_END_DECLS
