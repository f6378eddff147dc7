/* identity-fixture.c: a key server in verified registration, mailing
 * through a real SMTP server (aiosmtpd), and what the identity tests do
 * with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "identity-fixture.h"

/* A server in verified registration mailing through a fresh relay;
 * @first_extra: more server options, NULL-terminated. */
void
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

void
identity_stop (Identity *identity)
{
  keyserver_fixture_stop (&identity->server);
  relay_stop (&identity->relay);
}

void
identity_start_default (Identity *identity)
{
  identity_start (identity, NULL);
}

/* Waits until the relay holds @count messages; returns them. */
GPtrArray *
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
char *
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

        return mailed_code_in (body);
      }
  g_error ("no mail to %s", to);
}

Reply *
sign_up (KeyserverFixture *server,
         const char       *email,
         const char       *code)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"name\": \"Dora\", "
                                           "\"password\": \"correct horse\", \"code\": \"%s\"}",
                                           email, code);

  return keyserver_request (server, "POST", "/v1/accounts", NULL, body);
}

void
add_alice (Identity *identity)
{
  g_assert_cmpint (keyserver_fixture_admin (&identity->server, "correct horse", "user", "add",
                                            "alice@clinic.example", "Alice", NULL), ==, 0);
}

/* Signs in with a new device key; remembers it for signed requests. */
User *
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

guint
status_of (KeyserverFixture *server,
           const char       *method,
           const char       *path,
           const char       *token,
           const char       *body)
{
  g_autoptr(Reply) reply = keyserver_request (server, method, path, token, body);

  return reply->status;
}
