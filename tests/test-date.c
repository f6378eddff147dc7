/* test-date.c: dates shown and typed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "photoseal.h"

static void
test_order_from_format (void)
{
  g_assert_cmpstr (photoseal_date_order_from_format ("%m/%d/%y"), ==, "MDY");   /* C, en_US */
  g_assert_cmpstr (photoseal_date_order_from_format ("%d.%m.%Y"), ==, "DMY");   /* de_DE */
  g_assert_cmpstr (photoseal_date_order_from_format ("%d/%m/%Y"), ==, "DMY");   /* en_GB */
  g_assert_cmpstr (photoseal_date_order_from_format ("%Y-%m-%d"), ==, "YMD");   /* sv_SE */
  g_assert_cmpstr (photoseal_date_order_from_format ("%Y年%m月%d日"), ==, "YMD"); /* ja_JP */
  g_assert_cmpstr (photoseal_date_order_from_format ("%-e. %B %Y"), ==, "DMY");
  g_assert_cmpstr (photoseal_date_order_from_format ("%D"), ==, "MDY");
  g_assert_cmpstr (photoseal_date_order_from_format (""), ==, "DMY");
}

static void
assert_parses (const char *text,
               const char *order,
               const char *iso)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parsed = photoseal_date_parse_day_in_order (text, order, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (parsed, ==, iso);
}

static void
assert_refused (const char *text,
                const char *order)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parsed = photoseal_date_parse_day_in_order (text, order, &error);

  g_assert_null (parsed);
  g_assert_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_DATE_OF_BIRTH);
}

static void
test_parse_day (void)
{
  assert_parses ("1970-01-31", "MDY", "1970-01-31");
  assert_parses ("1970-01-31", "DMY", "1970-01-31");
  assert_parses ("05/12/1970", "DMY", "1970-12-05");
  assert_parses ("05/12/1970", "MDY", "1970-05-12");
  assert_parses ("5.12.1970", "DMY", "1970-12-05");
  assert_parses ("1970/12/05", "YMD", "1970-12-05");
  assert_parses (" 31 Jan 1970 ", "MDY", "1970-01-31");
  assert_parses ("January 31, 1970", "DMY", "1970-01-31");
  assert_parses ("31 january 1970", "YMD", "1970-01-31");
  assert_parses ("29/02/2000", "DMY", "2000-02-29");

  assert_refused ("31/01/1970", "MDY");  /* no 31st month */
  assert_refused ("29/02/2001", "DMY");
  assert_refused ("1/2/70", "DMY");      /* a two-digit year is never guessed */
  assert_refused ("31 Foo 1970", "DMY");
  assert_refused ("31 Jan Feb 1970", "DMY");
  assert_refused ("1970-01", "DMY");
  assert_refused ("", "DMY");
  assert_refused ("12345-01-01", "YMD");
}

static void
test_date_of_birth (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = photoseal_date_parse_date_of_birth ("1970-01-31", NULL);
  g_autofree char *future = photoseal_date_parse_date_of_birth ("9000-01-01", &error);

  g_assert_cmpstr (iso, ==, "1970-01-31");
  g_assert_null (future);
  g_assert_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_DATE_OF_BIRTH);
}

/* The locale's own "%x": C's is "%m/%d/%y", month first. A German locale,
 * when one is installed, reads the same digits day first. */
static void
test_locale_order (void)
{
  g_autofree char *c = NULL;

  setlocale (LC_ALL, "C");
  g_assert_cmpstr (photoseal_date_locale_order (), ==, "MDY");
  c = photoseal_date_parse_date_of_birth ("05/12/1970", NULL);
  g_assert_cmpstr (c, ==, "1970-05-12");
  if (setlocale (LC_ALL, "de_DE.UTF-8") != NULL)
    {
      g_autofree char *de = photoseal_date_parse_date_of_birth ("05.12.1970", NULL);
      g_autofree char *named = photoseal_date_parse_date_of_birth ("5. Dezember 1970", NULL);

      g_assert_cmpstr (photoseal_date_locale_order (), ==, "DMY");
      g_assert_cmpstr (de, ==, "1970-12-05");
      g_assert_cmpstr (named, ==, "1970-12-05");
    }
  else
    g_test_message ("de_DE.UTF-8 is not installed; the order logic is tested above");
  setlocale (LC_ALL, "C");
}

static void
test_format (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2026, 12, 5, 18, 26, 0);
  g_autofree char *day = photoseal_date_format_day (time);
  g_autofree char *dob = photoseal_date_format_iso_day ("0026-01-31");

  g_assert_cmpstr (day, ==, "5 Dec 2026");
  g_assert_cmpstr (dob, ==, "31 Jan 0026");
}

/* A key that expires at 23:59 on 5 December in New York is 04:59 UTC on
 * the 6th: the expiry shown there is the 5th. */
static void
test_format_local_day (void)
{
  g_autoptr(GDateTime) expiry = g_date_time_new_utc (2026, 12, 6, 4, 59, 0);
  g_autofree char *in_new_york = NULL;
  g_autofree char *in_utc = NULL;
  g_autofree char *old_tz = g_strdup (g_getenv ("TZ"));

  g_setenv ("TZ", "America/New_York", TRUE);
  in_new_york = photoseal_date_format_local_day (expiry);
  g_setenv ("TZ", "UTC", TRUE);
  in_utc = photoseal_date_format_local_day (expiry);
  if (old_tz != NULL)
    g_setenv ("TZ", old_tz, TRUE);
  else
    g_unsetenv ("TZ");
  g_assert_cmpstr (in_new_york, ==, "5 Dec 2026");
  g_assert_cmpstr (in_utc, ==, "6 Dec 2026");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/date/order-from-format", test_order_from_format);
  g_test_add_func ("/date/parse-day", test_parse_day);
  g_test_add_func ("/date/date-of-birth", test_date_of_birth);
  g_test_add_func ("/date/locale-order", test_locale_order);
  g_test_add_func ("/date/format", test_format);
  g_test_add_func ("/date/format-local-day", test_format_local_day);
  return g_test_run ();
}
