/* photoseal-viewer-problem.h: why a file did not open, and the way forward
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_VIEWER_PROBLEM (photoseal_viewer_problem_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealViewerProblem, photoseal_viewer_problem, PHOTOSEAL, VIEWER_PROBLEM,
                      AdwBin)

void        photoseal_viewer_problem_show_error  (PhotosealViewerProblem *self,
                                                  const GError           *error,
                                                  const char             *file_name,
                                                  const char             *origin,
                                                  const char             *account_email);
const char *photoseal_viewer_problem_get_problem (PhotosealViewerProblem *self);
void        photoseal_viewer_problem_focus       (PhotosealViewerProblem *self);

G_END_DECLS
