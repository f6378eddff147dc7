/* photoseal-recipient-info.h: what the key server says about one recipient
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * PhotosealRecipientState:
 * @PHOTOSEAL_RECIPIENT_UNKNOWN: the server does not say (its directory is off)
 * @PHOTOSEAL_RECIPIENT_ACCOUNT: the address has an account; #PhotosealRecipientInfo:name is
 *   its name
 * @PHOTOSEAL_RECIPIENT_INVITABLE: no account, but sealing for it mails an invitation
 * @PHOTOSEAL_RECIPIENT_NO_ACCOUNT: no account and no invitation: use an access code
 * @PHOTOSEAL_RECIPIENT_INVITED: (key answers) an invitation was mailed
 * @PHOTOSEAL_RECIPIENT_NOT_SENT: (key answers) an invitation was due but could not be mailed
 * @PHOTOSEAL_RECIPIENT_INVALID: (lookups) not an address; #PhotosealRecipientInfo:message says why
 */
typedef enum
{
  PHOTOSEAL_RECIPIENT_UNKNOWN,
  PHOTOSEAL_RECIPIENT_ACCOUNT,
  PHOTOSEAL_RECIPIENT_INVITABLE,
  PHOTOSEAL_RECIPIENT_NO_ACCOUNT,
  PHOTOSEAL_RECIPIENT_INVITED,
  PHOTOSEAL_RECIPIENT_NOT_SENT,
  PHOTOSEAL_RECIPIENT_INVALID,
} PhotosealRecipientState;

#define PHOTOSEAL_TYPE_RECIPIENT_STATE (photoseal_recipient_state_get_type ())
GType photoseal_recipient_state_get_type (void);

#define PHOTOSEAL_TYPE_RECIPIENT_INFO (photoseal_recipient_info_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealRecipientInfo, photoseal_recipient_info,
                      PHOTOSEAL, RECIPIENT_INFO, GObject)

const char              *photoseal_recipient_info_get_email   (PhotosealRecipientInfo *self);
const char              *photoseal_recipient_info_get_name    (PhotosealRecipientInfo *self);
PhotosealRecipientState  photoseal_recipient_info_get_state   (PhotosealRecipientInfo *self);
const char              *photoseal_recipient_info_get_message (PhotosealRecipientInfo *self);

gboolean photoseal_recipient_state_from_string (const char              *text,
                                                PhotosealRecipientState *state);

G_END_DECLS
