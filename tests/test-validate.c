/* test-validate.c: the field rules shared by the app, psf and the key
 * server, the escaping of text from files and servers, and the bounds on
 * JSON from outside
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "photoseal.h"

static void
test_email (void)
{
  static const char * const good[] = {
    "bob@localhost", "alice@example.org", "o'brien'--DROP/**/TABLE/**/accounts@example.org",
    "zoe@exämple.org", "a@b",
  };
  static const char * const bad[] = {
    "", "a@", "@b", "ab", "a@b@c", "a b@c", "a,b@c", "a@b\x1b", "a@b\x7f", "a\t@b", "a@\xff\xfe",
    "zoë@example.org",
  };
  g_autofree char *long_email = g_strnfill (PHOTOSEAL_EMAIL_MAX_LENGTH + 1, 'a');

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (photoseal_validate_email (good[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (photoseal_validate_email (bad[i], &error));
      g_assert_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_EMAIL);
    }
  g_assert_false (photoseal_validate_email (NULL, NULL));
  /* 254 bytes at most, in labels of at most 63. */
  long_email[10] = '@';
  for (guint i = 10 + 61; i < PHOTOSEAL_EMAIL_MAX_LENGTH; i += 61)
    long_email[i] = '.';
  g_assert_false (photoseal_validate_email (long_email, NULL));
  long_email[PHOTOSEAL_EMAIL_MAX_LENGTH] = '\0';
  g_assert_true (photoseal_validate_email (long_email, NULL));
}

static void
test_email_error_is_escaped (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (photoseal_validate_email ("x\x1b]8;;http://evil/\x1b\\@b c", &error));
  g_assert_null (strchr (error->message, '\x1b'));
  g_assert_nonnull (strstr (error->message, "\\x1b]8;;http://evil/"));
}

static void
test_recipients (void)
{
  g_auto(GStrv) emails = NULL;
  g_auto(GStrv) none = NULL;
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  emails = photoseal_parse_recipients (" bob@localhost , ,BOB@localhost,carol@example.org,",
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (emails), ==, 2);
  g_assert_cmpstr (emails[0], ==, "bob@localhost");
  g_assert_cmpstr (emails[1], ==, "carol@example.org");

  none = photoseal_parse_recipients ("", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  g_assert_null (photoseal_parse_recipients ("bob@localhost, carol", &error));
  g_assert_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS);
  g_assert_nonnull (strstr (error->message, "“carol”"));
  g_clear_error (&error);

  for (guint i = 0; i <= PHOTOSEAL_MAX_RECIPIENTS; i++)
    g_string_append_printf (many, "r%u@example.org,", i);
  g_assert_null (photoseal_parse_recipients (many->str, &error));
  g_assert_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS);
}

static void
test_date_of_birth (void)
{
  static const char * const bad[] = {
    "2001-02-29", "2000-2-29", "2000-02-29x", "29/02/2000", "2000-13-01", "2000+02-01",
    "3000-01-01", "", " 2000-01-01",
  };
  GDate date;

  g_assert_true (photoseal_validate_date_of_birth ("2000-02-29", &date, NULL));
  g_assert_cmpint (g_date_get_day (&date), ==, 29);
  g_assert_true (photoseal_validate_date_of_birth ("1900-01-01", NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (photoseal_validate_date_of_birth (bad[i], NULL, &error));
      g_assert_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_DATE_OF_BIRTH);
    }
}

static void
test_consent (void)
{
  g_autoptr(GError) error = NULL;

  for (const char * const *m = photoseal_consent_methods (); *m; m++)
    g_assert_true (photoseal_validate_consent (*m, NULL));
  g_assert_false (photoseal_validate_consent ("maybe", &error));
  g_assert_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_CONSENT);
  g_assert_false (photoseal_validate_consent (NULL, NULL));
  g_assert_true (photoseal_validate_consent ("not_needed", NULL));
  g_assert_true (photoseal_consent_method_is_obtained ("verbal"));
  g_assert_false (photoseal_consent_method_is_obtained ("not_needed"));
  g_assert_false (photoseal_consent_method_is_obtained ("none"));
}

static void
test_purposes (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parsed = photoseal_parse_purposes (" publication, care,care ", NULL);
  g_auto(GStrv) none = photoseal_parse_purposes ("", NULL);
  const char *ordered[] = { "care", "publication", NULL };

  g_assert_cmpstrv (parsed, ordered);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_null (photoseal_parse_purposes ("care,marketing", &error));
  g_assert_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_PURPOSES);
}

static void
test_patient (void)
{
  g_autoptr(GError) no_name = NULL;
  g_autoptr(GError) no_id = NULL;

  g_assert_true (photoseal_validate_patient ("Jo", "MRN-1", FALSE, NULL));
  g_assert_true (photoseal_validate_patient (NULL, NULL, TRUE, NULL));
  g_assert_false (photoseal_validate_patient ("  ", "MRN-1", FALSE, &no_name));
  g_assert_error (no_name, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_PATIENT_NAME);
  g_assert_false (photoseal_validate_patient ("Jo", NULL, FALSE, &no_id));
  g_assert_error (no_id, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_PATIENT_IDENTIFIER);
}

static void
test_escape_controls (void)
{
  g_autofree char *escaped = NULL;
  g_autofree char *invalid = NULL;
  g_autofree char *plain = NULL;

  escaped = photoseal_text_escape_controls ("a\x1b[31mb\r\n\xe2\x80\xae" "c\xc2\x9b", -1);
  g_assert_cmpstr (escaped, ==, "a\\x1b[31mb\\x0d\\x0a\\u202ec\\u009b");
  invalid = photoseal_text_escape_controls ("a\xff" "b", -1);
  g_assert_cmpstr (invalid, ==, "a\xef\xbf\xbd" "b");
  plain = photoseal_text_escape_controls ("https://keys.example.org:8443 zoë", -1);
  g_assert_cmpstr (plain, ==, "https://keys.example.org:8443 zoë");
}

static char *
nested (guint depth)
{
  g_autofree char *open = g_strnfill (depth, '[');
  g_autofree char *close = g_strnfill (depth, ']');

  return g_strconcat (open, close, NULL);
}

static void
test_json_depth (void)
{
  g_autofree char *ok = nested (PHOTOSEAL_JSON_MAX_DEPTH);
  g_autofree char *deep = nested (PHOTOSEAL_JSON_MAX_DEPTH + 1);
  /* Brackets inside strings, escaped quotes included, do not count. */
  const char *strings = "{\"a\":\"[[[[[[\\\"[[[[\"}";
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = photoseal_json_parse_bounded (ok, strlen (ok), PHOTOSEAL_JSON_MAX_DEPTH, &error);
  g_assert_no_error (error);
  g_assert_true (photoseal_json_depth_is_bounded (strings, strlen (strings), 1));
  g_assert_null (photoseal_json_parse_bounded (deep, strlen (deep), PHOTOSEAL_JSON_MAX_DEPTH,
                                               &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE);
}

/* 300,000 levels overflowed json-glib's stack: psf open and the viewer
 * crashed on such a manifest. It is now an invalid manifest. */
static void
test_deep_manifest (void)
{
  g_autofree char *deep = nested (300000);
  g_autoptr(GBytes) bytes = g_bytes_new (deep, strlen (deep));
  g_autoptr(PhotosealManifest) manifest = NULL;
  g_autoptr(GError) error = NULL;

  manifest = photoseal_manifest_new_from_bytes (bytes, &error);
  g_assert_null (manifest);
  g_assert_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_MANIFEST);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/email", test_email);
  g_test_add_func ("/validate/email-error-is-escaped", test_email_error_is_escaped);
  g_test_add_func ("/validate/recipients", test_recipients);
  g_test_add_func ("/validate/date-of-birth", test_date_of_birth);
  g_test_add_func ("/validate/consent", test_consent);
  g_test_add_func ("/validate/purposes", test_purposes);
  g_test_add_func ("/validate/patient", test_patient);
  g_test_add_func ("/text/escape-controls", test_escape_controls);
  g_test_add_func ("/json/depth", test_json_depth);
  g_test_add_func ("/json/deep-manifest", test_deep_manifest);
  return g_test_run ();
}
