/* photoseal-report.h: a printable record of an opened file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "photoseal-manifest.h"
#include "photoseal-progress.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_REPORT (photoseal_report_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealReport, photoseal_report, PHOTOSEAL, REPORT, GObject)

PhotosealReport *photoseal_report_new                 (PhotosealManifest *manifest,
                                                       const char        *file_name);
void             photoseal_report_set_confirmed_sender (PhotosealReport  *self,
                                                       const char        *name,
                                                       const char        *email,
                                                       const char        *confirmed_by);
void             photoseal_report_add_image_file      (PhotosealReport   *self,
                                                       const char        *name,
                                                       GFile             *file);
void             photoseal_report_add_image_bytes     (PhotosealReport   *self,
                                                       const char        *name,
                                                       GBytes            *bytes);
void             photoseal_report_add_other_item      (PhotosealReport   *self,
                                                       const char        *name,
                                                       const char        *media_type);
guint            photoseal_report_paginate            (PhotosealReport   *self,
                                                       double             page_width,
                                                       double             page_height);
void             photoseal_report_draw_page           (PhotosealReport   *self,
                                                       cairo_t           *cr,
                                                       guint              page);
void             photoseal_report_set_progress_func   (PhotosealReport   *self,
                                                       PhotosealProgressFunc func,
                                                       gpointer          user_data);
gboolean         photoseal_report_write_pdf           (PhotosealReport   *self,
                                                       GFile             *destination,
                                                       GCancellable      *cancellable,
                                                       GError           **error);
void             photoseal_report_get_locale_paper    (double            *width,
                                                       double            *height);

G_END_DECLS
