/* test-address.c: one spelling per address, look-alikes refused, and the
 * recipient lists people paste.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "photoseal.h"

static void
test_normalize (void)
{
  static const struct { const char *typed; const char *stored; } cases[] = {
    { "Bob@Example.ORG", "bob@example.org" },
    { "  bob@example.org\n", "bob@example.org" },
    { "bob@localhost", "bob@localhost" },
    { "kim@b\u00FCcher.example", "kim@xn--bcher-kva.example" },
    { "kim@B\u00DCCHER.example", "kim@xn--bcher-kva.example" },
    { "yamada@\u4F8B\u3048.jp", "yamada@xn--r8jz45g.jp" },
    { "first.last+tag@example.org", "first.last+tag@example.org" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = photoseal_address_normalize (cases[i].typed, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (stored, ==, cases[i].stored);
      /* Normalising twice changes nothing. */
      g_free (stored);
      stored = photoseal_address_normalize (cases[i].stored, &error);
      g_assert_cmpstr (stored, ==, cases[i].stored);
    }
}

static void
test_look_alikes (void)
{
  static const char * const refused[] = {
    "\u017Fam@example.org",              /* long s: case-folds to "sam" */
    "\u212Aim@example.org",              /* Kelvin sign: case-folds to "kim" */
    "zo\u00EB@example.org",              /* a non-ASCII local part */
    "bob@example.org\u200B",             /* zero-width space */
    "bob\u200D@example.org",             /* zero-width joiner */
    "bo\u00ADb@example.org",             /* soft hyphen */
    "bob@exam\u2060ple.org",             /* word joiner */
    "bob@ex\u0430mple.org",              /* Cyrillic a among Latin */
    "bob@\u0440\u0430ypal.example",      /* Cyrillic r, a among Latin */
    "bob@example.org\u202E",             /* right-to-left override */
    "bob@exa\uFE0Fmple.org",             /* variation selector */
    "bob example@example.org", "bob@exa mple.org", "bob@@example.org", "@example.org",
    "bob@", ".bob@example.org", "bob.@example.org", "b..ob@example.org", "bob@-example.org",
    "bob@example..org", "bob(comment)@example.org", "\"bob\"@example.org", "bob@[127.0.0.1]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = photoseal_address_normalize (refused[i], &error);

      if (stored != NULL)
        g_error ("accepted %s as %s", refused[i], stored);
      g_assert_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_EMAIL);
      /* The message never carries an invisible or control character. */
      for (const char *p = error->message; *p; p = g_utf8_next_char (p))
        g_assert_false (g_unichar_type (g_utf8_get_char (p)) == G_UNICODE_FORMAT
                        || g_unichar_iscntrl (g_utf8_get_char (p)));
    }
}

static void
test_japanese_domain_mixes_scripts (void)
{
  g_autofree char *stored = photoseal_address_normalize ("a@\u6771\u4EAC\u30BF\u30EF\u30FC.jp",
                                                         NULL);

  /* Han with Katakana is how Japanese is written, not a look-alike. */
  g_assert_nonnull (stored);
}

static void
test_parse_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = photoseal_address_parse_list (
    "\"Doe, Jane\" <Jane.Doe@example.org>; Bob Smith <bob@example.org>\n"
    "carol@example.org dave@example.org,, ; BOB@EXAMPLE.ORG\r\n"
    "Roe, Richard <richard@example.org>", &error);
  static const struct { const char *name; const char *email; } expected[] = {
    { "Doe, Jane", "jane.doe@example.org" }, { "Bob Smith", "bob@example.org" },
    { NULL, "carol@example.org" }, { NULL, "dave@example.org" },
    { "Roe, Richard", "richard@example.org" },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < list->len; i++)
    {
      PhotosealNamedAddress *address = list->pdata[i];

      g_assert_cmpstr (address->name, ==, expected[i].name);
      g_assert_cmpstr (address->email, ==, expected[i].email);
    }
}

static void
test_parse_list_names_the_bad_entry (void)
{
  static const struct { const char *text; const char *names; } cases[] = {
    { "bob@example.org, carol", "Recipient 2 (“carol”)" },
    { "bob@example.org; Jane <jane@example.org", "Recipient 2" },
    { "Jane <jane@example.org> extra", "Recipient 1" },
    { "a@example.org\nb@ex\u0430mple.org", "Recipient 2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) list = photoseal_address_parse_list (cases[i].text, &error);

      g_assert_null (list);
      g_assert_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS);
      if (!g_str_has_prefix (error->message, cases[i].names))
        g_error ("“%s” for “%s”", error->message, cases[i].text);
    }
}

static void
test_parse_list_limit (void)
{
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  for (guint i = 0; i <= PHOTOSEAL_MAX_RECIPIENTS; i++)
    g_string_append_printf (many, "p%u@example.org ", i);
  list = photoseal_address_parse_list (many->str, &error);
  g_assert_null (list);
  g_assert_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS);
}

static void
test_suggest (void)
{
  const char * const known[] = { "Bob@Example.org", "alice@example.org", "carol@hospital.example",
                                 "not an address", NULL };
  static const struct { const char *typed; const char *suggested; } cases[] = {
    { "bob@exmaple.org", "Bob@Example.org" },        /* two letters swapped */
    { "bob@examle.org", "Bob@Example.org" },         /* one dropped */
    { "bbo@exmaple.org", "Bob@Example.org" },        /* two slips */
    { "BOB@EXAMPEL.ORG", "Bob@Example.org" },        /* case is not a slip */
    { "alcie@example.org", "alice@example.org" },
    { "carol@hospital.exampel", "carol@hospital.example" },
    /* No suggestion: known already, too far, or not an address. */
    { "bob@example.org", NULL },
    { "rob@exmaple.com", NULL },
    { "dora@clinic.example", NULL },
    { "bob@exa​mple.org", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *suggested = photoseal_address_suggest (cases[i].typed, known);

      g_assert_cmpstr (suggested, ==, cases[i].suggested);
    }
  g_assert_null (photoseal_address_suggest ("bob@exmaple.org", NULL));
  {
    /* A far address first does not hide the near one after it. */
    const char * const order[] = { "carol@example.org", "bob@example.org", NULL };
    g_autofree char *near = photoseal_address_suggest ("bob@exmaple.org", order);

    g_assert_cmpstr (near, ==, "bob@example.org");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/address/normalize", test_normalize);
  g_test_add_func ("/address/look-alikes", test_look_alikes);
  g_test_add_func ("/address/japanese-domain", test_japanese_domain_mixes_scripts);
  g_test_add_func ("/address/parse-list", test_parse_list);
  g_test_add_func ("/address/parse-list-names-the-bad-entry", test_parse_list_names_the_bad_entry);
  g_test_add_func ("/address/parse-list-limit", test_parse_list_limit);
  g_test_add_func ("/address/suggest", test_suggest);
  return g_test_run ();
}
