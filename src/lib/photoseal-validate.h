/* photoseal-validate.h: one rule per field, shared by the app, psf and
 * the key server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PHOTOSEAL_VALIDATION_ERROR (photoseal_validation_error_quark ())

/**
 * PhotosealValidationError:
 * @PHOTOSEAL_VALIDATION_ERROR_EMAIL: an email address
 * @PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS: the list of recipients
 * @PHOTOSEAL_VALIDATION_ERROR_DATE_OF_BIRTH: the patient's date of birth
 * @PHOTOSEAL_VALIDATION_ERROR_CONSENT: the consent method
 * @PHOTOSEAL_VALIDATION_ERROR_PURPOSES: the purposes consent covers
 * @PHOTOSEAL_VALIDATION_ERROR_PATIENT_NAME: the patient's name
 * @PHOTOSEAL_VALIDATION_ERROR_PATIENT_IDENTIFIER: the patient's identifier
 *
 * The code names the field that is wrong, so a form can focus it; the
 * message says what is wrong, for people.
 */
typedef enum
{
  PHOTOSEAL_VALIDATION_ERROR_EMAIL,
  PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS,
  PHOTOSEAL_VALIDATION_ERROR_DATE_OF_BIRTH,
  PHOTOSEAL_VALIDATION_ERROR_CONSENT,
  PHOTOSEAL_VALIDATION_ERROR_PURPOSES,
  PHOTOSEAL_VALIDATION_ERROR_PATIENT_NAME,
  PHOTOSEAL_VALIDATION_ERROR_PATIENT_IDENTIFIER,
}  PhotosealValidationError;

#define PHOTOSEAL_EMAIL_MAX_LENGTH 254
#define PHOTOSEAL_MAX_RECIPIENTS 100

GQuark               photoseal_validation_error_quark (void);

gboolean             photoseal_validate_email         (const char  *email,
                                                       GError     **error);
char               **photoseal_parse_recipients       (const char  *text,
                                                       GError     **error);
gboolean             photoseal_validate_date_of_birth (const char  *text,
                                                       GDate       *date,
                                                       GError     **error);
const char * const  *photoseal_consent_methods        (void);
gboolean             photoseal_validate_consent       (const char  *method,
                                                       GError     **error);
gboolean             photoseal_consent_method_is_obtained (const char *method);
const char * const  *photoseal_consent_purposes       (void);
const char          *photoseal_consent_purpose_label  (const char  *purpose);
gboolean             photoseal_validate_purpose       (const char  *purpose,
                                                       GError     **error);
char               **photoseal_parse_purposes         (const char  *text,
                                                       GError     **error);
gboolean             photoseal_validate_patient       (const char  *name,
                                                       const char  *identifier,
                                                       gboolean     no_patient_details,
                                                       GError     **error);

G_END_DECLS
