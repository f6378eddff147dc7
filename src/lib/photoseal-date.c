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

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "photoseal-date.h"
#include "photoseal-validate.h"

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
   * "31 Jan 1970"; reorder to your language's custom (see g_date_time_format).
   * Keep %C%y: unlike %Y, it gives four digits for the years before 1000. */
  return g_date_time_format (date, C_("day format", "%-d %b %C%y"));
}

/**
 * photoseal_date_format_local_day:
 * @moment: a moment, such as a key's expiry as the key server gives it (UTC)
 *
 * The day @moment falls on here: an expiry at 23:59 local time is that
 * day, not the next one it already is in UTC.
 *
 * Returns: (transfer full): the day in local time, such as "5 Dec 2026"
 */
char *
photoseal_date_format_local_day (GDateTime *moment)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (moment != NULL, NULL);

  local = g_date_time_to_local (moment);
  return photoseal_date_format_day (local);
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
  /* Translators: a day and a time of day, such as "5 Dec 2026, 18:26";
   * keep %C%y for a four-digit year. */
  return g_date_time_format (local, C_("time format", "%-d %b %C%y, %H:%M"));
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

/* Parsing typed days ****************************************************/

/**
 * photoseal_date_order_from_format:
 * @d_fmt: a strftime date format, such as nl_langinfo (D_FMT)'s "%d.%m.%Y"
 *
 * Returns: (transfer none): the order of day, month and year in @d_fmt:
 *   "DMY", "MDY" or "YMD"; "DMY" when it cannot tell, as most of the world
 *   writes it
 */
const char *
photoseal_date_order_from_format (const char *d_fmt)
{
  const char *d = NULL, *m = NULL, *y = NULL;

  for (const char *p = d_fmt ? d_fmt : ""; *p; p++)
    {
      if (*p != '%' || p[1] == '\0')
        continue;
      p++;
      while (strchr ("-_0^#E O", *p) && p[1] != '\0')
        p++;
      if ((*p == 'd' || *p == 'e') && d == NULL)
        d = p;
      else if ((*p == 'm' || *p == 'b' || *p == 'B') && m == NULL)
        m = p;
      else if ((*p == 'y' || *p == 'Y') && y == NULL)
        y = p;
      else if (*p == 'D' || *p == 'x')
        return "MDY";
      else if (*p == 'F')
        return "YMD";
    }
  if (d == NULL || m == NULL || y == NULL)
    return "DMY";
  if (y < m && m < d)
    return "YMD";
  if (m < d && d < y)
    return "MDY";
  return "DMY";
}

/**
 * photoseal_date_locale_order:
 *
 * Returns: (transfer none): the order of the current locale's "%x", as
 *   photoseal_date_order_from_format() gives it
 */
const char *
photoseal_date_locale_order (void)
{
  return photoseal_date_order_from_format (nl_langinfo (D_FMT));
}

/* 1 to 12 for the locale's full or abbreviated month name (or the C
 * locale's English one), 0 otherwise. */
static int
month_from_name (const char *word)
{
  static const nl_item full[] = { MON_1, MON_2, MON_3, MON_4, MON_5, MON_6, MON_7, MON_8,
                                  MON_9, MON_10, MON_11, MON_12 };
  static const nl_item abbreviated[] = { ABMON_1, ABMON_2, ABMON_3, ABMON_4, ABMON_5, ABMON_6,
                                         ABMON_7, ABMON_8, ABMON_9, ABMON_10, ABMON_11,
                                         ABMON_12 };
  static const char * const english[] = { "january", "february", "march", "april", "may",
                                          "june", "july", "august", "september", "october",
                                          "november", "december" };
  g_autofree char *folded = g_utf8_casefold (word, -1);
  gsize len = strlen (folded);

  if (len > 0 && folded[len - 1] == '.')
    folded[--len] = '\0';
  for (int i = 0; i < 12 && len > 0; i++)
    {
      g_autofree char *name = g_locale_to_utf8 (nl_langinfo (full[i]), -1, NULL, NULL, NULL);
      g_autofree char *abbr = g_locale_to_utf8 (nl_langinfo (abbreviated[i]), -1, NULL, NULL,
                                                NULL);
      g_autofree char *name_folded = name ? g_utf8_casefold (name, -1) : NULL;
      g_autofree char *abbr_folded = abbr ? g_utf8_casefold (abbr, -1) : NULL;

      if (g_strcmp0 (folded, name_folded) == 0 || g_strcmp0 (folded, abbr_folded) == 0
          || (len >= 3 && g_str_has_prefix (english[i], folded)))
        return i + 1;
    }
  return 0;
}

static gboolean
all_digits (const char *word)
{
  if (*word == '\0')
    return FALSE;
  for (; *word; word++)
    if (!g_ascii_isdigit (*word))
      return FALSE;
  return TRUE;
}

/* Day, month and year from three words, of which the year has four
 * digits. Numbers follow @order; a month name may stand anywhere. */
static gboolean
fields_from_words (char       **words,
                   const char  *order,
                   int         *day,
                   int         *month,
                   int         *year)
{
  int numbers[3], n_numbers = 0, named = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      int by_name = all_digits (words[i]) ? 0 : month_from_name (words[i]);

      if (by_name > 0 && named == 0)
        named = by_name;
      else if (all_digits (words[i]) && strlen (words[i]) <= 4 && n_numbers < 3)
        numbers[n_numbers++] = atoi (words[i]);
      else
        return FALSE;
    }
  if (named > 0)
    {
      if (n_numbers != 2)
        return FALSE;
      /* The number of four digits is the year, whatever the order. */
      *month = named;
      *year = numbers[0] > 31 ? numbers[0] : numbers[1];
      *day = numbers[0] > 31 ? numbers[1] : numbers[0];
      return TRUE;
    }
  if (n_numbers != 3)
    return FALSE;
  for (int i = 0; i < 3; i++)
    {
      if (order[i] == 'D')
        *day = numbers[i];
      else if (order[i] == 'M')
        *month = numbers[i];
      else
        *year = numbers[i];
    }
  return TRUE;
}

/**
 * photoseal_date_parse_day_in_order:
 * @text: a day as typed: ISO "1970-01-31", numbers in @order ("31.01.1970",
 *   "31/1/1970"), or with a month name ("31 Jan 1970", "January 31, 1970")
 * @order: "DMY", "MDY" or "YMD", for numbers only
 *
 * The year must have four digits: "1/2/70" is refused, not guessed.
 *
 * Returns: (transfer full) (nullable): the day as YYYY-MM-DD, or %NULL with
 *   %PHOTOSEAL_VALIDATION_ERROR_DATE_OF_BIRTH
 */
char *
photoseal_date_parse_day_in_order (const char  *text,
                                   const char  *order,
                                   GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));
  g_auto(GStrv) words = NULL;
  int day = 0, month = 0, year = 0;
  gboolean iso;
  guint n = 0;

  g_return_val_if_fail (order != NULL && strlen (order) == 3, NULL);

  iso = strlen (copy) == 10 && copy[4] == '-' && copy[7] == '-';
  g_strdelimit (copy, "/.-,", ' ');
  words = g_strsplit (copy, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        char *word = words[i];

        words[i] = NULL;
        words[n++] = word;
      }
    else
      g_clear_pointer (&words[i], g_free);
  words[n] = NULL;

  if (n == 3 && (iso ? fields_from_words (words, "YMD", &day, &month, &year)
                     : fields_from_words (words, order, &day, &month, &year))
      && year >= 1000 && year <= 9999 && g_date_valid_dmy (day, month, year))
    return g_strdup_printf ("%04d-%02d-%02d", year, month, day);

  g_set_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_DATE_OF_BIRTH,
               /* Translators: %s is an example date in the locale's order, such as 31/01/1970. */
               _("Write the date of birth as %s, 31 Jan 1970 or 1970-01-31"),
               g_str_equal (order, "MDY") ? "01/31/1970"
               : g_str_equal (order, "YMD") ? "1970/01/31" : "31/01/1970");
  return NULL;
}

/**
 * photoseal_date_parse_date_of_birth:
 * @text: a date of birth as typed, see photoseal_date_parse_day_in_order()
 *
 * Numbers are read in the order of the locale's "%x" (nl_langinfo (D_FMT)),
 * month names in its language; the day must not be after today.
 *
 * Returns: (transfer full) (nullable): the day as YYYY-MM-DD
 */
char *
photoseal_date_parse_date_of_birth (const char  *text,
                                    GError     **error)
{
  g_autofree char *iso = photoseal_date_parse_day_in_order (text, photoseal_date_locale_order (),
                                                            error);

  if (iso == NULL || !photoseal_validate_date_of_birth (iso, NULL, error))
    return NULL;
  return g_steal_pointer (&iso);
}
