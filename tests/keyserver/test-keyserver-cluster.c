/* test-keyserver-cluster.c: two key-server nodes on one PostgreSQL database
 *
 * Two real photoseal-keyserver processes share a database (from
 * with-postgresql) and a master key, as they would behind a load balancer.
 * Whatever one node does, the other must know at once: keys, sessions,
 * revocations, access-code tries, login failures, release nonces and the
 * audit chain. Without PHOTOSEAL_TEST_DATABASE every test is skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "keyserver-test-client.h"

typedef struct
{
  KeyserverFixture a;
  KeyserverFixture b;
} Cluster;

static void
cluster_set_up (Cluster       *cluster,
                gconstpointer  data)
{
  if (!keyserver_fixture_uses_postgresql ())
    {
      g_test_skip ("needs a PostgreSQL cluster: run through tests/keyserver/with-postgresql");
      return;
    }
  keyserver_fixture_start (&cluster->a, "open");
  keyserver_fixture_start_node (&cluster->b, &cluster->a);
}

/* B first: it is a guest on A's database, which A drops. */
static void
cluster_tear_down (Cluster       *cluster,
                   gconstpointer  data)
{
  if (cluster->a.data_dir == NULL)
    return;
  keyserver_fixture_stop (&cluster->b);
  keyserver_fixture_stop (&cluster->a);
}

static void
test_create_here_release_there (Cluster       *cluster,
                                gconstpointer  data)
{
  g_autoptr(Client) a = NULL;
  g_autoptr(Client) b = NULL;
  g_autoptr(User) alice = NULL;
  g_autoptr(User) bob = NULL;
  g_autoptr(Key) key = NULL;
  g_autoptr(Reply) released = NULL;
  g_autoptr(Reply) by_owner = NULL;
  guint8 got[32];

  if (cluster->a.data_dir == NULL)
    return;
  a = client_new (cluster->a.base_url);
  b = client_new (cluster->b.base_url);
  /* Alice signs up and in on A, Bob on B: sessions are shared too. */
  alice = make_user (a, "alice@example.org");
  bob = make_user (b, "bob@example.org");
  key = create_key_ok (a, alice, "[\"bob@example.org\"]");

  released = release_signed (b, bob, key->key_id, got, NULL);
  g_assert_cmpuint (released->status, ==, 200);
  g_assert_cmpmem (got, 32, key->server_key, 32);
  by_owner = release_signed (b, alice, key->key_id, got, NULL);
  g_assert_cmpuint (by_owner->status, ==, 200);
  g_assert_cmpmem (got, 32, key->server_key, 32);
  /* Both releases, made on B, are in the trail A shows. */
  g_assert_cmpuint (count_events (a, alice, key->key_id, "release"), ==, 2);
}

/* Revocation, under load *************************************************/

#define RELEASERS 4

/* Written once by the main thread: @at first, then @revoked. */
typedef struct
{
  gint revoked;
  gint64 at;            /* when B answered 204 */
} Revocation;

typedef struct
{
  char *base_url;
  User *user;
  const char *key_id;
  gint *stop;
  Revocation *revocation;
  guint n_released;
  guint n_refused;
  char *late;           /* a 200 for a release sent after the 204 */
} Releaser;

static gpointer
release_until_stopped (gpointer data)
{
  Releaser *releaser = data;
  g_autoptr(Client) client = client_new (releaser->base_url);

  while (!g_atomic_int_get (releaser->stop))
    {
      gint64 revoked_before = g_atomic_int_get (&releaser->revocation->revoked) ?
                              releaser->revocation->at : 0;
      gint64 sent = g_get_monotonic_time ();
      g_autoptr(Reply) reply = release_signed (client, releaser->user, releaser->key_id, NULL,
                                               NULL);

      g_assert_nonnull (reply);
      if (reply->status == 200)
        {
          releaser->n_released++;
          if (revoked_before != 0 && sent > revoked_before && releaser->late == NULL)
            releaser->late = g_strdup_printf ("sent %" G_GINT64_FORMAT " µs after the 204",
                                              sent - revoked_before);
        }
      else if (reply->status == 429)
        {
          /* A fast machine refuses more than 600 a minute from one address,
           * and the refusals are then throttled: still refused. */
          g_assert_cmpstr (error_code (reply), ==, "throttled");
          g_assert_cmpuint (releaser->n_refused, >, 0);
          releaser->n_refused++;
        }
      else
        {
          g_assert_cmpuint (reply->status, ==, 410);
          g_assert_cmpstr (error_code (reply), ==, "revoked");
          releaser->n_refused++;
        }
    }
  return NULL;
}

/* In a key's trail, no release may come after its revocation. */
static void
assert_no_release_after_revoke (Client     *client,
                                User       *owner,
                                const char *key_id)
{
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s/events", key_id);
  g_autoptr(Reply) reply = client_request_ok (client, "GET", path, owner->token, NULL);
  JsonArray *events = json_node_get_array (reply->json);
  gboolean revoked = FALSE;

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      const char *action = json_object_get_string_member (json_array_get_object_element (events, i),
                                                          "action");

      if (g_str_equal (action, "release"))
        g_assert_false (revoked);
      revoked |= g_str_equal (action, "revoke");
    }
  g_assert_true (revoked);
}

static void
test_revoke_there_refused_here (Cluster       *cluster,
                                gconstpointer  data)
{
  g_autoptr(Client) a = NULL;
  g_autoptr(Client) b = NULL;
  g_autoptr(User) alice = NULL;
  g_autoptr(Key) key = NULL;
  g_autofree char *path = NULL;
  Releaser releasers[RELEASERS] = { { 0 } };
  GThread *threads[RELEASERS];
  gint stop = 0;
  Revocation revocation = { 0 };
  guint n_released = 0;

  if (cluster->a.data_dir == NULL)
    return;
  a = client_new (cluster->a.base_url);
  b = client_new (cluster->b.base_url);
  alice = make_user (a, "alice@example.org");
  key = create_key_ok (a, alice, "[]");
  path = g_strdup_printf ("/v1/keys/%s", key->key_id);

  /* Releases keep coming on A while B revokes. */
  for (guint i = 0; i < RELEASERS; i++)
    {
      releasers[i].base_url = cluster->a.base_url;
      releasers[i].user = alice;
      releasers[i].key_id = key->key_id;
      releasers[i].stop = &stop;
      releasers[i].revocation = &revocation;
      threads[i] = g_thread_new ("releaser", release_until_stopped, &releasers[i]);
    }
  g_usleep (500 * G_TIME_SPAN_MILLISECOND);
  {
    g_autoptr(Reply) revoked = client_request_ok (b, "DELETE", path, alice->token, NULL);

    revocation.at = g_get_monotonic_time ();
    g_atomic_int_set (&revocation.revoked, 1);
    g_assert_cmpuint (revoked->status, ==, 204);
  }

  /* The very next release on A is refused. */
  {
    g_autoptr(Reply) next = release_signed (a, alice, key->key_id, NULL, NULL);

    g_assert_cmpuint (next->status, ==, 410);
    g_assert_cmpstr (error_code (next), ==, "revoked");
  }
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  g_atomic_int_set (&stop, 1);
  for (guint i = 0; i < RELEASERS; i++)
    {
      g_thread_join (threads[i]);
      if (releasers[i].late != NULL)
        g_error ("a release on A was answered with the key after B revoked it: %s",
                 releasers[i].late);
      g_assert_cmpuint (releasers[i].n_refused, >, 0);
      n_released += releasers[i].n_released;
    }
  g_test_message ("%u releases on A before the revocation on B", n_released);
  g_assert_cmpuint (n_released, >, 0);
  /* Every key handed out is in the trail, all before the revocation. */
  g_assert_cmpuint (count_events (b, alice, key->key_id, "release"), ==, n_released);
  assert_no_release_after_revoke (b, alice, key->key_id);
}

static void
test_access_code_tries_shared (Cluster       *cluster,
                               gconstpointer  data)
{
  g_autoptr(Client) a = NULL;
  g_autoptr(Client) b = NULL;
  g_autoptr(User) alice = NULL;
  g_autoptr(Key) key = g_new0 (Key, 1);
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) locked = NULL;
  g_autofree char *code = NULL;
  guint8 got[32];

  if (cluster->a.data_dir == NULL)
    return;
  a = client_new (cluster->a.base_url);
  b = client_new (cluster->b.base_url);
  alice = make_user (a, "alice@example.org");
  created = create_key (a, alice, "[],\"access_code\":true", key, NULL);
  g_assert_cmpuint (created->status, ==, 201);
  code = g_strdup (reply_string (created, "access_code"));
  g_assert_nonnull (code);

  {
    g_autoptr(Reply) right = release_with_access_code (b, key->key_id, code, got, NULL);

    g_assert_cmpuint (right->status, ==, 200);
    g_assert_cmpmem (got, 32, key->server_key, 32);
  }
  /* Five wrong codes, spread over both nodes, lock the key on both. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Reply) wrong = release_with_access_code (i % 2 ? b : a, key->key_id,
                                                         "AAAA-AAAA-AAA", NULL, NULL);

      g_assert_cmpuint (wrong->status, ==, 403);
      g_assert_cmpstr (error_code (wrong), ==, "bad_access_code");
    }
  locked = release_with_access_code (a, key->key_id, code, NULL, NULL);
  g_assert_cmpuint (locked->status, ==, 429);
  g_assert_cmpstr (error_code (locked), ==, "locked");
  {
    g_autoptr(Reply) also = release_with_access_code (b, key->key_id, code, NULL, NULL);

    g_assert_cmpuint (also->status, ==, 429);
  }
}

static void
test_login_throttling_shared (Cluster       *cluster,
                              gconstpointer  data)
{
  g_autoptr(Client) a = NULL;
  g_autoptr(Client) b = NULL;
  g_autoptr(User) alice = NULL;
  g_autoptr(Reply) blocked = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *right = NULL;

  if (cluster->a.data_dir == NULL)
    return;
  a = client_new (cluster->a.base_url);
  b = client_new (cluster->b.base_url);
  alice = make_user (a, "alice@example.org");
  wrong = device_body ("alice@example.org", "wrong horse!", alice->device_public);
  right = device_body ("alice@example.org", "correct horse", alice->device_public);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Reply) reply = client_request_ok (i % 2 ? a : b, "POST", "/v1/sessions", NULL,
                                                  wrong);

      g_assert_cmpuint (reply->status, ==, 401);
    }
  blocked = client_request_ok (a, "POST", "/v1/sessions", NULL, right);
  g_assert_cmpuint (blocked->status, ==, 429);
  g_assert_cmpstr (error_code (blocked), ==, "throttled");
}

static void
test_replay_to_other_node (Cluster       *cluster,
                           gconstpointer  data)
{
  g_autoptr(Client) a = NULL;
  g_autoptr(Client) b = NULL;
  g_autoptr(User) alice = NULL;
  g_autoptr(Key) key = NULL;
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) again = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  guint8 pk[32], sk[32], got[32];

  if (cluster->a.data_dir == NULL)
    return;
  a = client_new (cluster->a.base_url);
  b = client_new (cluster->b.base_url);
  alice = make_user (a, "alice@example.org");
  key = create_key_ok (a, alice, "[]");
  path = g_strdup_printf ("/v1/keys/%s/release", key->key_id);
  body = release_body (alice, key->key_id, pk, sk);

  first = client_request_ok (a, "POST", path, alice->token, body);
  g_assert_cmpuint (first->status, ==, 200);
  release_open (first, pk, sk, got);
  g_assert_cmpmem (got, 32, key->server_key, 32);

  /* The same signed request, captured and sent to the other node. */
  again = client_request_ok (b, "POST", path, alice->token, body);
  g_assert_cmpuint (again->status, ==, 401);
  g_assert_cmpstr (error_code (again), ==, "replayed");
  g_assert_cmpuint (count_events (a, alice, key->key_id, "release"), ==, 1);
}

/* Concurrent appends to the audit chain ***********************************/

#define AUDITORS 3
#define AUDIT_ROUNDS 15

typedef struct
{
  char *base_url;
  User *user;
  GPtrArray *keys;      /* char *: keys made */
  guint n_releases;
} Auditor;

static gpointer
create_and_release (gpointer data)
{
  Auditor *auditor = data;
  g_autoptr(Client) client = client_new (auditor->base_url);

  for (guint i = 0; i < AUDIT_ROUNDS; i++)
    {
      g_autoptr(Key) key = create_key_ok (client, auditor->user, "[]");
      g_autoptr(Reply) released = release_signed (client, auditor->user, key->key_id, NULL, NULL);

      g_assert_cmpuint (released->status, ==, 200);
      auditor->n_releases++;
      g_ptr_array_add (auditor->keys, g_strdup (key->key_id));
    }
  return NULL;
}

static void
test_concurrent_audit (Cluster       *cluster,
                       gconstpointer  data)
{
  g_autoptr(Client) a = NULL;
  g_autoptr(User) alice = NULL;
  Auditor auditors[2 * AUDITORS] = { { 0 } };
  GThread *threads[2 * AUDITORS];

  if (cluster->a.data_dir == NULL)
    return;
  a = client_new (cluster->a.base_url);
  alice = make_user (a, "alice@example.org");
  for (guint i = 0; i < 2 * AUDITORS; i++)
    {
      auditors[i].base_url = i % 2 ? cluster->b.base_url : cluster->a.base_url;
      auditors[i].user = alice;
      auditors[i].keys = g_ptr_array_new_with_free_func (g_free);
      threads[i] = g_thread_new ("auditor", create_and_release, &auditors[i]);
    }
  for (guint i = 0; i < 2 * AUDITORS; i++)
    g_thread_join (threads[i]);

  /* One chain, not two forks: verify-audit walks it from either node. */
  g_assert_cmpint (keyserver_fixture_admin (&cluster->a, NULL, "verify-audit", NULL), ==, 0);
  g_assert_cmpint (keyserver_fixture_admin (&cluster->b, NULL, "verify-audit", NULL), ==, 0);
  for (guint i = 0; i < 2 * AUDITORS; i++)
    {
      for (guint j = 0; j < auditors[i].keys->len; j++)
        {
          const char *key_id = g_ptr_array_index (auditors[i].keys, j);

          g_assert_cmpuint (count_events (a, alice, key_id, "create"), ==, 1);
          g_assert_cmpuint (count_events (a, alice, key_id, "release"), ==, 1);
        }
      g_ptr_array_unref (auditors[i].keys);
    }

  /* And tampering with it is still caught. */
  keyserver_fixture_sql (&cluster->a, NULL,
                         "ALTER TABLE events DISABLE TRIGGER events_no_update; "
                         "UPDATE events SET address = '10.6.6.6' WHERE id = 7;");
  g_assert_cmpint (keyserver_fixture_admin (&cluster->b, NULL, "verify-audit", NULL), !=, 0);
}

/* One node killed ********************************************************/

#define WRITERS_PER_NODE 2

static void
test_node_killed (Cluster       *cluster,
                  gconstpointer  data)
{
  g_autoptr(Client) a = NULL;
  g_autoptr(Client) b = NULL;
  KeyWriter writers[2 * WRITERS_PER_NODE] = { { 0 } };
  GThread *threads[2 * WRITERS_PER_NODE];
  gint stop = 0;
  gint64 killed_at;
  guint n_keys = 0;

  if (cluster->a.data_dir == NULL)
    return;
  a = client_new (cluster->a.base_url);
  b = client_new (cluster->b.base_url);
  for (guint i = 0; i < 2 * WRITERS_PER_NODE; i++)
    {
      g_autofree char *email = g_strdup_printf ("writer%u@example.org", i);

      writers[i].base_url = g_strdup (i % 2 ? cluster->b.base_url : cluster->a.base_url);
      writers[i].owner = make_user (i % 2 ? b : a, email);
      writers[i].stop = &stop;
      writers[i].keys = g_ptr_array_new_with_free_func ((GDestroyNotify) key_free);
    }
  for (guint i = 0; i < 2 * WRITERS_PER_NODE; i++)
    threads[i] = g_thread_new ("writer", key_writer_run, &writers[i]);

  g_usleep (1500 * G_TIME_SPAN_MILLISECOND);
  killed_at = g_get_monotonic_time ();
  g_subprocess_force_exit (cluster->a.process);
  g_subprocess_wait (cluster->a.process, NULL, NULL);
  /* B keeps serving while A is gone. */
  g_usleep (1500 * G_TIME_SPAN_MILLISECOND);
  g_atomic_int_set (&stop, 1);

  for (guint i = 0; i < 2 * WRITERS_PER_NODE; i++)
    {
      g_thread_join (threads[i]);
      n_keys += writers[i].keys->len;
      /* B's writers were still getting 201s after A died. */
      if (i % 2)
        g_assert_cmpint (writers[i].last_ok, >, killed_at);
    }
  g_test_message ("%u keys acknowledged by both nodes", n_keys);

  /* Every key either node acknowledged opens on B, as it was made. */
  for (guint i = 0; i < 2 * WRITERS_PER_NODE; i++)
    for (guint j = 0; j < writers[i].keys->len; j++)
      {
        Key *key = g_ptr_array_index (writers[i].keys, j);
        g_autoptr(Reply) reply = NULL;
        guint8 got[32];

        reply = release_signed (b, writers[i].owner, key->key_id, got, NULL);
        g_assert_nonnull (reply);
        if (reply->status != 200 || memcmp (got, key->server_key, 32) != 0)
          g_error ("key %s, acknowledged with 201, is lost: %u %s", key->key_id, reply->status,
                   reply->text);
      }
  g_assert_cmpint (keyserver_fixture_admin (&cluster->b, NULL, "verify-audit", NULL), ==, 0);

  /* A comes back, as a supervisor would start it, and serves the same keys. */
  keyserver_fixture_restart (&cluster->a);
  {
    g_autoptr(Client) again = client_new (cluster->a.base_url);
    Key *key = g_ptr_array_index (writers[1].keys, writers[1].keys->len - 1);
    guint8 got[32];
    g_autoptr(Reply) reply = release_signed (again, writers[1].owner, key->key_id, got, NULL);

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpmem (got, 32, key->server_key, 32);
  }
  for (guint i = 0; i < 2 * WRITERS_PER_NODE; i++)
    key_writer_clear (&writers[i]);
}

/* A node with another master key would make keys no other node can open. */
static void
test_other_master_key_refused (Cluster       *cluster,
                               gconstpointer  data)
{
  g_autofree char *other = NULL;
  guint8 bytes[32];

  if (cluster->a.data_dir == NULL)
    return;
  other = g_build_filename (cluster->b.data_dir, "other.key", NULL);
  randombytes_buf (bytes, sizeof bytes);
  g_assert_true (g_file_set_contents (other, (const char *) bytes, sizeof bytes, NULL));
  g_assert_cmpint (g_chmod (other, 0600), ==, 0);
  g_assert_cmpint (keyserver_fixture_admin (&cluster->b, NULL, "--listen", "127.0.0.1:0",
                                            "--master-key-file", other, NULL), !=, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (sodium_init () < 0)
    return 1;

#define ADD(path, func) g_test_add (path, Cluster, NULL, cluster_set_up, func, cluster_tear_down)
  ADD ("/keyserver/cluster/create-here-release-there", test_create_here_release_there);
  ADD ("/keyserver/cluster/revoke-there-refused-here", test_revoke_there_refused_here);
  ADD ("/keyserver/cluster/access-code-tries-shared", test_access_code_tries_shared);
  ADD ("/keyserver/cluster/login-throttling-shared", test_login_throttling_shared);
  ADD ("/keyserver/cluster/replay-to-other-node", test_replay_to_other_node);
  ADD ("/keyserver/cluster/concurrent-audit", test_concurrent_audit);
  ADD ("/keyserver/cluster/node-killed", test_node_killed);
  ADD ("/keyserver/cluster/other-master-key-refused", test_other_master_key_refused);
#undef ADD

  return g_test_run ();
}
