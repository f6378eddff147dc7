/* test-keyserver-client-account.c: libphotoseal's identity calls
 * (photoseal-keyserver-client-account.c) against a real key server in
 * verified registration, mailing through a real SMTP server (aiosmtpd)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "photoseal.h"
#include "keyserver-fixture.h"
#include "smtp-fixture.h"

#define PASSWORD "correct horse"

typedef struct
{
  Relay relay;
  KeyserverFixture server;
} Identity;

static void
identity_start (Identity *identity)
{
  keyserver_fixture_start_verified (&identity->server, &identity->relay);
}

static void
identity_stop (Identity *identity)
{
  keyserver_fixture_stop (&identity->server);
  relay_stop (&identity->relay);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Identity, identity_stop)

static PhotosealKeyserverClient *
new_client (Identity *identity)
{
  g_autoptr(GError) error = NULL;
  PhotosealKeyserverClient *client = photoseal_keyserver_client_new (identity->server.base_url,
                                                                     &error);

  g_assert_no_error (error);
  return client;
}

/* Signs @email up with the code the server mails it. */
static void
sign_up (Identity   *identity,
         const char *email,
         guint       nth_mail)
{
  g_autoptr(PhotosealKeyserverClient) client = new_client (identity);
  g_autoptr(PhotosealAccountInfo) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  g_assert_true (photoseal_keyserver_client_request_code (client, email, NULL, &error));
  g_assert_no_error (error);
  code = relay_wait_code (&identity->relay, email, nth_mail);
  account = photoseal_keyserver_client_sign_up (client, email, code, PASSWORD, "Dora", NULL,
                                                &error);
  g_assert_no_error (error);
  g_assert_cmpstr (photoseal_account_info_get_email (account), ==, email);
  g_assert_cmpstr (photoseal_account_info_get_name (account), ==, "Dora");
}

static PhotosealKeyserverClient *
signed_in (Identity   *identity,
           const char *email,
           const char *password,
           const char *device)
{
  g_autoptr(GError) error = NULL;
  PhotosealKeyserverClient *client = new_client (identity);

  photoseal_keyserver_client_sign_in (client, email, password, device, NULL, &error);
  g_assert_no_error (error);
  return client;
}

static void
test_sign_up_with_code (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(PhotosealAccountInfo) again = NULL;
  g_autoptr(PhotosealAccountInfo) stranger = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  identity_start (&identity);
  client = new_client (&identity);

  /* Hostile first: a made-up code, and erin's code used for frank. */
  again = photoseal_keyserver_client_sign_up (client, "dora@clinic.example", "ABCDE-FGHJK",
                                              PASSWORD, "Dora", NULL, &error);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_BAD_CODE);
  g_assert_null (again);
  g_clear_error (&error);
  g_assert_true (photoseal_keyserver_client_request_code (client, "erin@clinic.example", NULL,
                                                          &error));
  code = relay_wait_code (&identity.relay, "erin@clinic.example", 1);
  stranger = photoseal_keyserver_client_sign_up (client, "frank@clinic.example", code, PASSWORD,
                                                 "Frank", NULL, &error);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_BAD_CODE);
  g_clear_error (&error);

  sign_up (&identity, "dora@clinic.example", 1);
  g_clear_object (&client);
  client = signed_in (&identity, "dora@clinic.example", PASSWORD, "Laptop");

  /* Without a code a verified server takes nobody. */
  g_clear_object (&again);
  again = photoseal_keyserver_client_sign_up (client, "gina@clinic.example", NULL, PASSWORD,
                                              "Gina", NULL, &error);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_INVALID);
}

static void
test_password_reset (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(PhotosealKeyserverClient) old = NULL;
  g_autoptr(PhotosealKeyserverClient) fresh = NULL;
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(GListModel) devices = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *typed = NULL;

  identity_start (&identity);
  sign_up (&identity, "dora@clinic.example", 1);
  old = signed_in (&identity, "dora@clinic.example", PASSWORD, "Laptop");
  client = new_client (&identity);

  g_assert_true (photoseal_keyserver_client_request_password_reset (client,
                                                                    "dora@clinic.example",
                                                                    NULL, &error));
  code = relay_wait_code (&identity.relay, "dora@clinic.example", 2);
  g_assert_false (photoseal_keyserver_client_reset_password (client, "dora@clinic.example",
                                                             "ABCDE-FGHJK", "battery staple",
                                                             NULL, &error));
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_BAD_CODE);
  g_clear_error (&error);
  /* Typed the way people type it: lower case, no dash. */
  typed = g_ascii_strdown (g_strdelimit (code, "-", ' '), -1);
  g_assert_true (photoseal_keyserver_client_reset_password (client, "dora@clinic.example", typed,
                                                            "battery staple", NULL, &error));
  g_assert_no_error (error);

  /* The reset ended the old session; the old password is gone. */
  devices = photoseal_keyserver_client_list_devices (old, NULL, &error);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_false (photoseal_keyserver_client_sign_in (client, "dora@clinic.example", PASSWORD,
                                                      "Laptop", NULL, &error));
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);
  fresh = signed_in (&identity, "dora@clinic.example", "battery staple", "Laptop");
}

static PhotosealDeviceInfo *
find_device (GListModel *devices,
             gboolean    current)
{
  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(PhotosealDeviceInfo) device = g_list_model_get_item (devices, i);

      if (photoseal_device_info_get_current (device) == current)
        return g_steal_pointer (&device);
    }
  return NULL;
}

/* A lost phone, removed from the laptop: its session and its device key
 * are refused from then on. */
static void
test_devices (void)
{
  g_auto(Identity) identity = { 0 };
  g_autoptr(PhotosealKeyserverClient) laptop = NULL;
  g_autoptr(PhotosealKeyserverClient) phone = NULL;
  g_autoptr(PhotosealKeyserverClient) thief = NULL;
  g_autoptr(PhotosealKeyserverClient) erin = NULL;
  g_autoptr(GListModel) devices = NULL;
  g_autoptr(GListModel) after = NULL;
  g_autoptr(PhotosealDeviceInfo) this_one = NULL;
  g_autoptr(PhotosealDeviceInfo) other = NULL;
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(PhotosealSealedKey) released = NULL;
  g_autoptr(GError) error = NULL;
  const char * const recipients[] = { "dora@clinic.example", NULL };

  identity_start (&identity);
  sign_up (&identity, "dora@clinic.example", 1);
  sign_up (&identity, "erin@clinic.example", 1);
  laptop = signed_in (&identity, "dora@clinic.example", PASSWORD, "Laptop");
  phone = signed_in (&identity, "dora@clinic.example", PASSWORD, "Phone");
  erin = signed_in (&identity, "erin@clinic.example", PASSWORD, "Erin's");
  key = photoseal_keyserver_client_create_key (laptop, recipients, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);

  devices = photoseal_keyserver_client_list_devices (laptop, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (devices), ==, 2);
  this_one = find_device (devices, TRUE);
  other = find_device (devices, FALSE);
  g_assert_cmpstr (photoseal_device_info_get_name (this_one), ==, "Laptop");
  g_assert_cmpstr (photoseal_device_info_get_name (other), ==, "Phone");
  g_assert_nonnull (photoseal_device_info_get_expires (other));

  /* Hostile: a path instead of an id is refused before anything is sent;
   * another account's device is not found; a token without the device
   * key (stolen) removes nothing. */
  g_assert_false (photoseal_keyserver_client_remove_device (laptop, "../keys", NULL, &error));
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (photoseal_keyserver_client_remove_device (
    erin, photoseal_device_info_get_id (other), NULL, &error));
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  thief = new_client (&identity);
  photoseal_keyserver_client_set_session (thief, photoseal_keyserver_client_get_token (laptop),
                                          NULL);
  g_assert_false (photoseal_keyserver_client_remove_device (
    thief, photoseal_device_info_get_id (other), NULL, &error));
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_DEVICE);
  g_clear_error (&error);

  g_assert_true (photoseal_keyserver_client_remove_device (
    laptop, photoseal_device_info_get_id (other), NULL, &error));
  g_assert_no_error (error);
  after = photoseal_keyserver_client_list_devices (laptop, NULL, &error);
  g_assert_cmpuint (g_list_model_get_n_items (after), ==, 1);

  /* The phone's signed release is refused. */
  released = photoseal_keyserver_client_release (phone, key->key_id, NULL, NULL, &error);
  g_assert_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED);
  g_assert_null (released);
  g_clear_error (&error);
  released = photoseal_keyserver_client_release (laptop, key->key_id, NULL, NULL, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyserver/client-account/sign-up-with-code", test_sign_up_with_code);
  g_test_add_func ("/keyserver/client-account/password-reset", test_password_reset);
  g_test_add_func ("/keyserver/client-account/devices", test_devices);
  return g_test_run ();
}
