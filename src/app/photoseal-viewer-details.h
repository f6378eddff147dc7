/* photoseal-viewer-details.h: who sent an opened file, for whom, with what consent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "photoseal.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_VIEWER_DETAILS (photoseal_viewer_details_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealViewerDetails, photoseal_viewer_details, PHOTOSEAL, VIEWER_DETAILS,
                      AdwBin)

void     photoseal_viewer_details_show               (PhotosealViewerDetails *self,
                                                      PhotosealManifest      *manifest,
                                                      const char             *owner_name,
                                                      const char             *owner_email,
                                                      const char             *confirmed_by);
gboolean photoseal_viewer_details_get_sender_differs (PhotosealViewerDetails *self);

G_END_DECLS
