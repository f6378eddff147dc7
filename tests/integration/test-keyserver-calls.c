/* test-keyserver-calls.c: the typed calls of PhotosealKeyserverClient
 * against a real photoseal-keyserver on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "keyserver-fixture.h"
#include "photoseal.h"

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

#define CALL(start, finish, client, error, ...)                                    \
  ({                                                                               \
    g_autoptr(GAsyncResult) result_ = NULL;                                        \
    start (client, ##__VA_ARGS__, NULL, store_result, &result_);                   \
    finish (client, wait_for (&result_), error);                                   \
  })

static PhotosealKeyserverClient *
registered (KeyserverFixture *fixture,
            const char       *email,
            const char       *name)
{
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(PhotosealAccountInfo) account = NULL;
  g_autoptr(GError) error = NULL;

  client = photoseal_keyserver_client_new (fixture->base_url, &error);
  g_assert_no_error (error);
  account = CALL (photoseal_keyserver_client_register_async,
                  photoseal_keyserver_client_register_finish, client, &error, email,
                  "correct horse", name);
  g_assert_no_error (error);
  g_assert_cmpstr (photoseal_account_info_get_email (account), ==, email);
  g_assert_cmpstr (photoseal_account_info_get_name (account), ==, name);
  g_assert_nonnull (photoseal_account_info_get_created (account));
  photoseal_keyserver_client_sign_in (client, email, "correct horse", "test", NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static PhotosealKeyInfo *
only_key (GListModel *keys)
{
  g_assert_cmpuint (g_list_model_get_n_items (keys), ==, 1);
  g_assert_true (g_list_model_get_item_type (keys) == PHOTOSEAL_TYPE_KEY_INFO);
  return g_list_model_get_item (keys, 0);
}

static void
test_accounts (KeyserverFixture *fixture,
               gconstpointer     data)
{
  g_autoptr(PhotosealKeyserverClient) alice = registered (fixture, "alice@localhost", "Alice");
  g_autoptr(PhotosealAccountInfo) account = NULL;
  g_autoptr(PhotosealAccountInfo) twice = NULL;
  g_autoptr(GListModel) keys = NULL;
  g_autoptr(GError) error = NULL;

  account = CALL (photoseal_keyserver_client_get_account_async,
                  photoseal_keyserver_client_get_account_finish, alice, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (photoseal_account_info_get_name (account), ==, "Alice");

  twice = CALL (photoseal_keyserver_client_register_async,
                photoseal_keyserver_client_register_finish, alice, &error, "alice@localhost",
                "correct horse", "Mallory");
  g_assert_null (twice);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_EMAIL_TAKEN);
  g_clear_error (&error);

  /* Signing out forgets the session here and on the server. */
  g_assert_true (photoseal_keyserver_client_sign_out (alice, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (photoseal_keyserver_client_get_token (alice));
  keys = photoseal_keyserver_client_list_keys (alice, NULL, &error);
  g_assert_null (keys);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED);
}

static void
assert_recipients (PhotosealKeyInfo *info,
                   const char       *expected)
{
  g_autofree char *joined = g_strjoinv (",", (char **) photoseal_key_info_get_recipients (info));

  g_assert_cmpstr (joined, ==, expected);
}

static void
test_keys (KeyserverFixture *fixture,
           gconstpointer     data)
{
  g_autoptr(PhotosealKeyserverClient) alice = registered (fixture, "alice@localhost", "Alice");
  g_autoptr(PhotosealKeyserverClient) bob = registered (fixture, "bob@localhost", "Bob");
  const char * const to_bob[] = { "bob@localhost", NULL };
  const char * const to_carol[] = { "carol@localhost", NULL };
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(PhotosealSealedKey) released = NULL;
  g_autoptr(PhotosealSealedKey) by_code = NULL;
  g_autoptr(GListModel) keys = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(PhotosealKeyInfo) info = NULL;
  g_autoptr(PhotosealKeyInfo) updated = NULL;
  g_autoptr(PhotosealKeyInfo) revoked = NULL;
  g_autoptr(PhotosealAuditEvent) event = NULL;
  g_autoptr(GDateTime) in_a_week = g_date_time_new_now_utc ();
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;

  key = photoseal_keyserver_client_create_key (alice, to_bob, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PhotosealRecipientInfo) state = g_list_model_get_item (key->recipients, 0);

    g_assert_cmpuint (g_list_model_get_n_items (key->recipients), ==, 1);
    g_assert_cmpstr (photoseal_recipient_info_get_email (state), ==, "bob@localhost");
    g_assert_cmpint (photoseal_recipient_info_get_state (state), ==, PHOTOSEAL_RECIPIENT_ACCOUNT);
  }
  keys = photoseal_keyserver_client_list_keys (alice, NULL, &error);
  g_assert_no_error (error);
  info = only_key (keys);
  g_assert_cmpstr (photoseal_key_info_get_key_id (info), ==, key->key_id);
  g_assert_cmpstr (photoseal_key_info_get_status (info), ==, "active");
  g_assert_null (photoseal_key_info_get_expires (info));
  g_assert_false (photoseal_key_info_get_has_access_code (info));
  assert_recipients (info, "bob@localhost");

  released = photoseal_keyserver_client_release (bob, key->key_id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (released->owner_email, ==, "alice@localhost");
  g_assert_cmpstr (released->owner_name, ==, "Alice");
  g_assert_nonnull (released->created);
  g_assert_null (key->owner_email);
  events = photoseal_keyserver_client_list_events (alice, key->key_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 2);
  event = g_list_model_get_item (events, 1);
  g_assert_cmpstr (photoseal_audit_event_get_action (event), ==, "release");
  g_assert_cmpstr (photoseal_audit_event_get_actor (event), ==, "bob@localhost");
  g_assert_cmpstr (photoseal_audit_event_get_address (event), ==, "127.0.0.1");
  g_assert_nonnull (photoseal_audit_event_get_at (event));
  g_clear_object (&events);

  /* Only the owner reads the trail. */
  events = photoseal_keyserver_client_list_events (bob, key->key_id, NULL, &error);
  g_assert_null (events);
  g_assert_nonnull (error);
  g_clear_error (&error);

  in_a_week = g_date_time_add_days (g_steal_pointer (&in_a_week), 7);
  updated = CALL (photoseal_keyserver_client_update_key_async,
                  photoseal_keyserver_client_update_key_finish, alice, &error, key->key_id,
                  PHOTOSEAL_KEY_UPDATE_RECIPIENTS | PHOTOSEAL_KEY_UPDATE_EXPIRES, to_carol,
                  in_a_week);
  g_assert_no_error (error);
  assert_recipients (updated, "carol@localhost");
  g_assert_cmpint (g_date_time_to_unix (photoseal_key_info_get_expires (updated)), ==,
                   g_date_time_to_unix (in_a_week));

  code = CALL (photoseal_keyserver_client_reissue_access_code_async,
               photoseal_keyserver_client_reissue_access_code_finish, alice, &error, key->key_id);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (code), ==, 11);
  by_code = photoseal_keyserver_client_release (bob, key->key_id, "22222-22222", NULL, &error);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_BAD_ACCESS_CODE);
  g_assert_cmpint (photoseal_keyserver_error_get_tries_left (error), ==, 4);
  g_assert_null (photoseal_keyserver_error_get_expired_at (error));
  g_clear_error (&error);
  by_code = photoseal_keyserver_client_release (bob, key->key_id, code, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (by_code->server_key, 32, released->server_key, 32);
  g_assert_cmpstr (by_code->owner_email, ==, "alice@localhost");

  /* An expired key's refusal says since when. */
  {
    g_autoptr(GDateTime) past = g_date_time_new_utc (2020, 1, 1, 0, 0, 0);
    g_autoptr(PhotosealSealedKey) old = photoseal_keyserver_client_create_key (alice, to_bob, past,
                                                                               FALSE, NULL, &error);
    g_autoptr(PhotosealSealedKey) refused = NULL;

    g_assert_no_error (error);
    refused = photoseal_keyserver_client_release (bob, old->key_id, NULL, NULL, &error);
    g_assert_null (refused);
    g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_EXPIRED);
    g_assert_cmpint (g_date_time_to_unix (photoseal_keyserver_error_get_expired_at (error)), ==,
                     g_date_time_to_unix (past));
    g_assert_cmpint (photoseal_keyserver_error_get_tries_left (error), ==, -1);
    g_clear_error (&error);
  }

  g_assert_true (photoseal_keyserver_client_revoke_key (alice, key->key_id, NULL, &error));
  g_assert_no_error (error);
  revoked = CALL (photoseal_keyserver_client_get_key_async,
                  photoseal_keyserver_client_get_key_finish, alice, &error, key->key_id);
  g_assert_no_error (error);
  g_assert_cmpstr (photoseal_key_info_get_status (revoked), ==, "revoked");
  g_assert_nonnull (photoseal_key_info_get_revoked (revoked));
}

/* A key id from a hostile file must not pick another route. */
static void
test_key_id_is_checked (KeyserverFixture *fixture,
                        gconstpointer     data)
{
  g_autoptr(PhotosealKeyserverClient) alice = registered (fixture, "alice@localhost", "Alice");
  g_autoptr(GError) error = NULL;

  g_assert_false (photoseal_keyserver_client_revoke_key (alice, "../../accounts/me", NULL,
                                                         &error));
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (photoseal_keyserver_client_list_events (alice, "AAAAAAAAAAAAAAAAAAAAAA?x", NULL,
                                                         &error));
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_INVALID);
}

static PhotosealRecipientInfo *
recipient_at (GListModel *recipients,
              guint       index)
{
  g_assert_true (g_list_model_get_item_type (recipients) == PHOTOSEAL_TYPE_RECIPIENT_INFO);
  return g_list_model_get_item (recipients, index);
}

/* The sealer's own way to a photoseal stanza, and the opener's way back
 * to the key through the typed stanza result. */
static void
test_sealer_server_key (KeyserverFixture *fixture,
                        gconstpointer     data)
{
  g_autoptr(PhotosealKeyserverClient) alice = registered (fixture, "alice@localhost", "Alice");
  g_autoptr(PhotosealKeyserverClient) bob = registered (fixture, "bob@localhost", "Bob");
  const char * const to[] = { "bob@localhost", "dora@localhost", NULL };
  g_autoptr(PhotosealSealer) sealer = photoseal_sealer_new ();
  g_autoptr(GListModel) states = NULL;
  g_autoptr(PhotosealRecipientInfo) bob_state = NULL;
  g_autoptr(PhotosealRecipientInfo) dora_state = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(PhotosealAgeHeader) header = NULL;
  g_autoptr(PhotosealServerKeyRef) ref = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) photo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "photoseal-calls-photo.bin", NULL);
  g_autofree char *key_id = NULL;
  g_autofree char *code = NULL;

  g_file_set_contents (path, "pixels", -1, &error);
  g_assert_no_error (error);
  photo = g_file_new_for_path (path);
  photoseal_sealer_add_server_key_async (sealer, alice, to, NULL, TRUE, NULL, store_result,
                                         &result);
  g_assert_true (photoseal_sealer_add_server_key_finish (sealer, wait_for (&result), &key_id,
                                                         &code, &states, &error));
  g_assert_no_error (error);
  g_assert_true (photoseal_key_id_decode (key_id, NULL));
  g_assert_cmpuint (strlen (code), ==, 11);
  /* No mail on this server: dora, without an account, is not invited. */
  g_assert_cmpuint (g_list_model_get_n_items (states), ==, 2);
  bob_state = recipient_at (states, 0);
  dora_state = recipient_at (states, 1);
  g_assert_cmpstr (photoseal_recipient_info_get_email (bob_state), ==, "bob@localhost");
  g_assert_cmpint (photoseal_recipient_info_get_state (bob_state), ==,
                   PHOTOSEAL_RECIPIENT_ACCOUNT);
  g_assert_cmpstr (photoseal_recipient_info_get_email (dora_state), ==, "dora@localhost");
  g_assert_cmpint (photoseal_recipient_info_get_state (dora_state), ==,
                   PHOTOSEAL_RECIPIENT_NO_ACCOUNT);

  photoseal_sealer_add_file (sealer, photo);
  photoseal_sealer_seal (sealer, out, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  sealed = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_unlink (path);

  in = g_memory_input_stream_new_from_bytes (sealed);
  buffered = g_buffered_input_stream_new (in);
  header = photoseal_age_header_read (G_BUFFERED_INPUT_STREAM (buffered), NULL, &error);
  g_assert_no_error (error);
  ref = photoseal_age_header_find_photoseal_stanza (header, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ref->key_id, ==, key_id);
  g_assert_cmpstr (ref->origin, ==, photoseal_keyserver_client_get_origin (alice));
}

/* Typed answers, in the order asked; a non-address is an entry, not an
 * error of the whole call. */
static void
test_lookup_recipients (KeyserverFixture *fixture,
                        gconstpointer     data)
{
  g_autoptr(PhotosealKeyserverClient) alice = registered (fixture, "alice@localhost", "Alice");
  g_autoptr(PhotosealKeyserverClient) stranger = NULL;
  const char * const emails[] = { "Alice@LOCALHOST", "dora@localhost", "not an address", NULL };
  g_autoptr(GListModel) recipients = NULL;
  g_autoptr(GListModel) refused = NULL;
  g_autoptr(PhotosealRecipientInfo) known = NULL;
  g_autoptr(PhotosealRecipientInfo) unknown = NULL;
  g_autoptr(PhotosealRecipientInfo) invalid = NULL;
  g_autoptr(GError) error = NULL;

  recipients = CALL (photoseal_keyserver_client_lookup_recipients_async,
                     photoseal_keyserver_client_lookup_recipients_finish, alice, &error, emails);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (recipients), ==, 3);
  known = recipient_at (recipients, 0);
  unknown = recipient_at (recipients, 1);
  invalid = recipient_at (recipients, 2);
  g_assert_cmpstr (photoseal_recipient_info_get_email (known), ==, "alice@localhost");
  g_assert_cmpstr (photoseal_recipient_info_get_name (known), ==, "Alice");
  g_assert_cmpint (photoseal_recipient_info_get_state (known), ==, PHOTOSEAL_RECIPIENT_ACCOUNT);
  /* An open test server mails nothing: no invitation either. */
  g_assert_cmpint (photoseal_recipient_info_get_state (unknown), ==,
                   PHOTOSEAL_RECIPIENT_NO_ACCOUNT);
  g_assert_null (photoseal_recipient_info_get_name (unknown));
  g_assert_cmpint (photoseal_recipient_info_get_state (invalid), ==, PHOTOSEAL_RECIPIENT_INVALID);
  g_assert_nonnull (photoseal_recipient_info_get_message (invalid));

  stranger = photoseal_keyserver_client_new (fixture->base_url, &error);
  g_assert_no_error (error);
  refused = photoseal_keyserver_client_lookup_recipients (stranger, emails, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_notify (void)
{
  g_autoptr(PhotosealKeyInfo) info = g_object_new (PHOTOSEAL_TYPE_KEY_INFO, NULL);
  guint notified = 0;

  g_signal_connect (info, "notify::status", G_CALLBACK (count_notify), &notified);
  g_object_set (info, "status", "active", NULL);
  g_object_set (info, "status", "active", NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (info, "status", "revoked", NULL);
  g_assert_cmpuint (notified, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  photoseal_crypto_init ();

  g_test_add ("/keyserver-calls/accounts", KeyserverFixture, NULL, keyserver_fixture_set_up_open,
              test_accounts, keyserver_fixture_tear_down);
  g_test_add ("/keyserver-calls/keys", KeyserverFixture, NULL, keyserver_fixture_set_up_open,
              test_keys, keyserver_fixture_tear_down);
  g_test_add ("/keyserver-calls/key-id-is-checked", KeyserverFixture, NULL,
              keyserver_fixture_set_up_open, test_key_id_is_checked, keyserver_fixture_tear_down);
  g_test_add ("/keyserver-calls/sealer-server-key", KeyserverFixture, NULL,
              keyserver_fixture_set_up_open, test_sealer_server_key, keyserver_fixture_tear_down);
  g_test_add ("/keyserver-calls/lookup-recipients", KeyserverFixture, NULL,
              keyserver_fixture_set_up_open, test_lookup_recipients, keyserver_fixture_tear_down);
  g_test_add_func ("/keyserver-calls/notify", test_notify);
  return g_test_run ();
}
