/* test-keyserver-identity.c: who may sign up, proven by codes mailed
 * through a real SMTP server (aiosmtpd) to a real key-server process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "keyserver-fixture.h"
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyserver/identity/info-reports-identity", test_info_reports_identity);
  g_test_add_func ("/keyserver/identity/info-defaults", test_info_defaults);
  return g_test_run ();
}
