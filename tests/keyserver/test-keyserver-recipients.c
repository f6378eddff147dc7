/* test-keyserver-recipients.c: who a sender can reach. Recipient lookup
 * before sealing, and invitations mailed through a real SMTP server
 * (aiosmtpd) to addresses without an account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "identity-fixture.h"

/* Alice's account, signed in; with @client, a connection for her too. */
static User *
alice_signed_in (Identity  *identity,
                 Client   **client)
{
  add_alice (identity);
  if (client != NULL)
    *client = client_new (identity->server.base_url);
  return sign_in (&identity->server, "alice@clinic.example", "correct horse", NULL);
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
  alice = alice_signed_in (&identity, NULL);
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
  alice_off = alice_signed_in (&identity, NULL);
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
  alice = alice_signed_in (&identity, NULL);
  while (status == 200 && asked++ < 700)
    status = status_of (&identity.server, "POST", "/v1/recipients/lookup", alice->token,
                        "{\"emails\": [\"dora@clinic.example\"]}");
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpuint (asked, ==, 601);
}

/* Seals with @owner for @recipients_json; answers the recipients' states
 * as "email=state,…". */
static char *
seal_for (Client     *client,
          User       *owner,
          const char *recipients_json,
          Key        *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) reply = create_key (client, owner, recipients_json, key, &error);
  g_autoptr(GString) states = g_string_new (NULL);
  JsonArray *recipients;

  g_assert_no_error (error);
  g_assert_cmpuint (reply->status, ==, 201);
  recipients = json_object_get_array_member (json_node_get_object (reply->json), "recipients");
  for (guint i = 0; i < json_array_get_length (recipients); i++)
    {
      JsonObject *recipient = json_array_get_object_element (recipients, i);

      g_string_append_printf (states, "%s%s=%s", i ? "," : "",
                              json_object_get_string_member (recipient, "email"),
                              json_object_get_string_member (recipient, "state"));
    }
  return g_string_free (g_steal_pointer (&states), FALSE);
}

static PhotosealKeyserverClient *
library_sign_in (KeyserverFixture *server,
                 const char       *email)
{
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = photoseal_keyserver_client_new (server->base_url, &error);
  g_assert_no_error (error);
  photoseal_keyserver_client_sign_in (client, email, "correct horse", "test", NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

/* Alice seals for Dora, who has no account: Dora is mailed an invitation
 * naming Alice as the server knows her, signs up with its code, and
 * opens the key through the library. */
static void
test_invitation (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(Client) client = NULL;
  g_autoptr(User) alice = NULL;
  g_autoptr(Key) key = g_new0 (Key, 1);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) reused = NULL;
  g_autoptr(PhotosealKeyserverClient) dora = NULL;
  g_autoptr(PhotosealSealedKey) released = NULL;
  g_autofree char *states = NULL;
  g_autofree char *code = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;

  identity_start_default (&identity);
  alice = alice_signed_in (&identity, &client);
  states = seal_for (client, alice, "[\"Dora@Clinic.example\", \"alice@clinic.example\"]", key);
  g_assert_cmpstr (states, ==, "dora@clinic.example=invited,alice@clinic.example=account");

  messages = wait_for_mail (&identity.relay, 1);
  body = message_body (messages->pdata[0]);
  g_assert_nonnull (strstr (messages->pdata[0], "To: <dora@clinic.example>"));
  g_assert_nonnull (strstr (body, "Alice <alice@clinic.example> sealed a file for you"));
  g_assert_null (strstr (messages->pdata[0], key->key_id));
  code = mailed_code_in (body);

  /* Another address cannot use it; Dora can, once. */
  {
    g_autoptr(Reply) eve = sign_up (&identity.server, "eve@clinic.example", code);
    g_assert_cmpuint (eve->status, ==, 400);
    g_assert_cmpstr (reply_error_code (eve), ==, "bad_code");
  }
  created = sign_up (&identity.server, "dora@clinic.example", code);
  g_assert_cmpuint (created->status, ==, 201);
  reused = sign_up (&identity.server, "dora@clinic.example", code);
  g_assert_cmpuint (reused->status, ==, 400);

  dora = library_sign_in (&identity.server, "dora@clinic.example");
  released = photoseal_keyserver_client_release (dora, key->key_id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (released->server_key, 32, key->server_key, 32);
  g_assert_cmpstr (released->owner_email, ==, "alice@clinic.example");
  g_assert_cmpstr (released->owner_name, ==, "Alice");
}

/* An invitation reaches another organisation, whatever allowed-domains=
 * says; a change invites only the addresses it adds. */
static void
test_invitation_other_domain_and_update (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(Client) client = NULL;
  g_autoptr(User) alice = NULL;
  g_autoptr(Key) key = g_new0 (Key, 1);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(Reply) patched = NULL;
  g_autoptr(Reply) created = NULL;
  g_autofree char *states = NULL;
  g_autofree char *path = NULL;
  g_autofree char *code = NULL;
  JsonArray *recipient_states;

  identity_start (&identity, "--allowed-domains", "clinic.example", NULL);
  alice = alice_signed_in (&identity, &client);
  states = seal_for (client, alice, "[\"bob@lab.example\"]", key);
  g_assert_cmpstr (states, ==, "bob@lab.example=invited");
  code = mailed_code (&identity.relay, 1, "bob@lab.example");

  path = g_strdup_printf ("/v1/keys/%s", key->key_id);
  patched = keyserver_request (&identity.server, "PATCH", path, alice->token,
                               "{\"recipients\": [\"bob@lab.example\", \"carol@lab.example\"]}");
  g_assert_cmpuint (patched->status, ==, 200);
  recipient_states = json_object_get_array_member (json_node_get_object (patched->json),
                                                   "recipient_states");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     recipient_states, 0), "state"), ==, "no_account");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     recipient_states, 1), "state"), ==, "invited");
  messages = wait_for_mail (&identity.relay, 2);
  g_assert_cmpuint (messages->len, ==, 2);

  created = sign_up (&identity.server, "bob@lab.example", code);
  g_assert_cmpuint (created->status, ==, 201);
}

/* The library hands a change's recipient states on: the address it adds
 * is invited, the one with an account reads so, and a key only read has
 * none. */
static void
test_update_states_through_library (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(User) alice = NULL;
  g_autoptr(PhotosealKeyserverClient) library = NULL;
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(PhotosealKeyInfo) changed = NULL;
  g_autoptr(PhotosealKeyInfo) read = NULL;
  g_autoptr(PhotosealRecipientInfo) first = NULL;
  g_autoptr(PhotosealRecipientInfo) second = NULL;
  g_autoptr(GError) error = NULL;
  const char *before[] = { "alice@clinic.example", NULL };
  const char *after[] = { "alice@clinic.example", "erin@clinic.example", NULL };
  GListModel *states;

  identity_start_default (&identity);
  alice = alice_signed_in (&identity, NULL);
  library = library_sign_in (&identity.server, "alice@clinic.example");
  key = photoseal_keyserver_client_create_key (library, before, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  changed = photoseal_keyserver_client_update_key (library, key->key_id,
                                                   PHOTOSEAL_KEY_UPDATE_RECIPIENTS, after, NULL,
                                                   NULL, &error);
  g_assert_no_error (error);

  states = photoseal_key_info_get_recipient_states (changed);
  g_assert_nonnull (states);
  g_assert_cmpuint (g_list_model_get_n_items (states), ==, 2);
  first = g_list_model_get_item (states, 0);
  second = g_list_model_get_item (states, 1);
  g_assert_cmpstr (photoseal_recipient_info_get_email (first), ==, "alice@clinic.example");
  g_assert_cmpint (photoseal_recipient_info_get_state (first), ==, PHOTOSEAL_RECIPIENT_ACCOUNT);
  g_assert_cmpstr (photoseal_recipient_info_get_email (second), ==, "erin@clinic.example");
  g_assert_cmpint (photoseal_recipient_info_get_state (second), ==, PHOTOSEAL_RECIPIENT_INVITED);
  g_free (mailed_code (&identity.relay, 1, "erin@clinic.example"));

  read = photoseal_keyserver_client_get_key (library, key->key_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (photoseal_key_info_get_recipient_states (read));
}

/* A relay that is down costs no key: the answer and the log say the
 * invitation was not sent. */
static void
test_invitation_relay_down (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(Client) client = NULL;
  g_autoptr(User) alice = NULL;
  g_autoptr(Key) key = g_new0 (Key, 1);
  g_autofree char *states = NULL;
  g_autofree char *log = NULL;
  gint64 started;

  identity_start_default (&identity);
  alice = alice_signed_in (&identity, &client);
  relay_stop (&identity.relay);
  started = g_get_monotonic_time ();
  states = seal_for (client, alice, "[\"dora@clinic.example\"]", key);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 8 * G_USEC_PER_SEC);
  g_assert_cmpstr (states, ==, "dora@clinic.example=not_sent");
  g_assert_nonnull (key->key_id);
  log = keyserver_fixture_read_log (&identity.server);
  g_assert_nonnull (strstr (log, "invitation to dora@clinic.example not sent"));
}

/* One sender invites at most invitations-per-day addresses a day. */
static void
test_invitation_daily_limit (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(Client) client = NULL;
  g_autoptr(User) alice = NULL;
  g_autoptr(Key) key = g_new0 (Key, 1);
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *states = NULL;

  identity_start (&identity, "--invitations-per-day", "2", NULL);
  alice = alice_signed_in (&identity, &client);
  states = seal_for (client, alice, "[\"a@clinic.example\", \"b@clinic.example\", "
                     "\"c@clinic.example\"]", key);
  g_assert_cmpstr (states, ==, "a@clinic.example=invited,b@clinic.example=invited,"
                   "c@clinic.example=not_sent");
  messages = wait_for_mail (&identity.relay, 2);
  g_usleep (200 * 1000);
  g_clear_pointer (&messages, g_ptr_array_unref);
  messages = relay_messages (&identity.relay);
  g_assert_cmpuint (messages->len, ==, 2);
}
/* A relay that takes the connection and then says nothing: the key is
 * made, and answered after the bounded wait (5 s), not the mailer's 30 s
 * timeout. */
static void
test_invitation_relay_hangs (void)
{
  KeyserverFixture server = { 0 };
  g_autoptr(GSocket) silent = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(Client) client = NULL;
  g_autoptr(User) alice = NULL;
  g_autoptr(Key) key = g_new0 (Key, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *states = NULL;
  g_autofree char *log = NULL;
  const char *args[] = { "--smtp-url", NULL, "--mail-from", "keys@hospital.example", NULL };
  gint64 took;

  /* Listening, never accepting: the kernel completes the handshake. */
  silent = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (silent, any_port, TRUE, &error));
  g_assert_true (g_socket_listen (silent, &error));
  bound = g_socket_get_local_address (silent, &error);
  url = g_strdup_printf ("smtp://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  args[1] = url;
  keyserver_fixture_start_full (&server, "verified", args);
  g_assert_cmpint (keyserver_fixture_admin (&server, "correct horse", "user", "add",
                                            "alice@clinic.example", "Alice", NULL), ==, 0);
  client = client_new (server.base_url);
  alice = sign_in (&server, "alice@clinic.example", "correct horse", NULL);

  took = g_get_monotonic_time ();
  states = seal_for (client, alice, "[\"dora@clinic.example\"]", key);
  took = g_get_monotonic_time () - took;
  g_test_message ("the key was answered after %" G_GINT64_FORMAT " ms", took / 1000);
  g_assert_cmpint (took, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpstr (states, ==, "dora@clinic.example=not_sent");
  log = keyserver_fixture_read_log (&server);
  g_assert_nonnull (strstr (log, "invitation to dora@clinic.example not sent: the relay did not "
                                 "answer"));
  keyserver_fixture_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  photoseal_crypto_init ();

  g_test_add_func ("/keyserver/recipients/lookup", test_lookup);
  g_test_add_func ("/keyserver/recipients/lookup-closed-and-off", test_lookup_closed_and_off);
  g_test_add_func ("/keyserver/recipients/lookup-throttled", test_lookup_throttled);
  g_test_add_func ("/keyserver/recipients/invitation", test_invitation);
  g_test_add_func ("/keyserver/recipients/invitation-other-domain-and-update",
                   test_invitation_other_domain_and_update);
  g_test_add_func ("/keyserver/recipients/update-states-through-library",
                   test_update_states_through_library);
  g_test_add_func ("/keyserver/recipients/invitation-relay-down", test_invitation_relay_down);
  g_test_add_func ("/keyserver/recipients/invitation-relay-hangs", test_invitation_relay_hangs);
  g_test_add_func ("/keyserver/recipients/invitation-daily-limit", test_invitation_daily_limit);
  return g_test_run ();
}
