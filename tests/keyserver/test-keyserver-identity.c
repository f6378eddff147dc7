/* test-keyserver-identity.c: who may sign up, proven by codes mailed
 * through a real SMTP server (aiosmtpd) to a real key-server process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "identity-fixture.h"

static JsonObject *
info_of (KeyserverFixture *server,
         Reply           **reply)
{
  *reply = keyserver_request (server, "GET", "/v1/info", NULL, NULL);
  g_assert_cmpuint ((*reply)->status, ==, 200);
  return json_node_get_object ((*reply)->json);
}

static void
test_info_reports_identity (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(Reply) reply = NULL;
  JsonObject *info;
  JsonArray *domains;

  identity_start (&identity, "--allowed-domains", "Hospital.Example, bücher.example",
                  "--directory", "off", NULL);
  info = info_of (&identity.server, &reply);
  g_assert_cmpstr (json_object_get_string_member (info, "registration"), ==, "verified");
  g_assert_true (json_object_get_boolean_member (info, "mail"));
  g_assert_false (json_object_get_boolean_member (info, "directory"));
  domains = json_object_get_array_member (info, "allowed_domains");
  g_assert_cmpuint (json_array_get_length (domains), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (domains, 0), ==, "hospital.example");
  g_assert_cmpstr (json_array_get_string_element (domains, 1), ==, "xn--bcher-kva.example");
}

/* Without a relay nothing is mailed and nothing pretends to be. */
static void
test_info_defaults (void)
{
  KeyserverFixture server = { 0 };
  g_autoptr(Reply) reply = NULL;
  JsonObject *info;

  keyserver_fixture_start (&server, "closed");
  info = info_of (&server, &reply);
  g_assert_cmpstr (json_object_get_string_member (info, "registration"), ==, "closed");
  g_assert_false (json_object_get_boolean_member (info, "mail"));
  g_assert_true (json_object_get_boolean_member (info, "directory"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (info, "allowed_domains")),
                    ==, 0);
  keyserver_fixture_stop (&server);
}

static void
ask_for_code (KeyserverFixture *server,
              const char       *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\"}", email);
  g_autoptr(Reply) reply = keyserver_request (server, "POST", "/v1/accounts/verification", NULL,
                                              body);

  g_assert_cmpuint (reply->status, ==, 202);
  g_assert_cmpstr (reply->text, ==, "{}");
}

static void
test_signup_with_mailed_code (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) again = NULL;
  g_autofree char *code = NULL;
  g_autofree char *log = NULL;

  identity_start_default (&identity);
  /* Typed in any case: the code goes to, and is bound to, one spelling. */
  ask_for_code (&identity.server, "Dora@Clinic.Example");
  code = mailed_code (&identity.relay, 1, "dora@clinic.example");
  created = sign_up (&identity.server, "dora@clinic.example", code);
  g_assert_cmpuint (created->status, ==, 201);

  /* A code works once. */
  again = sign_up (&identity.server, "dora@clinic.example", code);
  g_assert_cmpstr (reply_error_code (again), ==, "bad_code");
  log = keyserver_fixture_read_log (&identity.server);
  g_assert_nonnull (strstr (log, "verify code sent to dora@clinic.example"));
  g_assert_null (strstr (log, code));
}

static void
test_signup_locked_after_wrong_codes (void)
{
  g_auto(Identity) identity = { 0 };
  g_autofree char *code = NULL;
  g_autoptr(Reply) locked = NULL;

  identity_start_default (&identity);
  ask_for_code (&identity.server, "dora@clinic.example");
  code = mailed_code (&identity.relay, 1, "dora@clinic.example");
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(Reply) wrong = sign_up (&identity.server, "dora@clinic.example", "AAAAA-AAAAA");

      g_assert_cmpuint (wrong->status, ==, 400);
      g_assert_cmpstr (reply_error_code (wrong), ==, "bad_code");
    }
  /* Even the right code, now. */
  locked = sign_up (&identity.server, "dora@clinic.example", code);
  g_assert_cmpuint (locked->status, ==, 429);
  g_assert_cmpstr (reply_error_code (locked), ==, "locked");
}

/* A code is bound to its address; no code, no account. */
static void
test_signup_hostile (void)
{
  g_auto(Identity) identity = { 0 };
  g_autofree char *code = NULL;
  g_autoptr(Reply) other = NULL;
  g_autoptr(Reply) missing = NULL;

  identity_start_default (&identity);
  ask_for_code (&identity.server, "dora@clinic.example");
  code = mailed_code (&identity.relay, 1, "dora@clinic.example");
  other = sign_up (&identity.server, "eve@clinic.example", code);
  g_assert_cmpstr (reply_error_code (other), ==, "bad_code");
  missing = keyserver_request (&identity.server, "POST", "/v1/accounts", NULL,
                               "{\"email\": \"eve@clinic.example\", \"name\": \"Eve\", "
                               "\"password\": \"correct horse\"}");
  g_assert_cmpuint (missing->status, ==, 400);
  g_assert_cmpstr (reply_error_code (missing), ==, "invalid");
}

/* allowed-domains: no account, and no mail, outside them. */
static void
test_allowed_domains (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(Reply) refused = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *code = NULL;

  identity_start (&identity, "--allowed-domains", "hospital.example", NULL);
  ask_for_code (&identity.server, "eve@elsewhere.example");
  /* One background thread mails in order: once this one is in, the
   * first request has been dealt with. */
  ask_for_code (&identity.server, "dora@hospital.example");
  code = mailed_code (&identity.relay, 1, "dora@hospital.example");
  messages = relay_messages (&identity.relay);
  g_assert_cmpuint (messages->len, ==, 1);
  refused = sign_up (&identity.server, "eve@elsewhere.example", code);
  g_assert_cmpuint (refused->status, ==, 403);
  g_assert_cmpstr (reply_error_code (refused), ==, "domain_not_allowed");
}

/* Asking again and again mails no more than three codes per address. */
static void
test_codes_throttled (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *code = NULL;

  identity_start_default (&identity);
  for (int i = 0; i < 6; i++)
    ask_for_code (&identity.server, "dora@clinic.example");
  ask_for_code (&identity.server, "fred@clinic.example");
  code = mailed_code (&identity.relay, 4, "fred@clinic.example");
  messages = relay_messages (&identity.relay);
  g_assert_cmpuint (messages->len, ==, 4);
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
timed_ask (KeyserverFixture *server,
           const char       *path,
           const char       *email,
           char            **text)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\"}", email);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(Reply) reply = keyserver_request (server, "POST", path, NULL, body);
  gint64 took = g_get_monotonic_time () - start;

  g_assert_cmpuint (reply->status, ==, 202);
  g_free (*text);
  *text = g_strdup (reply->text);
  return took;
}

/* Medians of 100 requests for an existing and 100 for unknown addresses,
 * interleaved in a random order within each pair, so that neither kind
 * always follows the other's background work; whether they are within
 * 10 %. */
static gboolean
timings_match (KeyserverFixture *server,
               const char       *path,
               guint             round)
{
  g_autoptr(GArray) known = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) unknown = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *known_text = NULL;
  g_autofree char *unknown_text = NULL;
  gint64 known_median, unknown_median;

  for (int i = 0; i < 100; i++)
    {
      g_autofree char *stranger = g_strdup_printf ("nobody%u-%d@clinic.example", round, i);
      gboolean known_first = g_test_rand_bit ();
      gint64 t;

      for (int j = 0; j < 2; j++)
        if ((j == 0) == known_first)
          {
            t = timed_ask (server, path, "alice@clinic.example", &known_text);
            g_array_append_val (known, t);
          }
        else
          {
            t = timed_ask (server, path, stranger, &unknown_text);
            g_array_append_val (unknown, t);
          }
      g_assert_cmpstr (known_text, ==, unknown_text);
    }
  g_array_sort (known, compare_times);
  g_array_sort (unknown, compare_times);
  known_median = g_array_index (known, gint64, 50);
  unknown_median = g_array_index (unknown, gint64, 50);
  g_test_message ("%s round %u: median %" G_GINT64_FORMAT " us for an account, %"
                  G_GINT64_FORMAT " us for none", path, round, known_median, unknown_median);
  return ABS (known_median - unknown_median) * 10 < MAX (known_median, unknown_median);
}

/* "Send me a code", for signing up or for a new password, tells nothing
 * about which accounts exist: the same body always, and the same time.
 * Two cores shared with other builds make sub-millisecond medians jitter,
 * so up to three rounds are measured; a real leak (doing the work before
 * answering) is 50 times slower. */
static void
test_no_enumeration (void)
{
  static const char * const paths[] = { "/v1/accounts/verification",
                                        "/v1/accounts/password-reset" };
  g_auto(Identity) identity = { 0 };

  identity_start_default (&identity);
  add_alice (&identity);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      gboolean matched = FALSE;

      for (guint round = 0; round < 3 && !matched; round++)
        matched = timings_match (&identity.server, paths[i], round);
      g_assert_true (matched);
    }
}

static char *
reset_body (const char *code,
            const char *password)
{
  return g_strdup_printf ("{\"email\": \"alice@clinic.example\", \"code\": \"%s\", "
                          "\"password\": \"%s\"}", code, password);
}

/* A reset by mailed code ends every session, on every device. */
static void
test_password_reset_ends_sessions (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(User) laptop = NULL;
  g_autoptr(User) phone = NULL;
  g_autoptr(User) again = NULL;
  g_autoptr(Reply) asked = NULL;
  g_autoptr(Reply) old_password = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wrong = reset_body ("AAAAA-AAAAA", "a new password");
  g_autofree char *right = NULL;
  g_autofree char *old_body = NULL;

  identity_start_default (&identity);
  add_alice (&identity);
  laptop = sign_in (&identity.server, "alice@clinic.example", "correct horse", NULL);
  phone = sign_in (&identity.server, "alice@clinic.example", "correct horse", NULL);
  asked = keyserver_request (&identity.server, "POST", "/v1/accounts/password-reset", NULL,
                             "{\"email\": \"alice@clinic.example\"}");
  g_assert_cmpuint (asked->status, ==, 202);
  g_assert_cmpstr (asked->text, ==, "{}");
  code = mailed_code (&identity.relay, 1, "alice@clinic.example");

  g_assert_cmpuint (status_of (&identity.server, "POST", "/v1/accounts/password", NULL, wrong),
                    ==, 400);
  right = reset_body (code, "a new password");
  g_assert_cmpuint (status_of (&identity.server, "POST", "/v1/accounts/password", NULL, right),
                    ==, 204);
  g_assert_cmpuint (status_of (&identity.server, "GET", "/v1/accounts/me", laptop->token, NULL),
                    ==, 401);
  g_assert_cmpuint (status_of (&identity.server, "GET", "/v1/accounts/me", phone->token, NULL),
                    ==, 401);
  old_body = device_body ("alice@clinic.example", "correct horse", laptop->device_public);
  old_password = keyserver_request (&identity.server, "POST", "/v1/sessions", NULL, old_body);
  g_assert_cmpuint (old_password->status, ==, 401);
  again = sign_in (&identity.server, "alice@clinic.example", "a new password", NULL);
  /* The code worked once. */
  g_assert_cmpuint (status_of (&identity.server, "POST", "/v1/accounts/password", NULL, right),
                    ==, 400);
}

/* No account, no mail; and a sign-up code does not reset a password. */
static void
test_password_reset_hostile (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *signup_code = NULL;
  g_autofree char *with_signup_code = NULL;

  identity_start_default (&identity);
  add_alice (&identity);
  g_assert_cmpuint (status_of (&identity.server, "POST", "/v1/accounts/password-reset", NULL,
                               "{\"email\": \"nobody@clinic.example\"}"), ==, 202);
  ask_for_code (&identity.server, "dora@clinic.example");
  signup_code = mailed_code (&identity.relay, 1, "dora@clinic.example");
  messages = relay_messages (&identity.relay);
  g_assert_cmpuint (messages->len, ==, 1);
  with_signup_code = reset_body (signup_code, "a new password");
  g_assert_cmpuint (status_of (&identity.server, "POST", "/v1/accounts/password", NULL,
                               with_signup_code), ==, 400);
}

/* A lost phone: removed from the laptop, its token and its device key
 * are refused at once, for releases too. */
static void
test_remove_device (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(Client) client = NULL;
  g_autoptr(User) laptop = NULL;
  g_autoptr(User) phone = NULL;
  g_autoptr(Key) key = NULL;
  g_autoptr(Reply) devices = NULL;
  g_autoptr(Reply) unsigned_delete = NULL;
  g_autoptr(Reply) removed = NULL;
  g_autoptr(Reply) release = NULL;
  g_autofree char *phone_id = NULL;
  g_autofree char *path = NULL;
  guint8 server_key[32];
  JsonArray *list;
  guint current = 0;

  identity_start_default (&identity);
  add_alice (&identity);
  client = client_new (identity.server.base_url);
  laptop = sign_in (&identity.server, "alice@clinic.example", "correct horse", NULL);
  phone = sign_in (&identity.server, "alice@clinic.example", "correct horse", &phone_id);
  key = create_key_ok (client, laptop, "[]");

  devices = keyserver_request (&identity.server, "GET", "/v1/devices", laptop->token, NULL);
  g_assert_cmpuint (devices->status, ==, 200);
  list = json_node_get_array (devices->json);
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  for (guint i = 0; i < 2; i++)
    current += json_object_get_boolean_member (json_array_get_object_element (list, i),
                                               "current");
  g_assert_cmpuint (current, ==, 1);

  path = g_strdup_printf ("/v1/devices/%s", phone_id);
  /* A stolen token alone removes nothing (DESIGN "Request signatures"). */
  unsigned_delete = keyserver_request_signed_by (&identity.server, "DELETE", path, laptop->token,
                                                 NULL, NULL, 0);
  g_assert_cmpuint (unsigned_delete->status, ==, 401);
  g_assert_cmpstr (reply_error_code (unsigned_delete), ==, "bad_signature");
  removed = keyserver_request_signed_by (&identity.server, "DELETE", path, laptop->token, NULL,
                                         laptop->device_secret, 0);
  g_assert_cmpuint (removed->status, ==, 204);

  g_assert_cmpuint (status_of (&identity.server, "GET", "/v1/accounts/me", phone->token, NULL),
                    ==, 401);
  release = release_signed (client, phone, key->key_id, server_key, NULL);
  g_assert_cmpuint (release->status, ==, 401);
  g_assert_cmpuint (status_of (&identity.server, "GET", "/v1/accounts/me", laptop->token, NULL),
                    ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyserver/identity/info-reports-identity", test_info_reports_identity);
  g_test_add_func ("/keyserver/identity/info-defaults", test_info_defaults);
  g_test_add_func ("/keyserver/identity/signup-with-mailed-code", test_signup_with_mailed_code);
  g_test_add_func ("/keyserver/identity/signup-locked-after-wrong-codes",
                   test_signup_locked_after_wrong_codes);
  g_test_add_func ("/keyserver/identity/signup-hostile", test_signup_hostile);
  g_test_add_func ("/keyserver/identity/allowed-domains", test_allowed_domains);
  g_test_add_func ("/keyserver/identity/codes-throttled", test_codes_throttled);
  g_test_add_func ("/keyserver/identity/no-enumeration", test_no_enumeration);
  g_test_add_func ("/keyserver/identity/password-reset-ends-sessions",
                   test_password_reset_ends_sessions);
  g_test_add_func ("/keyserver/identity/password-reset-hostile", test_password_reset_hostile);
  g_test_add_func ("/keyserver/identity/remove-device", test_remove_device);
  return g_test_run ();
}
