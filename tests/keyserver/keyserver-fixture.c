/* keyserver-fixture.c
 *
 * Starts the real server binary on 127.0.0.1 with a fresh data folder and
 * a free port, which it reads from the server's first line of output.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "keyserver-fixture.h"

static const char *
server_binary (void)
{
  const char *path = g_getenv ("PHOTOSEAL_KEYSERVER");

  g_assert_nonnull (path);
  return path;
}

void
keyserver_fixture_start (KeyserverFixture *fixture,
                         const char       *registration)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  fixture->data_dir = g_dir_make_tmp ("photoseal-keyserver-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->log_path = g_build_filename (fixture->data_dir, "server.log", NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, fixture->log_path);

  fixture->process = g_subprocess_launcher_spawn (launcher, &error, server_binary (),
                                                  "--listen", "127.0.0.1:0",
                                                  "--data-dir", fixture->data_dir,
                                                  "--registration", registration, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "photoseal-keyserver: listening on http://127.0.0.1:"));
  fixture->base_url = g_strdup (strstr (line, "http://"));
  if (g_str_has_suffix (fixture->base_url, "/"))
    fixture->base_url[strlen (fixture->base_url) - 1] = '\0';

  fixture->session = soup_session_new_with_options ("timeout", 30, NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      for (const char *name; (name = g_dir_read_name (dir));)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Stops the server as systemd would, and checks it stops cleanly. */
void
keyserver_fixture_stop (KeyserverFixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->session);
  if (fixture->process != NULL)
    {
      g_subprocess_send_signal (fixture->process, SIGTERM);
      g_subprocess_wait (fixture->process, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (fixture->process));
      g_assert_cmpint (g_subprocess_get_exit_status (fixture->process), ==, 0);
      g_clear_object (&fixture->process);
    }
  remove_tree (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
  g_clear_pointer (&fixture->log_path, g_free);
  g_clear_pointer (&fixture->base_url, g_free);
}

char *
keyserver_fixture_read_log (KeyserverFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (fixture->log_path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Runs "photoseal-keyserver ARGS… --data-dir DIR" with PHOTOSEAL_PASSWORD. */
int
keyserver_fixture_admin (KeyserverFixture *fixture,
                         const char       *password,
                         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) server_binary ());
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, fixture->data_dir);
  va_start (args, password);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (password != NULL)
    g_subprocess_launcher_setenv (launcher, "PHOTOSEAL_PASSWORD", password, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

Reply *
keyserver_request (KeyserverFixture *fixture,
                   const char       *method,
                   const char       *path,
                   const char       *token,
                   const char       *body)
{
  g_autofree char *url = g_strconcat (fixture->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  Reply *reply = g_new0 (Reply, 1);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    }

  bytes = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);

  headers = soup_message_get_response_headers (msg);
  reply->status = soup_message_get_status (msg);
  reply->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  reply->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  reply->text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (g_bytes_get_size (bytes) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      json_parser_load_from_data (parser, reply->text, -1, &error);
      g_assert_no_error (error);
      reply->json = json_node_copy (json_parser_get_root (parser));
    }
  return reply;
}

void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply->text);
  g_free (reply->content_type);
  g_free (reply->retry_after);
  g_free (reply);
}

/* The error code of an error reply, checking its whole shape on the way. */
const char *
reply_error_code (Reply *reply)
{
  JsonObject *error;

  g_assert_cmpuint (reply->status, >=, 400);
  g_assert_cmpstr (reply->content_type, ==, "application/json");
  g_assert_nonnull (reply->json);
  error = json_object_get_object_member (json_node_get_object (reply->json), "error");
  g_assert_nonnull (error);
  g_assert_nonnull (json_object_get_string_member (error, "message"));
  return json_object_get_string_member (error, "code");
}

const char *
reply_string (Reply      *reply,
              const char *member)
{
  g_assert_nonnull (reply->json);
  return json_object_get_string_member (json_node_get_object (reply->json), member);
}
