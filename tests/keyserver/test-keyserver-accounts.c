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
    "{\"email\":\"o'brien');DROP/**/TABLE/**/accounts;--@example.org\",\"password\":\"correct horse\","
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
  token = sign_in (fixture, "o'brien');DROP/**/TABLE/**/accounts;--@example.org", "correct horse");
  me = keyserver_request (fixture, "GET", "/v1/accounts/me", token, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_nonnull (strstr (me->text, "Robert'); DELETE FROM sessions;--"));
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
  ADD ("/keyserver/account-validation", keyserver_fixture_set_up_open, test_account_validation);
  ADD ("/keyserver/sessions", keyserver_fixture_set_up_open, test_sessions);
  ADD ("/keyserver/expired-session", keyserver_fixture_set_up_open, test_expired_session);
  ADD ("/keyserver/throttling", keyserver_fixture_set_up_open, test_throttling);
  ADD ("/keyserver/disabled-user", keyserver_fixture_set_up_open, test_disabled_user);
  ADD ("/keyserver/hostile-requests", keyserver_fixture_set_up_open, test_hostile_requests);
  ADD ("/keyserver/no-secrets-in-logs", keyserver_fixture_set_up_open, test_no_secrets_in_logs);
#undef ADD

  return g_test_run ();
}
