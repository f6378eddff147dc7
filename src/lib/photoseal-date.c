/* photoseal-date.c
 *
 * Every date Photoseal shows spells its month, so that 05/12 never has to
 * be guessed as May or December, and always has a four-digit year. The
 * order of day, month and year is the translators' choice, through the
 * formats below; "%x" is never used, since in the C locale it gives
 * "12/05/26".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-date"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "photoseal-date.h"

/**
 * photoseal_date_format_day:
 * @date: a date; only its day counts, in its own time zone
 *
 * Returns: (transfer full): the day, such as "31 Jan 1970"
 */
char *
photoseal_date_format_day (GDateTime *date)
{
  g_return_val_if_fail (date != NULL, NULL);

  /* Translators: a day with the month's name and a four-digit year, such as
   * "31 Jan 1970"; reorder to your language's custom (see g_date_time_format). */
  return g_date_time_format (date, C_("day format", "%-d %b %Y"));
}

/**
 * photoseal_date_format_time:
 * @time: a moment
 *
 * Returns: (transfer full): the moment in local time, such as
 *   "5 Dec 2026, 18:26"
 */
char *
photoseal_date_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_local (time);
  /* Translators: a day and a time of day, such as "5 Dec 2026, 18:26". */
  return g_date_time_format (local, C_("time format", "%-d %b %Y, %H:%M"));
}

/**
 * photoseal_date_format_iso_day:
 * @iso_day: a day as YYYY-MM-DD, such as a date of birth
 *
 * Returns: (transfer full): the day as photoseal_date_format_day() shows it,
 *   or a copy of @iso_day when it is not a valid day
 */
char *
photoseal_date_format_iso_day (const char *iso_day)
{
  g_autoptr(GDateTime) date = NULL;
  int year, month, day;
  char end;

  g_return_val_if_fail (iso_day != NULL, NULL);

  if (sscanf (iso_day, "%4d-%2d-%2d%c", &year, &month, &day, &end) == 3
      && (date = g_date_time_new_utc (year, month, day, 0, 0, 0)) != NULL)
    return photoseal_date_format_day (date);
  return g_strdup (iso_day);
}
