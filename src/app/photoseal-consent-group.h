/* photoseal-consent-group.h: how consent was given, and for what
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_CONSENT_GROUP (photoseal_consent_group_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealConsentGroup, photoseal_consent_group, PHOTOSEAL, CONSENT_GROUP,
                      AdwBin)

const char  *photoseal_consent_group_get_method   (PhotosealConsentGroup *self);
GStrv        photoseal_consent_group_dup_purposes (PhotosealConsentGroup *self);
const char  *photoseal_consent_group_get_note     (PhotosealConsentGroup *self);
void         photoseal_consent_group_reset        (PhotosealConsentGroup *self);

G_END_DECLS
