/* test-keyserver-mailer.c: PhotosealMailer against a real SMTP server
 * (aiosmtpd, tests/keyserver/smtp-server.py) on 127.0.0.1: plain, with AUTH,
 * with STARTTLS required by the server, a relay that refuses, one that
 * hangs, and header injection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "photoseal-mailer.h"
#include "smtp-fixture.h"

static PhotosealMailer *
mailer_for (Relay      *relay,
            const char *user,
            const char *password_file)
{
  g_autoptr(GError) error = NULL;
  PhotosealMailer *mailer = photoseal_mailer_new (relay->url, user, password_file,
                                                  "keys@hospital.example", &error);

  g_assert_no_error (error);
  photoseal_mailer_set_timeout (mailer, 5);
  return mailer;
}

static void
test_mailer_delivers (void)
{
  g_auto(Relay) relay = { 0 };
  g_autoptr(PhotosealMailer) mailer = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  relay_start (&relay, NULL);
  mailer = mailer_for (&relay, NULL, NULL);
  g_assert_true (photoseal_mailer_send (mailer, "dora@clinic.example", "Your code: Zürich",
                                        "Your code is ABCD-EFGH.\nIt expires in 15 minutes.\n",
                                        &error));
  g_assert_no_error (error);

  messages = relay_messages (&relay);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_nonnull (strstr (messages->pdata[0], "To: <dora@clinic.example>"));
  g_assert_nonnull (strstr (messages->pdata[0], "From: Photoseal <keys@hospital.example>"));
  g_assert_nonnull (strstr (messages->pdata[0], "X-MailFrom: keys@hospital.example"));
  /* The non-ASCII subject is an RFC 2047 encoded word, not raw bytes. */
  g_assert_nonnull (strstr (messages->pdata[0], "Subject: =?UTF-8?B?"));
  body = message_body (messages->pdata[0]);
  g_assert_cmpstr (body, ==, "Your code is ABCD-EFGH.\nIt expires in 15 minutes.\n");
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static void
test_mailer_async_reports_refusal (void)
{
  g_auto(Relay) relay = { 0 };
  g_autoptr(PhotosealMailer) mailer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  relay_start (&relay, "--reject", NULL);
  mailer = mailer_for (&relay, NULL, NULL);
  /* The answer arrives on this thread's main context while the relay is
   * talked to on the mailer's own threads. */
  photoseal_mailer_send_async (mailer, "nobody@clinic.example", "Code", "text", NULL,
                               on_sent, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (photoseal_mailer_send_finish (mailer, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "relay"));
  messages = relay_messages (&relay);
  g_assert_cmpuint (messages->len, ==, 0);
}

static void
test_mailer_auth (void)
{
  g_auto(Relay) relay = { 0 };
  g_autoptr(PhotosealMailer) right = NULL;
  g_autoptr(PhotosealMailer) wrong = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *right_file = NULL;
  g_autofree char *wrong_file = NULL;

  relay_start (&relay, "--auth", "photoseal:relay secret", NULL);
  right_file = g_build_filename (relay.work, "right", NULL);
  wrong_file = g_build_filename (relay.work, "wrong", NULL);
  g_assert_true (g_file_set_contents_full (right_file, "relay secret\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_true (g_file_set_contents_full (wrong_file, "guessed\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));

  wrong = mailer_for (&relay, "photoseal", wrong_file);
  g_assert_false (photoseal_mailer_send (wrong, "a@clinic.example", "Code", "text", &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "guessed"));
  g_clear_error (&error);

  right = mailer_for (&relay, "photoseal", right_file);
  g_assert_true (photoseal_mailer_send (right, "a@clinic.example", "Code", "text", &error));
  g_assert_no_error (error);
  messages = relay_messages (&relay);
  g_assert_cmpuint (messages->len, ==, 1);
}

static void
test_mailer_password_file_readable_by_all (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("photoseal-smtp-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "password", NULL);
  g_autoptr(PhotosealMailer) mailer = NULL;

  g_assert_true (g_file_set_contents_full (file, "secret\n", -1, G_FILE_SET_CONTENTS_NONE,
                                           0644, NULL));
  mailer = photoseal_mailer_new ("smtps://relay.example:465", "u", file, "k@h.example", &error);
  g_assert_null (mailer);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM);
  g_assert_null (strstr (error->message, "secret\n"));
  g_unlink (file);
  g_rmdir (dir);
}

static void
test_mailer_refuses_bad_settings (void)
{
  const char *urls[] = { "http://relay.example", "smtp://user:pw@relay.example", "smtp://",
                         "relay" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhotosealMailer) mailer = photoseal_mailer_new (urls[i], NULL, NULL,
                                                                "k@h.example", &error);

      g_assert_null (mailer);
      g_assert_nonnull (error);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PhotosealMailer) mailer = photoseal_mailer_new ("smtps://relay.example", NULL, NULL,
                                                              NULL, &error);

    g_assert_null (mailer);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
}

static void
test_mailer_tls_off_loopback (void)
{
  const struct { const char *url; gboolean tls; } cases[] = {
    { "smtp://relay.hospital.example:587", TRUE },
    { "smtps://relay.hospital.example", TRUE },
    { "smtp://127.0.0.2:25", FALSE },
    { "smtp://[::1]:25", FALSE },
    { "smtp://localhost:25", FALSE },
    { "smtp://127.0.0.1.relay.example:25", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhotosealMailer) mailer = photoseal_mailer_new (cases[i].url, NULL, NULL,
                                                                "k@h.example", &error);

      g_assert_no_error (error);
      g_assert_cmpint (photoseal_mailer_get_requires_tls (mailer), ==, cases[i].tls);
    }
}

static void
test_mailer_header_injection (void)
{
  g_auto(Relay) relay = { 0 };
  g_autoptr(PhotosealMailer) mailer = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  const char *bad_to[] = { "a@clinic.example\r\nRCPT TO:<x@evil.example>",
                           "a@clinic.example>, <x@evil.example", "no-at-sign" };

  relay_start (&relay, NULL);
  mailer = mailer_for (&relay, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bad_to); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (photoseal_mailer_send (mailer, bad_to[i], "Code", "text", &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (photoseal_mailer_send (mailer, "a@clinic.example",
                                           "Code\r\nBcc: x@evil.example", "text", &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
  messages = relay_messages (&relay);
  g_assert_cmpuint (messages->len, ==, 0);
}

static void
test_mailer_hanging_relay_is_bounded (void)
{
  g_auto(Relay) relay = { 0 };
  g_autoptr(PhotosealMailer) mailer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  relay_start (&relay, "--hang", "60", NULL);
  mailer = mailer_for (&relay, NULL, NULL);
  photoseal_mailer_set_timeout (mailer, 2);
  start = g_get_monotonic_time ();
  g_assert_false (photoseal_mailer_send (mailer, "a@clinic.example", "Code", "text", &error));
  g_assert_nonnull (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 6 * G_USEC_PER_SEC);
}

static void
test_mailer_starttls (void)
{
  g_auto(Relay) relay = { 0 };
  g_autoptr(PhotosealMailer) mailer = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("photoseal-tls-XXXXXX", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *command = g_strdup_printf (
    "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
    "-addext subjectAltName=IP:127.0.0.1 -keyout '%s' -out '%s'", key, cert);
  int status;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  relay_start (&relay, "--starttls", cert, key, NULL);
  g_setenv ("PHOTOSEAL_CA_FILE", cert, TRUE);
  mailer = mailer_for (&relay, NULL, NULL);
  g_assert_true (photoseal_mailer_send (mailer, "a@clinic.example", "Code", "over TLS", &error));
  g_assert_no_error (error);
  g_unsetenv ("PHOTOSEAL_CA_FILE");

  /* Without trusting the relay's certificate, nothing is sent. */
  g_assert_false (photoseal_mailer_send (mailer, "b@clinic.example", "Code", "text", &error));
  g_assert_nonnull (error);
  messages = relay_messages (&relay);
  g_assert_cmpuint (messages->len, ==, 1);
  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mailer/delivers", test_mailer_delivers);
  g_test_add_func ("/mailer/async-reports-refusal", test_mailer_async_reports_refusal);
  g_test_add_func ("/mailer/auth", test_mailer_auth);
  g_test_add_func ("/mailer/password-file-readable-by-all",
                   test_mailer_password_file_readable_by_all);
  g_test_add_func ("/mailer/refuses-bad-settings", test_mailer_refuses_bad_settings);
  g_test_add_func ("/mailer/tls-off-loopback", test_mailer_tls_off_loopback);
  g_test_add_func ("/mailer/header-injection", test_mailer_header_injection);
  g_test_add_func ("/mailer/hanging-relay-is-bounded", test_mailer_hanging_relay_is_bounded);
  g_test_add_func ("/mailer/starttls", test_mailer_starttls);
  return g_test_run ();
}
