/* photoseal-validate.c
 *
 * Each rule is written once here. The key server checks emails with the
 * same function the app and psf use, so a form never accepts what the
 * server refuses, nor refuses what it accepts (such as bob@localhost).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-validate"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "photoseal-address.h"
#include "photoseal-validate.h"

G_DEFINE_QUARK (photoseal-validation-error-quark, photoseal_validation_error)

/**
 * photoseal_validate_email:
 *
 * An email that photoseal_address_normalize() accepts: an ASCII part before
 * the "@", a domain in any script but not mixing alphabets, nothing
 * invisible. Whether it is deliverable is not checked: a key server may
 * well be on an intranet without dots (bob@localhost).
 */
gboolean
photoseal_validate_email (const char  *email,
                          GError     **error)
{
  g_autofree char *normalized = photoseal_address_normalize (email, error);

  return normalized != NULL;
}

/**
 * photoseal_parse_recipients:
 * @text: what a person typed or pasted; see photoseal_address_parse_list()
 *
 * Returns: (transfer full) (nullable): the normalised emails, or %NULL with
 *   %PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS naming the first bad entry
 */
char **
photoseal_parse_recipients (const char  *text,
                            GError     **error)
{
  g_autoptr(GPtrArray) list = photoseal_address_parse_list (text, error);
  g_autoptr(GStrvBuilder) emails = g_strv_builder_new ();

  if (list == NULL)
    return NULL;
  for (guint i = 0; i < list->len; i++)
    g_strv_builder_add (emails, ((PhotosealNamedAddress *) list->pdata[i])->email);
  return g_strv_builder_end (emails);
}

/**
 * photoseal_validate_date_of_birth:
 * @text: "YYYY-MM-DD"
 * @date: (out caller-allocates) (optional): the date
 *
 * A real calendar date, and not after today.
 */
gboolean
photoseal_validate_date_of_birth (const char  *text,
                                  GDate       *date,
                                  GError     **error)
{
  unsigned year = 0, month = 0, day = 0;
  int end = 0;
  GDate parsed, today;

  if (text == NULL || strlen (text) != 10
      || sscanf (text, "%4u-%2u-%2u%n", &year, &month, &day, &end) != 3 || end != 10
      || text[4] != '-' || text[7] != '-' || !g_date_valid_dmy (day, month, year))
    {
      g_set_error_literal (error, PHOTOSEAL_VALIDATION_ERROR,
                           PHOTOSEAL_VALIDATION_ERROR_DATE_OF_BIRTH,
                           _("Write the date of birth as YYYY-MM-DD"));
      return FALSE;
    }
  g_date_clear (&parsed, 1);
  g_date_set_dmy (&parsed, day, month, year);
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  if (g_date_compare (&parsed, &today) > 0)
    {
      g_set_error_literal (error, PHOTOSEAL_VALIDATION_ERROR,
                           PHOTOSEAL_VALIDATION_ERROR_DATE_OF_BIRTH,
                           _("The date of birth is in the future"));
      return FALSE;
    }
  if (date != NULL)
    *date = parsed;
  return TRUE;
}

/* New methods go at the end: the app's combo row lists them in this order. */
static const char * const consent_methods[] = { "written", "verbal", "none", "not_needed", NULL };
static const char * const consent_purposes[] = { "care", "teaching", "publication", NULL };

/**
 * photoseal_consent_methods:
 *
 * Returns: (transfer none): the consent methods a manifest may record, in
 *   the order a form offers them: "written", "verbal", "none" (not
 *   obtained) and "not_needed" (no identifiable patient)
 */
const char * const *
photoseal_consent_methods (void)
{
  return consent_methods;
}

gboolean
photoseal_validate_consent (const char  *method,
                            GError     **error)
{
  if (method != NULL && g_strv_contains (consent_methods, method))
    return TRUE;
  g_set_error_literal (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_CONSENT,
                       _("The consent must be written, verbal, none or not_needed"));
  return FALSE;
}

/**
 * photoseal_consent_method_is_obtained:
 *
 * Whether @method records consent that the patient gave: "written" or
 * "verbal". "not_needed" is not obtained consent, only consent not asked for.
 */
gboolean
photoseal_consent_method_is_obtained (const char *method)
{
  return g_strcmp0 (method, "written") == 0 || g_strcmp0 (method, "verbal") == 0;
}

/**
 * photoseal_consent_purposes:
 *
 * Returns: (transfer none): the purposes consent may cover, in the order a
 *   form offers them
 */
const char * const *
photoseal_consent_purposes (void)
{
  return consent_purposes;
}

/**
 * photoseal_consent_purpose_label:
 *
 * Returns: (transfer none): the purpose for people, translated, such as
 *   "clinical care"; @purpose itself when unknown
 */
const char *
photoseal_consent_purpose_label (const char *purpose)
{
  if (g_strcmp0 (purpose, "care") == 0)
    return _("clinical care");
  if (g_strcmp0 (purpose, "teaching") == 0)
    return _("teaching");
  if (g_strcmp0 (purpose, "publication") == 0)
    return _("publication");
  return purpose;
}

gboolean
photoseal_validate_purpose (const char  *purpose,
                            GError     **error)
{
  if (purpose != NULL && g_strv_contains (consent_purposes, purpose))
    return TRUE;
  g_set_error_literal (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_PURPOSES,
                       _("A consent purpose must be care, teaching or publication"));
  return FALSE;
}

/**
 * photoseal_parse_purposes:
 * @text: purposes separated by commas, such as "care,teaching"
 *
 * Returns: (transfer full) (nullable): each purpose once, in the library's
 *   order, or %NULL with %PHOTOSEAL_VALIDATION_ERROR_PURPOSES
 */
char **
photoseal_parse_purposes (const char  *text,
                          GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);
  g_autoptr(GStrvBuilder) purposes = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0' && !photoseal_validate_purpose (parts[i], error))
        return NULL;
    }
  for (const char * const *p = consent_purposes; *p; p++)
    if (g_strv_contains ((const char * const *) parts, *p))
      g_strv_builder_add (purposes, *p);
  return g_strv_builder_end (purposes);
}

static gboolean
is_blank (const char *text)
{
  g_autofree char *copy = g_strdup (text ? text : "");

  return *g_strstrip (copy) == '\0';
}

/**
 * photoseal_validate_patient:
 * @no_patient_details: the sender said the photos identify nobody
 *
 * The rule for sealing: a name and an identifier, so that the recipient
 * files the photos under the right patient, unless the sender said that
 * there is no patient to name.
 */
gboolean
photoseal_validate_patient (const char  *name,
                            const char  *identifier,
                            gboolean     no_patient_details,
                            GError     **error)
{
  if (no_patient_details)
    return TRUE;
  if (is_blank (name))
    {
      g_set_error_literal (error, PHOTOSEAL_VALIDATION_ERROR,
                           PHOTOSEAL_VALIDATION_ERROR_PATIENT_NAME,
                           _("Give the patient's name, or say that the photos identify nobody"));
      return FALSE;
    }
  if (is_blank (identifier))
    {
      g_set_error_literal (error, PHOTOSEAL_VALIDATION_ERROR,
                           PHOTOSEAL_VALIDATION_ERROR_PATIENT_IDENTIFIER,
                           _("Give the patient's identifier, or say that the photos identify "
                             "nobody"));
      return FALSE;
    }
  return TRUE;
}
