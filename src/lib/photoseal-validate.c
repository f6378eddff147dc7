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

#include "photoseal-text.h"
#include "photoseal-validate.h"

G_DEFINE_QUARK (photoseal-validation-error-quark, photoseal_validation_error)

/**
 * photoseal_validate_email:
 *
 * An email: 3 to 254 bytes of UTF-8, one "@" with something on each side,
 * no spaces, commas or control characters. Whether it is deliverable is
 * not checked: a key server may well be on an intranet without dots.
 */
gboolean
photoseal_validate_email (const char  *email,
                          GError     **error)
{
  const char *at = email ? strchr (email, '@') : NULL;
  gsize len = email ? strlen (email) : 0;

  if (at == NULL || len < 3 || len > PHOTOSEAL_EMAIL_MAX_LENGTH || at == email || at[1] == '\0'
      || strchr (at + 1, '@') != NULL || strchr (email, ',') != NULL
      || !g_utf8_validate (email, -1, NULL))
    goto invalid;
  for (const char *p = email; *p; p++)
    if ((guchar) *p <= ' ' || *p == 0x7f)
      goto invalid;
  return TRUE;

invalid:
  {
    g_autofree char *shown = photoseal_text_escape_controls (email, -1);

    g_set_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_EMAIL,
                 _("“%s” is not an email address"), shown);
  }
  return FALSE;
}

/**
 * photoseal_parse_recipients:
 * @text: emails separated by commas, with spaces around them if wanted
 *
 * Empty entries are skipped, so "" is an empty list; the same address
 * twice (in any case) counts once.
 *
 * Returns: (transfer full) (nullable): the emails, or %NULL with
 *   %PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS naming the first bad one
 */
char **
photoseal_parse_recipients (const char  *text,
                            GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);
  g_autoptr(GPtrArray) emails = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *email = g_strstrip (parts[i]);
      g_autoptr(GError) local_error = NULL;

      if (*email == '\0' || !g_hash_table_add (seen, g_utf8_casefold (email, -1)))
        continue;
      if (!photoseal_validate_email (email, &local_error))
        {
          g_set_error_literal (error, PHOTOSEAL_VALIDATION_ERROR,
                               PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS, local_error->message);
          return NULL;
        }
      g_ptr_array_add (emails, g_strdup (email));
    }
  if (emails->len > PHOTOSEAL_MAX_RECIPIENTS)
    {
      g_set_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS,
                   _("Name at most %u recipients"), PHOTOSEAL_MAX_RECIPIENTS);
      return NULL;
    }
  return (char **) g_ptr_array_free (g_steal_pointer (&emails), FALSE);
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

static const char * const consent_methods[] = { "written", "verbal", "none", NULL };

/**
 * photoseal_consent_methods:
 *
 * Returns: (transfer none): the consent methods a manifest may record, in
 *   the order a form offers them
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
                       _("The consent method must be written, verbal or none"));
  return FALSE;
}
