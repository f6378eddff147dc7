/* test-keyserver-accounts.c: accounts, sessions and hostile input, against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "keyserver-fixture.h"

#define ALICE "{\"email\":\"alice@example.org\",\"password\":\"correct horse\",\"name\":\"Alice\"}"

static char *
device_key_json (void)
{
  guint8 key[32];
  char text[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_ORIGINAL)];

  randombytes_buf (key, sizeof key);
  sodium_bin2base64 (text, sizeof text, key, sizeof key, sodium_base64_VARIANT_ORIGINAL);
  return g_strdup_printf ("{\"name\":\"laptop\",\"public_key\":\"%s\"}", text);
}

static char *
login_body (const char *email,
            const char *password)
{
  g_autofree char *device = device_key_json ();

  return g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\",\"device\":%s}", email, password,
                          device);
}

static char *
sign_in (KeyserverFixture *fixture,
         const char       *email,
         const char       *password)
{
  g_autofree char *body = login_body (email, password);
  g_autoptr(Reply) reply = keyserver_request (fixture, "POST", "/v1/sessions", NULL, body);

  g_assert_cmpuint (reply->status, ==, 201);
  g_assert_nonnull (reply_string (reply, "device_id"));
  g_assert_nonnull (reply_string (reply, "expires"));
  return g_strdup (reply_string (reply, "token"));
}

static void
test_info_and_health (KeyserverFixture *fixture,
                      gconstpointer     data)
{
  g_autoptr(Reply) info = keyserver_request (fixture, "GET", "/v1/info", NULL, NULL);
  g_autoptr(Reply) health = keyserver_request (fixture, "GET", "/v1/health", NULL, NULL);

  g_assert_cmpuint (info->status, ==, 200);
  g_assert_cmpstr (reply_string (info, "name"), ==, "photoseal-keyserver");
  g_assert_cmpstr (reply_string (info, "registration"), ==, "open");
  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (reply_string (health, "status"), ==, "ok");
}

static void
test_registration_closed (KeyserverFixture *fixture,
                          gconstpointer     data)
{
  g_autoptr(Reply) info = keyserver_request (fixture, "GET", "/v1/info", NULL, NULL);
  g_autoptr(Reply) create = keyserver_request (fixture, "POST", "/v1/accounts", NULL, ALICE);
  g_autofree char *token = NULL;

  g_assert_cmpstr (reply_string (info, "registration"), ==, "closed");
  g_assert_cmpuint (create->status, ==, 403);
  g_assert_cmpstr (reply_error_code (create), ==, "registration_closed");

  /* The administrator adds accounts instead. */
  g_assert_cmpint (keyserver_fixture_admin (fixture, "correct horse", "user", "add",
                                            "alice@example.org", "Alice", NULL), ==, 0);
  token = sign_in (fixture, "alice@example.org", "correct horse");
  g_assert_nonnull (token);
}

static void
test_accounts (KeyserverFixture *fixture,
               gconstpointer     data)
{
  g_autoptr(Reply) created = keyserver_request (fixture, "POST", "/v1/accounts", NULL, ALICE);
  g_autoptr(Reply) again = keyserver_request (fixture, "POST", "/v1/accounts", NULL,
    "{\"email\":\"ALICE@example.org\",\"password\":\"another one!\",\"name\":\"A\"}");
  g_autoptr(Reply) tricky = keyserver_request (fixture, "POST", "/v1/accounts", NULL,
    "{\"email\":\"o'brien'--DROP/**/TABLE/**/accounts@example.org\","
    "\"password\":\"correct horse\","
    "\"name\":\"Robert'); DELETE FROM sessions;--\"}");
  g_autofree char *token = NULL;
  g_autoptr(Reply) me = NULL;
  JsonObject *account;

  g_assert_cmpuint (created->status, ==, 201);
  account = json_object_get_object_member (json_node_get_object (created->json), "account");
  g_assert_cmpstr (json_object_get_string_member (account, "email"), ==, "alice@example.org");
  g_assert_false (strstr (created->text, "password") != NULL);

  g_assert_cmpuint (again->status, ==, 409);
  g_assert_cmpstr (reply_error_code (again), ==, "email_taken");

  /* SQL is data, never code. */
  g_assert_cmpuint (tricky->status, ==, 201);
  token = sign_in (fixture, "o'brien'--DROP/**/TABLE/**/accounts@example.org", "correct horse");
  me = keyserver_request (fixture, "GET", "/v1/accounts/me", token, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_nonnull (strstr (me->text, "Robert'); DELETE FROM sessions;--"));
}

/* Look-alikes of another's address are refused, not matched: with
 * case-folding, "ſam" (U+017F) and "Kim" with the Kelvin sign received
 * sam's and kim's files. */
static void
test_account_look_alikes (KeyserverFixture *fixture,
                          gconstpointer     data)
{
  const char *look_alikes[] = {
    "\u017Fam@example.org", "\u212Aim@example.org", "bob@example.org\u200B",
    "bob\u200D@example.org", "bob@ex\u0430mple.org", "bo\u00ADb@example.org",
  };
  g_autoptr(Reply) mixed_case = NULL;
  g_autoptr(Reply) unicode_domain = NULL;
  JsonObject *account;

  for (guint i = 0; i < G_N_ELEMENTS (look_alikes); i++)
    {
      g_autofree char *body = g_strdup_printf (
        "{\"email\":\"%s\",\"password\":\"correct horse\",\"name\":\"M\"}", look_alikes[i]);
      g_autoptr(Reply) reply = keyserver_request (fixture, "POST", "/v1/accounts", NULL, body);

      g_assert_cmpuint (reply->status, ==, 400);
      g_assert_cmpstr (reply_error_code (reply), ==, "invalid");
      g_assert_nonnull (strstr (reply->text, "email"));
    }

  /* One spelling is stored: lower-case ASCII, the domain as A-labels. */
  mixed_case = keyserver_request (fixture, "POST", "/v1/accounts", NULL,
    "{\"email\":\"  Sam.Smith@Example.ORG \",\"password\":\"correct horse\",\"name\":\"S\"}");
  g_assert_cmpuint (mixed_case->status, ==, 201);
  account = json_object_get_object_member (json_node_get_object (mixed_case->json), "account");
  g_assert_cmpstr (json_object_get_string_member (account, "email"), ==, "sam.smith@example.org");
  unicode_domain = keyserver_request (fixture, "POST", "/v1/accounts", NULL,
    "{\"email\":\"kim@B\u00FCcher.example\",\"password\":\"correct horse\",\"name\":\"K\"}");
  g_assert_cmpuint (unicode_domain->status, ==, 201);
  account = json_object_get_object_member (json_node_get_object (unicode_domain->json), "account");
  g_assert_cmpstr (json_object_get_string_member (account, "email"), ==,
                   "kim@xn--bcher-kva.example");
  g_free (sign_in (fixture, "KIM@xn--bcher-kva.example", "correct horse"));
}

static void
test_account_validation (KeyserverFixture *fixture,
                         gconstpointer     data)
{
  g_autofree char *local_part = g_strnfill (250, 'a');
  g_autofree char *long_email = g_strdup_printf ("%s@example.org", local_part);
  g_autofree char *long_email_body = g_strdup_printf (
    "{\"email\":\"%s\",\"password\":\"correct horse\",\"name\":\"A\"}", long_email);
  const char *bodies[] = {
    "{\"email\":\"not-an-email\",\"password\":\"correct horse\",\"name\":\"A\"}",
    "{\"email\":\"a@example.org\",\"password\":\"short\",\"name\":\"A\"}",
    "{\"email\":\"a@example.org\",\"password\":\"correct horse\",\"name\":\"\"}",
    "{\"email\":\"a@example.org\",\"password\":\"correct horse\"}",
    "{\"email\":\"a@example.org\",\"password\":\"correct horse\",\"name\":\"A\",\"admin\":true}",
    "{\"email\":42,\"password\":\"correct horse\",\"name\":\"A\"}",
    "{\"email\":\"a@example.org\",\"password\":[\"correct horse\"],\"name\":\"A\"}",
    "{\"email\":\"a b@example.org\",\"password\":\"correct horse\",\"name\":\"A\"}",
    "[1,2,3]",
    "{\"email\":",
    "not json at all",
    long_email_body,
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(Reply) reply = keyserver_request (fixture, "POST", "/v1/accounts", NULL, bodies[i]);

      if (reply->status != 400)
        g_error ("body %u: expected 400, got %u: %s", i, reply->status, reply->text);
      g_assert_cmpstr (reply_error_code (reply), ==, "invalid");
    }

  /* Nothing above created an account, and the server still answers. */
  {
    g_autoptr(Reply) created = keyserver_request (fixture, "POST", "/v1/accounts", NULL, ALICE);
    g_assert_cmpuint (created->status, ==, 201);
  }
}

static void
test_sessions (KeyserverFixture *fixture,
               gconstpointer     data)
{
  g_autoptr(Reply) created = keyserver_request (fixture, "POST", "/v1/accounts", NULL, ALICE);
  g_autofree char *token = sign_in (fixture, "Alice@Example.ORG", "correct horse");
  g_autofree char *second = sign_in (fixture, "alice@example.org", "correct horse");
  g_autofree char *wrong = login_body ("alice@example.org", "wrong horse!");
  g_autofree char *unknown = login_body ("nobody@example.org", "correct horse");
  g_autoptr(Reply) me = keyserver_request (fixture, "GET", "/v1/accounts/me", token, NULL);
  g_autoptr(Reply) bad_password = keyserver_request (fixture, "POST", "/v1/sessions", NULL, wrong);
  g_autoptr(Reply) no_account = keyserver_request (fixture, "POST", "/v1/sessions", NULL, unknown);
  g_autoptr(Reply) no_device = keyserver_request (fixture, "POST", "/v1/sessions", NULL,
    "{\"email\":\"alice@example.org\",\"password\":\"correct horse\"}");
  g_autoptr(Reply) short_key = keyserver_request (fixture, "POST", "/v1/sessions", NULL,
    "{\"email\":\"alice@example.org\",\"password\":\"correct horse\","
    "\"device\":{\"name\":\"x\",\"public_key\":\"AAAA\"}}");
  g_autoptr(Reply) no_token = keyserver_request (fixture, "GET", "/v1/accounts/me", NULL, NULL);
  g_autoptr(Reply) junk_token = keyserver_request (fixture, "GET", "/v1/accounts/me", "junk", NULL);
  g_autoptr(Reply) logout = NULL;
  g_autoptr(Reply) after = NULL;
  g_autoptr(Reply) still = NULL;

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (token, !=, second);

  /* A wrong password and an unknown email look the same. */
  g_assert_cmpstr (reply_error_code (bad_password), ==, "bad_credentials");
  g_assert_cmpstr (reply_error_code (no_account), ==, "bad_credentials");
  g_assert_cmpuint (bad_password->status, ==, 401);
  g_assert_cmpuint (no_account->status, ==, 401);

  g_assert_cmpstr (reply_error_code (no_device), ==, "invalid");
  g_assert_cmpstr (reply_error_code (short_key), ==, "invalid");
  g_assert_cmpuint (no_token->status, ==, 401);
  g_assert_cmpstr (reply_error_code (no_token), ==, "unauthorized");
  g_assert_cmpstr (reply_error_code (junk_token), ==, "unauthorized");

  logout = keyserver_request (fixture, "DELETE", "/v1/sessions/current", token, NULL);
  g_assert_cmpuint (logout->status, ==, 204);
  after = keyserver_request (fixture, "GET", "/v1/accounts/me", token, NULL);
  g_assert_cmpuint (after->status, ==, 401);
  /* Only that session ended. */
  still = keyserver_request (fixture, "GET", "/v1/accounts/me", second, NULL);
  g_assert_cmpuint (still->status, ==, 200);
}

static void
test_expired_session (KeyserverFixture *fixture,
                      gconstpointer     data)
{
  g_autoptr(Reply) created = keyserver_request (fixture, "POST", "/v1/accounts", NULL, ALICE);
  g_autofree char *token = sign_in (fixture, "alice@example.org", "correct horse");
  g_autoptr(Reply) before = keyserver_request (fixture, "GET", "/v1/accounts/me", token, NULL);
  g_autoptr(Reply) after = NULL;

  g_assert_cmpuint (before->status, ==, 200);

  /* Thirty days later, as far as the server can tell. */
  keyserver_fixture_sql (fixture, "UPDATE sessions SET expires = 1",
                         "UPDATE sessions SET expires = 1");

  after = keyserver_request (fixture, "GET", "/v1/accounts/me", token, NULL);
  g_assert_cmpuint (after->status, ==, 401);
  g_assert_cmpstr (reply_error_code (after), ==, "unauthorized");
}

static void
test_throttling (KeyserverFixture *fixture,
                 gconstpointer     data)
{
  g_autoptr(Reply) created = keyserver_request (fixture, "POST", "/v1/accounts", NULL, ALICE);
  g_autofree char *wrong = login_body ("alice@example.org", "wrong horse!");
  g_autofree char *right = login_body ("alice@example.org", "correct horse");
  g_autoptr(Reply) blocked = NULL;

  g_assert_cmpuint (created->status, ==, 201);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Reply) reply = keyserver_request (fixture, "POST", "/v1/sessions", NULL, wrong);
      g_assert_cmpuint (reply->status, ==, 401);
    }

  /* Even the right password waits now. */
  blocked = keyserver_request (fixture, "POST", "/v1/sessions", NULL, right);
  g_assert_cmpuint (blocked->status, ==, 429);
  g_assert_cmpstr (reply_error_code (blocked), ==, "throttled");
  g_assert_nonnull (blocked->retry_after);
  g_assert_cmpint (atoi (blocked->retry_after), >, 0);
}

static void
test_disabled_user (KeyserverFixture *fixture,
                    gconstpointer     data)
{
  g_autoptr(Reply) created = keyserver_request (fixture, "POST", "/v1/accounts", NULL, ALICE);
  g_autofree char *token = sign_in (fixture, "alice@example.org", "correct horse");
  g_autofree char *body = login_body ("alice@example.org", "correct horse");
  g_autoptr(Reply) me = NULL;
  g_autoptr(Reply) login = NULL;

  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "user", "disable", "alice@example.org",
                                            NULL), ==, 0);
  me = keyserver_request (fixture, "GET", "/v1/accounts/me", token, NULL);
  g_assert_cmpuint (me->status, ==, 401);
  login = keyserver_request (fixture, "POST", "/v1/sessions", NULL, body);
  g_assert_cmpuint (login->status, ==, 403);
  g_assert_cmpstr (reply_error_code (login), ==, "account_disabled");
  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "user", "disable", "nobody@example.org",
                                            NULL), !=, 0);
}

static void
test_hostile_requests (KeyserverFixture *fixture,
                       gconstpointer     data)
{
  g_autofree char *huge = g_strnfill (70 * 1024, 'x');
  const char *bad_paths[] = { "/v1/..%2Fetc%2Fpasswd", "/v1/info%00", "/v1/%2e%2e/info" };
  g_autoptr(Reply) too_large = keyserver_request (fixture, "POST", "/v1/accounts", NULL, huge);
  g_autoptr(Reply) unknown = keyserver_request (fixture, "GET", "/v1/nothing", NULL, NULL);
  g_autoptr(Reply) wrong_method = keyserver_request (fixture, "PUT", "/v1/info", NULL, "{}");
  g_autoptr(Reply) health = NULL;

  g_assert_cmpuint (too_large->status, ==, 413);
  g_assert_cmpstr (reply_error_code (too_large), ==, "too_large");
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpstr (reply_error_code (unknown), ==, "not_found");
  g_assert_cmpuint (wrong_method->status, ==, 405);

  for (guint i = 0; i < G_N_ELEMENTS (bad_paths); i++)
    {
      g_autoptr(Reply) reply = keyserver_request (fixture, "GET", bad_paths[i], NULL, NULL);

      g_assert_cmpuint (reply->status, >=, 400);
      g_assert_cmpuint (reply->status, <, 500);
      reply_error_code (reply);
    }

  health = keyserver_request (fixture, "GET", "/v1/health", NULL, NULL);
  g_assert_cmpuint (health->status, ==, 200);
}

static void
test_no_secrets_in_logs (KeyserverFixture *fixture,
                         gconstpointer     data)
{
  g_autoptr(Reply) created = keyserver_request (fixture, "POST", "/v1/accounts", NULL, ALICE);
  g_autofree char *token = sign_in (fixture, "alice@example.org", "correct horse");
  g_autoptr(Reply) me = keyserver_request (fixture, "GET", "/v1/accounts/me", token, NULL);
  g_autofree char *log = NULL;

  g_assert_cmpuint (me->status, ==, 200);
  /* A request is logged once its answer has gone out: wait for the last. */
  for (guint i = 0; i < 200; i++)
    {
      g_clear_pointer (&log, g_free);
      log = keyserver_fixture_read_log (fixture);
      if (strstr (log, "\"GET /v1/accounts/me\" 200") != NULL)
        break;
      g_usleep (10000);
    }
  /* Every request was logged, with its id … */
  g_assert_nonnull (strstr (log, "\"POST /v1/sessions\" 201"));
  g_assert_nonnull (strstr (log, "\"GET /v1/accounts/me\" 200"));
  g_assert_nonnull (strstr (log, "req="));
  /* … and no secret was. */
  g_assert_null (strstr (log, token));
  g_assert_null (strstr (log, "correct horse"));
}

/* Sign-in throttling ****************************************************/

/* A sign-in through a proxy that says it forwarded for @forwarded_for
 * (NULL: no header). Returns the status; @retry_after gets the header. */
static guint
sign_in_from (KeyserverFixture *fixture,
              const char       *email,
              const char       *password,
              const char       *forwarded_for,
              guint            *retry_after)
{
  g_autofree char *url = g_strconcat (fixture->base_url, "/v1/sessions", NULL);
  g_autofree char *body = login_body (email, password);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  const char *retry;

  soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
  if (forwarded_for != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Forwarded-For",
                                  forwarded_for);
  answer = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  retry = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  if (retry_after != NULL)
    *retry_after = retry ? atoi (retry) : 0;
  return soup_message_get_status (msg);
}

static void
create_account (KeyserverFixture *fixture,
                const char       *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"correct horse\","
                                           "\"name\":\"A\"}", email);
  g_autoptr(Reply) created = keyserver_request (fixture, "POST", "/v1/accounts", NULL, body);

  g_assert_cmpuint (created->status, ==, 201);
}

/* Issue 16: MAX_ADDRESS_FAILURES raised from 20 to 2000 went unnoticed.
 * Password spraying: one wrong password each for 20 emails from one
 * address, and that address waits, even with a right password. */
static void
test_failed_signins_across_emails_throttle_address (KeyserverFixture *fixture,
                                                    gconstpointer     data)
{
  guint retry_after = 0;

  create_account (fixture, "fresh@example.org");
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *email = g_strdup_printf ("sprayed%u@example.org", i);

      g_assert_cmpuint (sign_in_from (fixture, email, "wrong horse!", NULL, NULL), ==, 401);
    }
  g_assert_cmpuint (sign_in_from (fixture, "fresh@example.org", "correct horse", NULL,
                                  &retry_after), ==, 429);
  g_assert_cmpuint (retry_after, >, 0);
}

/* Guessing Alice's password from one address must not lock Alice out
 * from hers: the wait is per (account, address), not per account. */
static void
test_owner_not_locked_out_from_other_address (void)
{
  const char * const args[] = { "--trusted-proxies", "127.0.0.1", NULL };
  KeyserverFixture fixture = { 0 };

  keyserver_fixture_start_full (&fixture, "open", args);
  create_account (&fixture, "alice@example.org");
  for (guint i = 0; i < 8; i++)
    sign_in_from (&fixture, "alice@example.org", "wrong horse!", "203.0.113.9", NULL);
  g_assert_cmpuint (sign_in_from (&fixture, "alice@example.org", "correct horse", "203.0.113.9",
                                  NULL), ==, 429);
  g_assert_cmpuint (sign_in_from (&fixture, "alice@example.org", "correct horse", "198.51.100.7",
                                  NULL), ==, 201);

  /* Spraying from one address does not hold up the others either. */
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *email = g_strdup_printf ("sprayed%u@example.org", i);
      sign_in_from (&fixture, email, "wrong horse!", "203.0.113.10", NULL);
    }
  g_assert_cmpuint (sign_in_from (&fixture, "alice@example.org", "correct horse", "192.0.2.1",
                                  NULL), ==, 201);
  keyserver_fixture_stop (&fixture);
}

/* X-Forwarded-For from anyone but a trusted proxy is ignored: otherwise
 * every guess could claim a fresh address. */
static void
test_forwarded_for_ignored_from_untrusted (KeyserverFixture *fixture,
                                           gconstpointer     data)
{
  create_account (fixture, "alice@example.org");
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *claimed = g_strdup_printf ("203.0.113.%u", i + 1);
      g_assert_cmpuint (sign_in_from (fixture, "alice@example.org", "wrong horse!", claimed,
                                      NULL), ==, 401);
    }
  g_assert_cmpuint (sign_in_from (fixture, "alice@example.org", "correct horse", "192.0.2.77",
                                  NULL), ==, 429);
}

/* Moves every remembered failure @seconds into the past. */
static void
age_failures (KeyserverFixture *fixture,
              int               seconds)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE failures SET at = at - %d", seconds);

  keyserver_fixture_sql (fixture, sql, sql);
}

/* Each failure past the free ones doubles the wait: 30 s, then 60 s. */
static void
test_signin_backoff_doubles (KeyserverFixture *fixture,
                             gconstpointer     data)
{
  guint retry_after = 0;

  create_account (fixture, "alice@example.org");
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (sign_in_from (fixture, "alice@example.org", "wrong horse!", NULL, NULL), ==,
                      401);
  g_assert_cmpuint (sign_in_from (fixture, "alice@example.org", "correct horse", NULL,
                                  &retry_after), ==, 429);
  g_assert_cmpuint (retry_after, ==, 30);

  age_failures (fixture, 31);
  g_assert_cmpuint (sign_in_from (fixture, "alice@example.org", "wrong horse!", NULL, NULL), ==,
                    401);
  g_assert_cmpuint (sign_in_from (fixture, "alice@example.org", "correct horse", NULL,
                                  &retry_after), ==, 429);
  g_assert_cmpuint (retry_after, ==, 60);
  age_failures (fixture, 31);
  g_assert_cmpuint (sign_in_from (fixture, "alice@example.org", "correct horse", NULL, NULL), ==,
                    429);
  age_failures (fixture, 30);
  g_assert_cmpuint (sign_in_from (fixture, "alice@example.org", "correct horse", NULL, NULL), ==,
                    201);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (sodium_init () < 0)
    return 1;

#define ADD(path, setup, func) \
  g_test_add (path, KeyserverFixture, NULL, setup, func, keyserver_fixture_tear_down)
  ADD ("/keyserver/info-and-health", keyserver_fixture_set_up_open, test_info_and_health);
  ADD ("/keyserver/registration-closed", keyserver_fixture_set_up_closed, test_registration_closed);
  ADD ("/keyserver/accounts", keyserver_fixture_set_up_open, test_accounts);
  ADD ("/keyserver/account-look-alikes", keyserver_fixture_set_up_open, test_account_look_alikes);
  ADD ("/keyserver/account-validation", keyserver_fixture_set_up_open, test_account_validation);
  ADD ("/keyserver/sessions", keyserver_fixture_set_up_open, test_sessions);
  ADD ("/keyserver/expired-session", keyserver_fixture_set_up_open, test_expired_session);
  ADD ("/keyserver/throttling", keyserver_fixture_set_up_open, test_throttling);
  ADD ("/keyserver/disabled-user", keyserver_fixture_set_up_open, test_disabled_user);
  ADD ("/keyserver/hostile-requests", keyserver_fixture_set_up_open, test_hostile_requests);
  ADD ("/keyserver/no-secrets-in-logs", keyserver_fixture_set_up_open, test_no_secrets_in_logs);
  ADD ("/keyserver/failed-signins-across-emails-throttle-address", keyserver_fixture_set_up_open,
       test_failed_signins_across_emails_throttle_address);
  ADD ("/keyserver/forwarded-for-ignored-from-untrusted", keyserver_fixture_set_up_open,
       test_forwarded_for_ignored_from_untrusted);
  ADD ("/keyserver/signin-backoff-doubles", keyserver_fixture_set_up_open,
       test_signin_backoff_doubles);
#undef ADD
  g_test_add_func ("/keyserver/owner-not-locked-out-from-other-address",
                   test_owner_not_locked_out_from_other_address);

  return g_test_run ();
}
