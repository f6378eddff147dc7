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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (sodium_init () < 0)
    return 1;

  keyserver_test_add ("/keyserver/admin/backup-restore", test_backup_restore);
  keyserver_test_add ("/keyserver/admin/restore-hostile", test_restore_hostile);
  return g_test_run ();
}
