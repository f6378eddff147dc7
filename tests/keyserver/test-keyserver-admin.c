/* test-keyserver-admin.c: backup and restore, through the real binary
 *
 * A backup taken while the server runs, a key revoked after it, and a
 * restore: the revocation journal must revoke that key again, whatever the
 * backup remembers. On PostgreSQL, backup and restore are refused (its own
 * tools do that job).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "keyserver-test-client.h"

static const char *
key_status (Client     *client,
            User       *owner,
            const char *key_id)
{
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s", key_id);
  g_autoptr(Reply) reply = client_request_ok (client, "GET", path, owner->token, NULL);
  const char *status = json_object_get_string_member (json_node_get_object (reply->json),
                                                      "status");

  return g_intern_string (status);
}

static void
test_backup_restore (KeyserverFixture *fixture,
                     gconstpointer     data)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  g_autoptr(User) alice = make_user (client, "alice@example.org");
  g_autoptr(User) bob = make_user (client, "bob@example.org");
  g_autoptr(Key) kept = create_key_ok (client, alice, "[\"bob@example.org\"]");
  g_autoptr(Key) revoked = create_key_ok (client, alice, "[\"bob@example.org\"]");
  g_autofree char *backup = g_build_filename (fixture->data_dir, "backup.db", NULL);
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s", revoked->key_id);
  g_autoptr(Reply) revoke = NULL;
  g_autoptr(Reply) refused = NULL;
  guint8 server_key[32];

  if (keyserver_fixture_uses_postgresql ())
    {
      g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "backup", backup, NULL), ==, 1);
      g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "restore", backup, NULL), ==, 1);
      return;
    }

  /* Taken while the server runs. */
  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "backup", backup, NULL), ==, 0);
  revoke = client_request_ok (client, "DELETE", path, alice->token, NULL);
  g_assert_cmpuint (revoke->status, ==, 204);

  g_subprocess_send_signal (fixture->process, SIGTERM);
  g_subprocess_wait (fixture->process, NULL, NULL);
  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "restore", backup, NULL), ==, 0);
  keyserver_fixture_restart (fixture);
  g_clear_pointer (&client, client_free);
  client = client_new (fixture->base_url);

  /* The backup knew the key as active; the journal revoked it again. */
  g_assert_cmpstr (key_status (client, alice, kept->key_id), ==, "active");
  g_assert_cmpstr (key_status (client, alice, revoked->key_id), ==, "revoked");
  refused = release_signed (client, bob, revoked->key_id, server_key, NULL);
  g_assert_cmpuint (refused->status, ==, 410);
  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "verify-audit", NULL), ==, 0);
}

static void
test_restore_hostile (KeyserverFixture *fixture,
                      gconstpointer     data)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  g_autoptr(User) alice = make_user (client, "alice@example.org");
  g_autoptr(Key) key = create_key_ok (client, alice, "[]");
  g_autofree char *junk = g_build_filename (fixture->data_dir, "junk.db", NULL);
  g_autofree char *missing = g_build_filename (fixture->data_dir, "missing.db", NULL);
  g_autoptr(GError) error = NULL;

  if (keyserver_fixture_uses_postgresql ())
    return;
  g_file_set_contents (junk, "not a database, not at all", -1, &error);
  g_assert_no_error (error);

  g_subprocess_send_signal (fixture->process, SIGTERM);
  g_subprocess_wait (fixture->process, NULL, NULL);
  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "restore", junk, NULL), ==, 1);
  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "restore", missing, NULL), ==, 1);
  keyserver_fixture_restart (fixture);
  g_clear_pointer (&client, client_free);
  client = client_new (fixture->base_url);

  /* The live database is untouched, and no half-restored file is left. */
  g_assert_cmpstr (key_status (client, alice, key->key_id), ==, "active");
  {
    g_autofree char *restoring = g_build_filename (fixture->data_dir, "keyserver.db.restoring",
                                                   NULL);

    g_assert_false (g_file_test (restoring, G_FILE_TEST_EXISTS));
  }
}

/* Audit chain ************************************************************/

/* Runs the server binary's admin command on the fixture's data; returns
 * its standard output, and whether it exited 0. */
static char *
admin_output (KeyserverFixture *fixture,
              gboolean         *ok,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("PHOTOSEAL_KEYSERVER"));
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, fixture->data_dir);
  va_start (args, ok);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *ok = g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0;
  return g_steal_pointer (&out);
}

/* "head HEX count N" from verify-audit's output. */
static void
read_head (const char *output,
           char      **head,
           char      **count)
{
  const char *line = strstr (output, "head ");
  g_auto(GStrv) words = NULL;

  g_assert_nonnull (line);
  words = g_strsplit_set (line, " \n", -1);
  g_assert_cmpstr (words[2], ==, "count");
  *head = g_strdup (words[1]);
  *count = g_strdup (words[3]);
}

static void
hash_text (crypto_generichash_state *state,
           const char               *text)
{
  guint8 len[4] = { strlen (text) >> 24, strlen (text) >> 16, strlen (text) >> 8, strlen (text) };

  crypto_generichash_update (state, len, sizeof len);
  crypto_generichash_update (state, (const guint8 *) text, strlen (text));
}

/* Issue 11, item 6: someone with write access to the database, but no
 * master key, rewrote an event, recomputed the (then unkeyed) hashes
 * after it and cut the last event off; verify-audit said intact. */
static void
test_audit_rewrite_with_recomputed_hashes_caught (KeyserverFixture *fixture,
                                                  gconstpointer     data)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  g_autoptr(User) alice = make_user (client, "alice@example.org");
  g_autoptr(User) bob = make_user (client, "bob@example.org");
  g_autoptr(Key) key = create_key_ok (client, alice, "[\"bob@example.org\"]");
  g_autofree char *database = g_build_filename (fixture->data_dir, "keyserver.db", NULL);
  g_autofree char *rows = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *head = NULL;
  g_autofree char *count = NULL;
  g_autoptr(GString) sql = g_string_new ("DROP TRIGGER events_no_update; "
                                         "DROP TRIGGER events_no_delete; ");
  g_auto(GStrv) lines = NULL;
  guint8 previous[32] = { 0 };
  gboolean ok = FALSE;
  guint n = 0;

  if (fixture->database != NULL)
    {
      g_test_skip ("The forger reads the rows with sqlite3");
      return;
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Reply) released = release_signed (client, bob, key->key_id, NULL, NULL);
      g_assert_cmpuint (released->status, ==, 200);
    }
  before = admin_output (fixture, &ok, "verify-audit", NULL);
  g_assert_true (ok);
  read_head (before, &head, &count);

  /* Bob's first release becomes Mallory's, every later hash is recomputed
   * the way an unkeyed chain is, and the last event is cut off. */
  {
    const char *argv[] = { "sqlite3", "-separator", "\t", database,
                           "SELECT id, key_id, at, action, actor, address FROM events ORDER BY id",
                           NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &rows, NULL, NULL,
                  NULL);
  }
  lines = g_strsplit (rows, "\n", -1);
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    n++;
  g_assert_cmpuint (n, >=, 4);
  for (guint i = 0; i + 1 < n; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
      crypto_generichash_state state;
      g_autofree char *numbers = g_strdup_printf ("%s %s", f[0], f[2]);
      const char *actor = i == 1 ? "mallory@example.org" : f[4];
      char hex[65];

      crypto_generichash_init (&state, NULL, 0, 32);
      crypto_generichash_update (&state, previous, 32);
      hash_text (&state, numbers);
      hash_text (&state, f[1]);
      hash_text (&state, f[3]);
      hash_text (&state, actor);
      hash_text (&state, f[5]);
      crypto_generichash_final (&state, previous, 32);
      sodium_bin2hex (hex, sizeof hex, previous, 32);
      g_string_append_printf (sql, "UPDATE events SET actor = '%s', hash = X'%s' WHERE id = %s; ",
                              actor, hex, f[0]);
    }
  {
    g_auto(GStrv) last = g_strsplit (lines[n - 1], "\t", -1);
    g_string_append_printf (sql, "DELETE FROM events WHERE id = %s;", last[0]);
  }
  keyserver_fixture_sql (fixture, sql->str, NULL);

  after = admin_output (fixture, &ok, "verify-audit", NULL);
  g_assert_false (ok);
}

/* A log only cut short is a valid prefix of itself: what catches that is
 * the head and count recorded elsewhere before. */
static void
test_audit_cut_short_caught_by_anchor (KeyserverFixture *fixture,
                                       gconstpointer     data)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  g_autoptr(User) alice = make_user (client, "alice@example.org");
  g_autoptr(Key) key = create_key_ok (client, alice, "[]");
  g_autofree char *first = NULL;
  g_autofree char *later = NULL;
  g_autofree char *head = NULL;
  g_autofree char *count = NULL;
  gboolean ok = FALSE;

  if (fixture->database != NULL)
    {
      g_test_skip ("Cut with sqlite3");
      return;
    }
  first = admin_output (fixture, &ok, "verify-audit", NULL);
  g_assert_true (ok);
  read_head (first, &head, &count);

  /* Appended to since: the anchor still holds. */
  {
    g_autoptr(Reply) released = release_signed (client, alice, key->key_id, NULL, NULL);
    g_autofree char *grown = NULL;

    g_assert_cmpuint (released->status, ==, 200);
    grown = admin_output (fixture, &ok, "verify-audit", "--expect-head", head, "--expect-count",
                          count, NULL);
    g_assert_true (ok);
  }
  keyserver_fixture_sql (fixture, "DROP TRIGGER events_no_delete; DELETE FROM events "
                                  "WHERE id >= (SELECT max (id) - 1 FROM events);", NULL);
  later = admin_output (fixture, &ok, "verify-audit", NULL);
  g_assert_true (ok);
  g_free (admin_output (fixture, &ok, "verify-audit", "--expect-head", head, "--expect-count",
                        count, NULL));
  g_assert_false (ok);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (sodium_init () < 0)
    return 1;

  keyserver_test_add ("/keyserver/admin/backup-restore", test_backup_restore);
  keyserver_test_add ("/keyserver/admin/restore-hostile", test_restore_hostile);
  keyserver_test_add ("/keyserver/admin/audit-rewrite-with-recomputed-hashes-caught",
                      test_audit_rewrite_with_recomputed_hashes_caught);
  keyserver_test_add ("/keyserver/admin/audit-cut-short-caught-by-anchor",
                      test_audit_cut_short_caught_by_anchor);
  return g_test_run ();
}
