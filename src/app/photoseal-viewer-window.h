/* photoseal-viewer-window.h: one opened .psf
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal-user.h"

G_BEGIN_DECLS

/**
 * PhotosealViewerState:
 * @PHOTOSEAL_VIEWER_STATE_LOADING: reading, fetching the key, decrypting
 * @PHOTOSEAL_VIEWER_STATE_PHOTOS: the photos and their details
 * @PHOTOSEAL_VIEWER_STATE_PROBLEM: what went wrong and what to do
 * @PHOTOSEAL_VIEWER_STATE_SIGN_IN: signing in to the file's key server
 */
typedef enum
{
  PHOTOSEAL_VIEWER_STATE_LOADING,
  PHOTOSEAL_VIEWER_STATE_PHOTOS,
  PHOTOSEAL_VIEWER_STATE_PROBLEM,
  PHOTOSEAL_VIEWER_STATE_SIGN_IN,
} PhotosealViewerState;

#define PHOTOSEAL_TYPE_VIEWER_STATE (photoseal_viewer_state_get_type ())
#define PHOTOSEAL_TYPE_VIEWER_WINDOW (photoseal_viewer_window_get_type ())

GType photoseal_viewer_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (PhotosealViewerWindow, photoseal_viewer_window, PHOTOSEAL, VIEWER_WINDOW,
                      AdwApplicationWindow)

PhotosealViewerWindow *photoseal_viewer_window_new           (GtkApplication        *application,
                                                              PhotosealUser         *user,
                                                              GFile                 *file);
GFile                 *photoseal_viewer_window_get_file      (PhotosealViewerWindow *self);
PhotosealViewerState   photoseal_viewer_window_get_state     (PhotosealViewerWindow *self);
const char            *photoseal_viewer_window_get_problem   (PhotosealViewerWindow *self);
guint                  photoseal_viewer_window_get_n_photos  (PhotosealViewerWindow *self);
PhotosealManifest     *photoseal_viewer_window_get_manifest  (PhotosealViewerWindow *self);
void                   photoseal_viewer_window_export_async  (PhotosealViewerWindow *self,
                                                              GFile                 *folder,
                                                              GAsyncReadyCallback    callback,
                                                              gpointer               user_data);
gboolean               photoseal_viewer_window_export_finish (PhotosealViewerWindow *self,
                                                              GAsyncResult          *result,
                                                              GError               **error);

void     photoseal_viewer_window_export_report_async  (PhotosealViewerWindow *self,
                                                       GFile                 *destination,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
gboolean photoseal_viewer_window_export_report_finish (PhotosealViewerWindow *self,
                                                       GAsyncResult          *result,
                                                       GError               **error);
void     photoseal_viewer_window_print                (PhotosealViewerWindow *self,
                                                       GFile                 *export_to);

G_END_DECLS
