/* smtp-fixture.c: a real SMTP server (aiosmtpd, tests/keyserver/smtp-server.py)
 * on 127.0.0.1 for the mailer and identity tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "smtp-fixture.h"

void
relay_stop (Relay *relay)
{
  if (relay->server != NULL)
    {
      g_subprocess_send_signal (relay->server, SIGTERM);
      g_subprocess_wait (relay->server, NULL, NULL);
      g_clear_object (&relay->server);
    }
  g_clear_pointer (&relay->url, g_free);
  g_clear_pointer (&relay->maildir, g_free);
  if (relay->work != NULL)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", relay->work);

      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
      g_clear_pointer (&relay->work, g_free);
    }
}

/* Starts smtp-server.py with @extra arguments, NULL-terminated. */
void
relay_start (Relay      *relay,
             const char *first_extra,
             ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *port_file = NULL;
  g_autofree char *port = NULL;
  va_list args;

  relay->work = g_dir_make_tmp ("photoseal-smtp-XXXXXX", &error);
  g_assert_no_error (error);
  relay->maildir = g_build_filename (relay->work, "mail", NULL);
  port_file = g_build_filename (relay->work, "port", NULL);
  g_ptr_array_add (argv, g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (argv, g_test_build_filename (G_TEST_DIST, "keyserver", "smtp-server.py", NULL));
  g_ptr_array_add (argv, g_strdup (relay->maildir));
  g_ptr_array_add (argv, g_strdup (port_file));
  va_start (args, first_extra);
  for (const char *extra = first_extra; extra != NULL; extra = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (extra));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  relay->server = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE,
                                     &error);
  g_assert_no_error (error);
  for (int i = 0; i < 200 && !g_file_get_contents (port_file, &port, NULL, NULL); i++)
    g_usleep (50 * 1000);
  g_assert_nonnull (port);
  relay->url = g_strdup_printf ("smtp://127.0.0.1:%s", port);
}

/* The messages in the Maildir's new/ folder, as text. */
GPtrArray *
relay_messages (Relay *relay)
{
  g_autofree char *folder = g_build_filename (relay->maildir, "new", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      char *text = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      g_ptr_array_add (messages, text);
    }
  return messages;
}

/* The decoded body of a base64 text/plain message. */
char *
message_body (const char *message)
{
  const char *start = strstr (message, "\n\n");
  g_autofree char *joined = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length;

  g_assert_nonnull (start);
  lines = g_strsplit (start + 2, "\n", -1);
  joined = g_strjoinv ("", lines);
  g_strdelimit (joined, "\r", ' ');
  g_strstrip (joined);
  return (char *) g_base64_decode (joined, &length);
}

/* A Maildir name's delivery counter ("…Q7…"): the relay's order. */
static guint64
delivery_number (const char *name)
{
  const char *q = strchr (name, 'Q');

  return q ? g_ascii_strtoull (q + 1, NULL, 10) : 0;
}

static int
compare_deliveries (gconstpointer a,
                    gconstpointer b)
{
  guint64 x = delivery_number (*(const char **) a);
  guint64 y = delivery_number (*(const char **) b);

  return x < y ? -1 : x > y;
}

/* The mails to @to, oldest first. */
static GPtrArray *
mails_to (Relay      *relay,
          const char *to)
{
  g_autofree char *folder = g_build_filename (relay->maildir, "new", NULL);
  g_autofree char *header = g_strdup_printf ("To: <%s>", to);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *mails = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_deliveries);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, names->pdata[i], NULL);
      g_autofree char *text = NULL;

      if (g_file_get_contents (path, &text, NULL, NULL) && strstr (text, header) != NULL)
        g_ptr_array_add (mails, g_steal_pointer (&text));
    }
  return mails;
}

/* A code as mailed: "Your code is X" or an invitation's indented line. */
char *
mailed_code_in (const char *body)
{
  const char *at = strstr (body, "Your code is ");

  if (at != NULL)
    return g_strndup (at + strlen ("Your code is "), 11);
  at = strstr (body, "\n    ");
  g_assert_nonnull (at);
  return g_strndup (at + 5, 11);
}

/* Waits for the @nth (from 1) mail to @to and returns the code it holds:
 * a sign-up or reset code, or an invitation's. */
char *
relay_wait_code (Relay      *relay,
                 const char *to,
                 guint       nth)
{
  for (int i = 0; i < 400; i++)
    {
      g_autoptr(GPtrArray) mails = mails_to (relay, to);

      if (mails->len >= nth)
        {
          g_autofree char *body = message_body (mails->pdata[nth - 1]);

          return mailed_code_in (body);
        }
      g_usleep (50 * 1000);
    }
  g_error ("mail %u to %s expected, it did not come", nth, to);
}
/* A key server in verified registration, mailing through @relay, which
 * this starts too; stop both with keyserver_fixture_stop() and
 * relay_stop(). */
void
keyserver_fixture_start_verified (KeyserverFixture *server,
                                  Relay            *relay)
{
  const char *args[] = { "--smtp-url", NULL, "--mail-from", "keys@hospital.example", NULL };

  relay_start (relay, NULL);
  args[1] = relay->url;
  keyserver_fixture_start_full (server, "verified", args);
}
