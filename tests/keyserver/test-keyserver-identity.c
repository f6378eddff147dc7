/* test-keyserver-identity.c: who may sign up, proven by codes mailed
 * through a real SMTP server (aiosmtpd) to a real key-server process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "keyserver-fixture.h"
#include "keyserver-test-client.h"
#include "smtp-fixture.h"

typedef struct
{
  Relay relay;
  KeyserverFixture server;
} Identity;

/* A server in verified registration mailing through a fresh relay;
 * @first_extra: more server options, NULL-terminated. */
static void
identity_start (Identity   *identity,
                const char *first_extra,
                ...)
{
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  va_list extra;

  relay_start (&identity->relay, NULL);
  g_strv_builder_add_many (args, "--smtp-url", identity->relay.url,
                           "--mail-from", "keys@hospital.example", NULL);
  va_start (extra, first_extra);
  for (const char *arg = first_extra; arg != NULL; arg = va_arg (extra, const char *))
    g_strv_builder_add (args, arg);
  va_end (extra);
  argv = g_strv_builder_end (args);
  keyserver_fixture_start_full (&identity->server, "verified", (const char * const *) argv);
}

static void
identity_stop (Identity *identity)
{
  keyserver_fixture_stop (&identity->server);
  relay_stop (&identity->relay);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Identity, identity_stop)

static void
identity_start_default (Identity *identity)
{
  identity_start (identity, NULL);
}

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

/* Waits until the relay holds @count messages; returns them. */
static GPtrArray *
wait_for_mail (Relay *relay,
               guint  count)
{
  for (int i = 0; i < 400; i++)
    {
      g_autoptr(GPtrArray) messages = relay_messages (relay);

      if (messages->len >= count)
        return g_steal_pointer (&messages);
      g_usleep (50 * 1000);
    }
  g_error ("%u mail(s) expected, none came", count);
}

/* The code in the first of @count mails that went to @to. */
static char *
mailed_code (Relay      *relay,
             guint       count,
             const char *to)
{
  g_autoptr(GPtrArray) messages = wait_for_mail (relay, count);
  g_autofree char *header = g_strdup_printf ("To: <%s>", to);

  for (guint i = 0; i < messages->len; i++)
    if (strstr (messages->pdata[i], header) != NULL)
      {
        g_autofree char *body = message_body (messages->pdata[i]);
        const char *at = strstr (body, "Your code is ");

        g_assert_nonnull (at);
        return g_strndup (at + strlen ("Your code is "), 11);
      }
  g_error ("no mail to %s", to);
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

static Reply *
sign_up (KeyserverFixture *server,
         const char       *email,
         const char       *code)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"name\": \"Dora\", "
                                           "\"password\": \"correct horse\", \"code\": \"%s\"}",
                                           email, code);

  return keyserver_request (server, "POST", "/v1/accounts", NULL, body);
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

static void
add_alice (Identity *identity)
{
  g_assert_cmpint (keyserver_fixture_admin (&identity->server, "correct horse", "user", "add",
                                            "alice@clinic.example", "Alice", NULL), ==, 0);
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
           const char       *email,
           char            **text)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\"}", email);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(Reply) reply = keyserver_request (server, "POST", "/v1/accounts/verification", NULL,
                                              body);
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
            t = timed_ask (server, "alice@clinic.example", &known_text);
            g_array_append_val (known, t);
          }
        else
          {
            t = timed_ask (server, stranger, &unknown_text);
            g_array_append_val (unknown, t);
          }
      g_assert_cmpstr (known_text, ==, unknown_text);
    }
  g_array_sort (known, compare_times);
  g_array_sort (unknown, compare_times);
  known_median = g_array_index (known, gint64, 50);
  unknown_median = g_array_index (unknown, gint64, 50);
  g_test_message ("round %u: median %" G_GINT64_FORMAT " us for an account, %" G_GINT64_FORMAT
                  " us for none", round, known_median, unknown_median);
  return ABS (known_median - unknown_median) * 10 < MAX (known_median, unknown_median);
}

/* "Send me a code" tells nothing about which accounts exist: the same
 * body always, and the same time. Two cores shared with other builds make
 * sub-millisecond medians jitter, so up to three rounds are measured; a
 * real leak (doing the work before answering) is 50 times slower. */
static void
test_no_enumeration (void)
{
  g_auto(Identity) identity = { 0 };
  gboolean matched = FALSE;

  identity_start_default (&identity);
  add_alice (&identity);
  for (guint round = 0; round < 3 && !matched; round++)
    matched = timings_match (&identity.server, round);
  g_assert_true (matched);
}

/* Signs in with a new device key; remembers it for signed requests. */
static User *
sign_in (KeyserverFixture *server,
         const char       *email,
         const char       *password,
         char            **device_id)
{
  g_autoptr(User) user = g_new0 (User, 1);
  g_autofree char *body = NULL;
  g_autoptr(Reply) session = NULL;

  crypto_sign_keypair (user->device_public, user->device_secret);
  body = device_body (email, password, user->device_public);
  session = keyserver_request (server, "POST", "/v1/sessions", NULL, body);
  g_assert_cmpuint (session->status, ==, 201);
  user->email = g_strdup (email);
  user->token = g_strdup (reply_string (session, "token"));
  keyserver_remember_device_key (user->token, user->device_secret);
  if (device_id != NULL)
    *device_id = g_strdup (reply_string (session, "device_id"));
  return g_steal_pointer (&user);
}

static guint
status_of (KeyserverFixture *server,
           const char       *method,
           const char       *path,
           const char       *token,
           const char       *body)
{
  g_autoptr(Reply) reply = keyserver_request (server, method, path, token, body);

  return reply->status;
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

static JsonArray *
lookup (KeyserverFixture *server,
        const char       *token,
        const char       *emails_json,
        Reply           **reply)
{
  g_autofree char *body = g_strdup_printf ("{\"emails\": %s}", emails_json);

  *reply = keyserver_request (server, "POST", "/v1/recipients/lookup", token, body);
  g_assert_cmpuint ((*reply)->status, ==, 200);
  return json_object_get_array_member (json_node_get_object ((*reply)->json), "recipients");
}

static const char *
entry (JsonArray  *recipients,
       guint       index,
       const char *member)
{
  return json_object_get_string_member_with_default (
    json_array_get_object_element (recipients, index), member, NULL);
}

/* Before sealing: who has an account (with its name), who would be
 * invited, and which entries are no address at all. */
static void
test_lookup (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(User) alice = NULL;
  g_autoptr(Reply) reply = NULL;
  JsonArray *recipients;

  identity_start_default (&identity);
  add_alice (&identity);
  alice = sign_in (&identity.server, "alice@clinic.example", "correct horse", NULL);
  recipients = lookup (&identity.server, alice->token, "[\"ALICE@Clinic.Example\", "
                       "\"dora@clinic.example\", \"bob@exa mple.org\", \"\"]", &reply);
  g_assert_cmpuint (json_array_get_length (recipients), ==, 4);
  g_assert_cmpstr (entry (recipients, 0, "email"), ==, "alice@clinic.example");
  g_assert_cmpstr (entry (recipients, 0, "state"), ==, "account");
  g_assert_cmpstr (entry (recipients, 0, "name"), ==, "Alice");
  g_assert_cmpstr (entry (recipients, 1, "state"), ==, "invitable");
  g_assert_null (entry (recipients, 1, "name"));
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (recipients, 1),
                                                  "account"));
  g_assert_cmpstr (entry (recipients, 2, "email"), ==, "bob@exa mple.org");
  g_assert_cmpstr (entry (recipients, 2, "state"), ==, "invalid");
  g_assert_nonnull (entry (recipients, 2, "message"));
  g_assert_cmpstr (entry (recipients, 3, "state"), ==, "invalid");
  /* Nothing for strangers; nothing that is not a list of strings. */
  g_assert_cmpuint (status_of (&identity.server, "POST", "/v1/recipients/lookup", NULL,
                               "{\"emails\": []}"), ==, 401);
  g_assert_cmpuint (status_of (&identity.server, "POST", "/v1/recipients/lookup", "bogus",
                               "{\"emails\": []}"), ==, 401);
  g_assert_cmpuint (status_of (&identity.server, "POST", "/v1/recipients/lookup", alice->token,
                               "{\"emails\": [1]}"), ==, 400);
  g_assert_cmpuint (status_of (&identity.server, "POST", "/v1/recipients/lookup", alice->token,
                               "{\"emails\": \"a@b.example\"}"), ==, 400);
}

/* Closed registration: nobody is invited. directory=off: nothing is told. */
static void
test_lookup_closed_and_off (void)
{
  KeyserverFixture server = { 0 };
  g_auto(Identity) identity = { 0 };
  g_autoptr(User) alice = NULL;
  g_autoptr(User) alice_off = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) off_reply = NULL;
  JsonArray *recipients;
  JsonObject *first;

  keyserver_fixture_start (&server, "closed");
  g_assert_cmpint (keyserver_fixture_admin (&server, "correct horse", "user", "add",
                                            "alice@clinic.example", "Alice", NULL), ==, 0);
  alice = sign_in (&server, "alice@clinic.example", "correct horse", NULL);
  recipients = lookup (&server, alice->token, "[\"dora@clinic.example\"]", &reply);
  g_assert_cmpstr (entry (recipients, 0, "state"), ==, "no_account");
  keyserver_fixture_stop (&server);

  identity_start (&identity, "--directory", "off", NULL);
  add_alice (&identity);
  alice_off = sign_in (&identity.server, "alice@clinic.example", "correct horse", NULL);
  recipients = lookup (&identity.server, alice_off->token, "[\"alice@clinic.example\", "
                       "\"dora@clinic.example\"]", &off_reply);
  for (guint i = 0; i < 2; i++)
    {
      first = json_array_get_object_element (recipients, i);
      g_assert_cmpstr (json_object_get_string_member (first, "state"), ==, "unknown");
      g_assert_true (json_object_get_null_member (first, "account"));
      g_assert_false (json_object_has_member (first, "name"));
    }
}

/* A signed-in account cannot walk the directory at full speed. */
static void
test_lookup_throttled (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(User) alice = NULL;
  guint status = 200;
  guint asked = 0;

  identity_start_default (&identity);
  add_alice (&identity);
  alice = sign_in (&identity.server, "alice@clinic.example", "correct horse", NULL);
  while (status == 200 && asked++ < 700)
    status = status_of (&identity.server, "POST", "/v1/recipients/lookup", alice->token,
                        "{\"emails\": [\"dora@clinic.example\"]}");
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpuint (asked, ==, 601);
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
  g_test_add_func ("/keyserver/identity/lookup", test_lookup);
  g_test_add_func ("/keyserver/identity/lookup-closed-and-off", test_lookup_closed_and_off);
  g_test_add_func ("/keyserver/identity/lookup-throttled", test_lookup_throttled);
  return g_test_run ();
}
