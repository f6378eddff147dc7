/* test-keyserver-robustness.c: crashes, races, floods and TLS, against a real server
 *
 * Each test holds the real server process to a promise it makes under
 * pressure: a 201 for a new key survives a crash, no release is answered
 * with a key once its revocation was answered, a sign-in flood does not
 * starve releases, a connection the client closed is closed, and tokens
 * never cross a network in clear. Clients run on several threads, each
 * with its own SoupSession.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include <string.h>

#include <sodium.h>

#include "keyserver-test-client.h"

/* Waits, a bounded time, for worker threads to have counted @target. */
static void
wait_for_count (gint       *counter,
                gint        target,
                const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_atomic_int_get (counter) < target)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %d %s (got %d)", target, what, g_atomic_int_get (counter));
      g_usleep (1000);
    }
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* In microseconds; sorts @values. */
static gint64
percentile (GArray *values,
            double  fraction)
{
  guint index;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_int64);
  index = (guint) MAX (0.0, fraction * values->len - 1e-9);
  return g_array_index (values, gint64, MIN (index, values->len - 1));
}

/* Durability *************************************************************/

#define WRITERS 4
#define WRITE_TIME (1500 * G_TIME_SPAN_MILLISECOND)

/* Every acknowledged key must still open, for its owner, as it was. */
static void
check_keys_survived (KeyserverFixture *fixture,
                     KeyWriter        *writers)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  guint n_lost = 0, n_keys = 0;

  for (guint i = 0; i < WRITERS; i++)
    for (guint j = 0; j < writers[i].keys->len; j++)
      {
        Key *key = g_ptr_array_index (writers[i].keys, j);
        guint8 got[32];
        g_autoptr(Reply) reply = NULL;

        reply = release_signed (client, writers[i].owner, key->key_id, got, NULL);
        n_keys++;
        if (reply == NULL || reply->status != 200 || memcmp (got, key->server_key, 32) != 0)
          {
            g_test_message ("key %s, acknowledged with 201, is lost: %u %s", key->key_id,
                            reply ? reply->status : 0, reply ? reply->text : "(no answer)");
            n_lost++;
          }
      }
  g_test_message ("%u acknowledged keys checked after the crash", n_keys);
  g_assert_cmpuint (n_lost, ==, 0);
}

static void
test_durability (KeyserverFixture *fixture,
                 gconstpointer     data)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  KeyWriter writers[WRITERS] = { { 0 } };
  GThread *threads[WRITERS];
  gint stop = 0;
  gint64 killed_at;
  guint n_acknowledged = 0;

  for (guint i = 0; i < WRITERS; i++)
    {
      g_autofree char *email = g_strdup_printf ("writer%u@example.org", i);

      writers[i].base_url = g_strdup (fixture->base_url);
      writers[i].owner = make_user (client, email);
      writers[i].stop = &stop;
      writers[i].keys = g_ptr_array_new_with_free_func ((GDestroyNotify) key_free);
    }
  for (guint i = 0; i < WRITERS; i++)
    threads[i] = g_thread_new ("writer", key_writer_run, &writers[i]);

  /* A crash, not a shutdown: nothing gets a chance to flush. */
  g_usleep (WRITE_TIME);
  killed_at = g_get_monotonic_time ();
  g_subprocess_force_exit (fixture->process);
  g_atomic_int_set (&stop, 1);
  for (guint i = 0; i < WRITERS; i++)
    {
      g_thread_join (threads[i]);
      /* Every key was made, until the server was killed. */
      if (writers[i].failed_at != 0 && writers[i].failed_at < killed_at)
        g_error ("creating a key before the crash: %s", writers[i].failure);
      n_acknowledged += writers[i].keys->len;
    }
  g_test_message ("%u keys acknowledged before SIGKILL", n_acknowledged);
  g_assert_cmpuint (n_acknowledged, >=, 20);

  keyserver_fixture_restart (fixture);
  check_keys_survived (fixture, writers);
  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "verify-audit", NULL), ==, 0);

  for (guint i = 0; i < WRITERS; i++)
    key_writer_clear (&writers[i]);
}

/* Release against revoke ***************************************************/

#define RELEASERS 16
#define RACE_ROUNDS 3
/* A revocation waits for the releases in flight, not for the ones to come. */
#define REVOKE_PATIENCE 5
/* Enough for a revocation to get in between releases even so. */
#define SLOW_RELEASE_PAUSE (50 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  gint64 started;
  gint64 answered;
  guint status;         /* 0 when no answer came */
  const char *code;     /* interned */
  gboolean same_key;
} Attempt;

typedef struct
{
  char *base_url;
  User *recipient;
  Key *key;
  gint *stop;
  gint *slow_down;
  gint *n_released;
  gint *n_refused;
  GArray *attempts;
} Releaser;

static gpointer
release_repeatedly (gpointer data)
{
  Releaser *releaser = data;
  g_autoptr(Client) client = client_new (releaser->base_url);

  while (!g_atomic_int_get (releaser->stop))
    {
      g_autoptr(Reply) reply = NULL;
      Attempt attempt = { g_get_monotonic_time (), 0, 0, NULL, FALSE };
      guint8 got[32];

      reply = release_signed (client, releaser->recipient, releaser->key->key_id, got, NULL);
      attempt.answered = g_get_monotonic_time ();
      if (reply != NULL)
        {
          attempt.status = reply->status;
          attempt.code = g_intern_string (error_code (reply));
          attempt.same_key = reply->status == 200
                             && memcmp (got, releaser->key->server_key, 32) == 0;
        }
      g_array_append_val (releaser->attempts, attempt);
      if (attempt.status == 200)
        g_atomic_int_inc (releaser->n_released);
      else if (attempt.status == 410)
        g_atomic_int_inc (releaser->n_refused);
      if (g_atomic_int_get (releaser->slow_down))
        g_usleep (SLOW_RELEASE_PAUSE);
    }
  return NULL;
}

typedef struct
{
  guint released;
  guint refused;
  guint after_revoke;   /* started once the 204 was in */
  guint overtaken;      /* a 200 that arrived after the 204 */
} RaceCounts;

/* Every release started after the 204 was received gets 410 revoked;
 * the ones before it, the key itself; none gets a 5xx. */
static void
check_attempt (const Attempt *attempt,
               gint64         revoke_sent,
               gint64         revoke_done,
               RaceCounts    *counts)
{
  if (attempt->status == 200)
    {
      g_assert_true (attempt->same_key);
      g_assert_cmpint (attempt->started, <, revoke_done);
      counts->released++;
      counts->overtaken += attempt->answered > revoke_done;
    }
  else if (attempt->status == 410)
    {
      g_assert_cmpstr (attempt->code, ==, "revoked");
      g_assert_cmpint (attempt->answered, >, revoke_sent);
      counts->refused++;
    }
  else
    g_error ("a release got %u %s during the race", attempt->status,
             attempt->code ? attempt->code : "(no answer)");
  counts->after_revoke += attempt->started > revoke_done;
}

static void
check_race (Releaser *releasers,
            gint64    revoke_sent,
            gint64    revoke_done,
            Client   *client,
            User     *owner)
{
  Key *key = releasers[0].key;
  RaceCounts counts = { 0 };

  for (guint i = 0; i < RELEASERS; i++)
    for (guint j = 0; j < releasers[i].attempts->len; j++)
      check_attempt (&g_array_index (releasers[i].attempts, Attempt, j), revoke_sent, revoke_done,
                     &counts);
  g_test_message ("race: revoked in %.1f ms; %u released, %u refused, %u started after the 204, "
                  "%u answered 200 after the 204", (revoke_done - revoke_sent) / 1000.0,
                  counts.released, counts.refused, counts.after_revoke, counts.overtaken);
  g_assert_cmpuint (counts.released, >, 0);
  g_assert_cmpuint (counts.after_revoke, >, 0);

  /* The audit trail saw exactly what the clients saw; refusals by one
   * account from one address are written once a minute (a round may
   * straddle two). */
  g_assert_cmpuint (count_events (client, owner, key->key_id, "release"), ==, counts.released);
  if (counts.refused == 0)
    g_assert_cmpuint (count_events (client, owner, key->key_id, "deny"), ==, 0);
  else
    {
      g_assert_cmpuint (count_events (client, owner, key->key_id, "deny"), >=, 1);
      g_assert_cmpuint (count_events (client, owner, key->key_id, "deny"), <=, 2);
    }
  g_assert_cmpuint (count_events (client, owner, key->key_id, "revoke"), ==, 1);
}

typedef struct
{
  const char *base_url;
  User *owner;
  Key *key;
  gint64 sent;
  gint64 done;
  guint status;
  gint finished;
} Revocation;

static gpointer
run_revocation (gpointer data)
{
  Revocation *revocation = data;
  g_autoptr(Client) client = client_new (revocation->base_url);
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s", revocation->key->key_id);
  g_autoptr(Reply) reply = NULL;

  revocation->sent = g_get_monotonic_time ();
  reply = client_request (client, "DELETE", path, revocation->owner->token, NULL, NULL);
  revocation->done = g_get_monotonic_time ();
  revocation->status = reply ? reply->status : 0;
  g_atomic_int_set (&revocation->finished, 1);
  return NULL;
}

static gboolean
wait_for_flag (gint   *flag,
               gint64  timeout)
{
  gint64 deadline = g_get_monotonic_time () + timeout;

  while (!g_atomic_int_get (flag) && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  return g_atomic_int_get (flag);
}

/* Revokes while the releases go on; a revocation must get through them
 * within REVOKE_PATIENCE (a reader-preferring lock once held it off for
 * a minute). */
static void
revoke_under_load (Revocation *revocation,
                   gint       *slow_down)
{
  GThread *thread = g_thread_new ("revoker", run_revocation, revocation);

  if (!wait_for_flag (&revocation->finished, REVOKE_PATIENCE * G_USEC_PER_SEC))
    {
      g_test_fail_printf ("DELETE /v1/keys/ID got no answer within " G_STRINGIFY (REVOKE_PATIENCE)
                          " s while " G_STRINGIFY (RELEASERS) " clients kept releasing that key");
      g_atomic_int_set (slow_down, 1);
    }
  g_thread_join (thread);
  if (revocation->status != 204)
    g_error ("revoking under load: %u after %.1f s", revocation->status,
             (revocation->done - revocation->sent) / (double) G_USEC_PER_SEC);
}

static void
race_one_revocation (KeyserverFixture *fixture,
                     Client           *client,
                     User             *owner,
                     User             *recipient)
{
  g_autoptr(Key) key = create_key_ok (client, owner, "[\"bob@example.org\"]");
  Revocation revocation = { fixture->base_url, owner, key };
  Releaser releasers[RELEASERS];
  GThread *threads[RELEASERS];
  gint stop = 0, slow_down = 0, n_released = 0, n_refused = 0;

  for (guint i = 0; i < RELEASERS; i++)
    {
      releasers[i] = (Releaser) { g_strdup (fixture->base_url), recipient, key, &stop, &slow_down,
                                  &n_released, &n_refused,
                                  g_array_new (FALSE, FALSE, sizeof (Attempt)) };
      threads[i] = g_thread_new ("releaser", release_repeatedly, &releasers[i]);
    }

  /* Revoke while releases are in full flow, then let them run into it. */
  wait_for_count (&n_released, RELEASERS, "releases before revoking");
  revoke_under_load (&revocation, &slow_down);
  wait_for_count (&n_refused, 2 * RELEASERS, "refusals after revoking");
  g_atomic_int_set (&stop, 1);
  for (guint i = 0; i < RELEASERS; i++)
    g_thread_join (threads[i]);

  check_race (releasers, revocation.sent, revocation.done, client, owner);
  for (guint i = 0; i < RELEASERS; i++)
    {
      g_free (releasers[i].base_url);
      g_array_unref (releasers[i].attempts);
    }
}

static void
test_release_vs_revoke (KeyserverFixture *fixture,
                        gconstpointer     data)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  g_autoptr(User) alice = make_user (client, "alice@example.org");
  g_autoptr(User) bob = make_user (client, "bob@example.org");

  /* A race lost once in a while is still lost: run it a few times. */
  for (guint round = 0; round < RACE_ROUNDS; round++)
    race_one_revocation (fixture, client, alice, bob);
}

/* Concurrent releases **************************************************/

#define BURST_THREADS 16
#define BURST_RELEASES 25

typedef struct
{
  const char *base_url;
  User *recipient;
  Key *key;
  gint *n_released;     /* 200s carrying the right key */
  char *failure;        /* the first other answer */
} Burst;

static gpointer
release_burst (gpointer data)
{
  Burst *burst = data;
  g_autoptr(Client) client = client_new (burst->base_url);

  for (guint i = 0; i < BURST_RELEASES; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(Reply) reply = NULL;
      guint8 got[32];

      reply = release_signed (client, burst->recipient, burst->key->key_id, got, &error);
      if (reply != NULL && reply->status == 200 && memcmp (got, burst->key->server_key, 32) == 0)
        g_atomic_int_inc (burst->n_released);
      else if (burst->failure == NULL)
        burst->failure = reply ? g_strdup_printf ("%u %s", reply->status, reply->text)
                               : g_strdup (error->message);
    }
  return NULL;
}

/* Releases that share commits (the store batches concurrent writes) are
 * each answered with the key, each audited once, and the audit chain
 * stays whole. */
static void
test_concurrent_releases (KeyserverFixture *fixture,
                          gconstpointer     data)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  g_autoptr(User) alice = make_user (client, "alice@example.org");
  g_autoptr(User) bob = make_user (client, "bob@example.org");
  g_autoptr(Key) key = create_key_ok (client, alice, "[\"bob@example.org\"]");
  Burst bursts[BURST_THREADS];
  GThread *threads[BURST_THREADS];
  gint n_released = 0;

  for (guint i = 0; i < BURST_THREADS; i++)
    {
      bursts[i] = (Burst) { fixture->base_url, bob, key, &n_released, NULL };
      threads[i] = g_thread_new ("burst", release_burst, &bursts[i]);
    }
  for (guint i = 0; i < BURST_THREADS; i++)
    {
      g_thread_join (threads[i]);
      if (bursts[i].failure != NULL)
        g_test_fail_printf ("a concurrent release got %s", bursts[i].failure);
      g_free (bursts[i].failure);
    }

  g_assert_cmpint (n_released, ==, BURST_THREADS * BURST_RELEASES);
  g_assert_cmpuint (count_events (client, alice, key->key_id, "release"), ==,
                    BURST_THREADS * BURST_RELEASES);
  g_assert_cmpuint (count_events (client, alice, key->key_id, "deny"), ==, 0);
  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "verify-audit", NULL), ==, 0);

  /* The count the owner sees is the number of releases, not an estimate. */
  {
    g_autofree char *path = g_strdup_printf ("/v1/keys/%s", key->key_id);
    g_autoptr(Reply) reply = client_request_ok (client, "GET", path, alice->token, NULL);

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (reply->json), "releases"),
                     ==, BURST_THREADS * BURST_RELEASES);
  }
}

/* One nonce, many connections ********************************************/

#define REPLAY_THREADS 8
#define REPLAY_ROUNDS 10

/* Holds threads back until they can all go at once. */
typedef struct
{
  GMutex mutex;
  GCond cond;
  guint waiting;
  gboolean open;
} Gate;

static void
gate_wait (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->waiting++;
  g_cond_broadcast (&gate->cond);
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
}

static void
gate_open_when_full (Gate  *gate,
                     guint  n)
{
  g_mutex_lock (&gate->mutex);
  while (gate->waiting < n)
    g_cond_wait (&gate->cond, &gate->mutex);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
}

typedef struct
{
  const char *base_url;
  User *user;
  Key *key;
  const char *body;
  const guint8 *ephemeral_public;
  const guint8 *ephemeral_secret;
  Gate *gate;
  guint status;
  const char *code;     /* interned */
  gboolean same_key;
} Replayer;

static gpointer
send_shared_body (gpointer data)
{
  Replayer *replayer = data;
  g_autoptr(Client) client = client_new (replayer->base_url);
  g_autoptr(Reply) reply = NULL;
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s/release", replayer->key->key_id);
  guint8 got[32];

  gate_wait (replayer->gate);
  reply = client_request (client, "POST", path, replayer->user->token, replayer->body, NULL);
  release_open (reply, replayer->ephemeral_public, replayer->ephemeral_secret, got);
  if (reply != NULL)
    {
      replayer->status = reply->status;
      replayer->code = g_intern_string (error_code (reply));
      replayer->same_key = reply->status == 200
                           && memcmp (got, replayer->key->server_key, 32) == 0;
    }
  return NULL;
}

/* Sends one signed body from every thread at once; returns how many got
 * the key. All the others must be refused as replays. */
static guint
race_one_nonce (KeyserverFixture *fixture,
                User             *user,
                Key              *key)
{
  guint8 pk[32], sk[32];
  g_autofree char *body = release_body (user, key->key_id, pk, sk);
  Replayer replayers[REPLAY_THREADS];
  GThread *threads[REPLAY_THREADS];
  Gate gate = { 0 };
  guint n_released = 0;

  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);
  for (guint i = 0; i < REPLAY_THREADS; i++)
    {
      replayers[i] = (Replayer) { fixture->base_url, user, key, body, pk, sk, &gate };
      threads[i] = g_thread_new ("replayer", send_shared_body, &replayers[i]);
    }
  gate_open_when_full (&gate, REPLAY_THREADS);
  for (guint i = 0; i < REPLAY_THREADS; i++)
    {
      g_thread_join (threads[i]);
      if (replayers[i].status == 200)
        {
          g_assert_true (replayers[i].same_key);
          n_released++;
        }
      else
        {
          g_assert_cmpuint (replayers[i].status, ==, 401);
          g_assert_cmpstr (replayers[i].code, ==, "replayed");
        }
    }
  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);
  return n_released;
}

/* A nonce sent from several connections at once, so that its copies may
 * land in one commit, still opens the key exactly once. */
static void
test_concurrent_replays (KeyserverFixture *fixture,
                         gconstpointer     data)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  g_autoptr(User) alice = make_user (client, "alice@example.org");
  g_autoptr(User) bob = make_user (client, "bob@example.org");
  g_autoptr(Key) key = create_key_ok (client, alice, "[\"bob@example.org\"]");

  for (guint round = 0; round < REPLAY_ROUNDS; round++)
    g_assert_cmpuint (race_one_nonce (fixture, bob, key), ==, 1);

  g_assert_cmpuint (count_events (client, alice, key->key_id, "release"), ==, REPLAY_ROUNDS);
  g_assert_cmpint (keyserver_fixture_admin (fixture, NULL, "verify-audit", NULL), ==, 0);
}

/* Wrong access codes all at once ******************************************/

#define CODE_GUESSERS 20

typedef struct
{
  const char *base_url;
  const char *key_id;
  Gate *gate;
  guint status;
  const char *code;     /* interned */
} Guesser;

static gpointer
guess_code (gpointer data)
{
  Guesser *guesser = data;
  g_autoptr(Client) client = client_new (guesser->base_url);
  g_autoptr(Reply) reply = NULL;

  gate_wait (guesser->gate);
  reply = release_with_access_code (client, guesser->key_id, "22222-22222", NULL, NULL);
  if (reply != NULL)
    {
      guesser->status = reply->status;
      guesser->code = g_intern_string (error_code (reply));
    }
  return NULL;
}

/* A try is taken atomically before the code is checked: twenty wrong codes
 * at once get at most five bad_access_code between them, the rest 429, and
 * then the right code is locked out too. Counting a try only after a wrong
 * code lets every one of the twenty through to a check. */
static void
test_concurrent_wrong_codes (KeyserverFixture *fixture,
                             gconstpointer     data)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  g_autoptr(User) alice = make_user (client, "alice@example.org");
  g_autoptr(Key) key = g_new0 (Key, 1);
  g_autoptr(Reply) created = create_key (client, alice, "[],\"access_code\":true", key, NULL);
  g_autofree char *code = g_strdup (reply_string (created, "access_code"));
  g_autoptr(Reply) locked = NULL;
  Guesser guessers[CODE_GUESSERS];
  GThread *threads[CODE_GUESSERS];
  Gate gate = { 0 };
  guint n_bad = 0, n_locked = 0;

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_nonnull (code);
  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);
  for (guint i = 0; i < CODE_GUESSERS; i++)
    {
      guessers[i] = (Guesser) { fixture->base_url, key->key_id, &gate };
      threads[i] = g_thread_new ("guesser", guess_code, &guessers[i]);
    }
  gate_open_when_full (&gate, CODE_GUESSERS);
  for (guint i = 0; i < CODE_GUESSERS; i++)
    {
      g_thread_join (threads[i]);
      if (guessers[i].status == 403 && g_strcmp0 (guessers[i].code, "bad_access_code") == 0)
        n_bad++;
      else if (guessers[i].status == 429 && g_strcmp0 (guessers[i].code, "locked") == 0)
        n_locked++;
      else
        g_test_fail_printf ("a wrong code got %u %s", guessers[i].status, guessers[i].code);
    }
  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);

  g_test_message ("%u bad_access_code, %u locked", n_bad, n_locked);
  g_assert_cmpuint (n_bad, <=, 5);
  g_assert_cmpuint (n_bad + n_locked, ==, CODE_GUESSERS);
  locked = release_with_access_code (client, key->key_id, code, NULL, NULL);
  g_assert_cmpuint (locked->status, ==, 429);
  g_assert_cmpstr (error_code (locked), ==, "locked");
}

/* The master key's associated data ***************************************/

/* Each sealed key is bound to its key id: one key's row copied over
 * another's in the database must not release as the other key. */
static void
test_sealed_row_swapped (KeyserverFixture *fixture,
                         gconstpointer     data)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  g_autoptr(User) alice = make_user (client, "alice@example.org");
  g_autoptr(Key) first = create_key_ok (client, alice, "[]");
  g_autoptr(Key) second = create_key_ok (client, alice, "[]");
  g_autofree char *sqlite_sql = g_strdup_printf (
    "UPDATE keys SET sealed_key = (SELECT sealed_key FROM keys WHERE key_id = '%s') "
    "WHERE key_id = '%s';", first->key_id, second->key_id);
  g_autofree char *postgresql_sql = g_strdup (sqlite_sql);
  g_autoptr(Reply) reply = NULL;
  guint8 got[32] = { 0 };

  keyserver_fixture_sql (fixture, sqlite_sql, postgresql_sql);
  reply = release_signed (client, alice, second->key_id, got, NULL);
  g_assert_nonnull (reply);
  g_test_message ("the swapped row got %u %s", reply->status, reply->text);
  g_assert_true (memcmp (got, first->server_key, 32) != 0);
  g_assert_cmpuint (reply->status, !=, 200);

  /* The row left alone still releases. */
  {
    g_autoptr(Reply) fine = release_signed (client, alice, first->key_id, got, NULL);

    g_assert_cmpuint (fine->status, ==, 200);
    g_assert_cmpmem (got, 32, first->server_key, 32);
  }
}

/* Login flood ************************************************************/

#define LOGIN_FLOODERS 4
/* The server's failed sign-ins allowed per client address and window. */
#define MAX_ADDRESS_FAILURES 20
#define SIGNUP_FLOODERS 2
/* The sanitizer run (build-aux/run-tests --sanitize) is several times
 * slower; the flood lasts long enough there too for 20 releases. */
#ifdef __SANITIZE_ADDRESS__
#define SLOWDOWN 3
#else
#define SLOWDOWN 1
#endif
#define FLOOD_TIME (3 * SLOWDOWN * G_USEC_PER_SEC)
#define MAX_RELEASE_TIME (2 * SLOWDOWN * G_USEC_PER_SEC)

typedef struct
{
  char *base_url;
  guint id;
  gboolean signup;      /* new accounts rather than wrong passwords */
  gint *stop;
  gint *n_hashed;       /* answers that cost the server an Argon2id */
  GArray *latencies;    /* of those answers, in µs */
  guint n_rejected;     /* 401: a wrong password verified */
  guint n_throttled;
  guint n_unexpected;
} Flooder;

/* A wrong password for an email never seen, or a new account: both cost
 * the server one Argon2id, and only the first is throttled. */
static char *
flood_body (Flooder *flooder,
            guint    i)
{
  g_autofree char *email = g_strdup_printf ("flood%u-%u@example.org", flooder->id, i);
  guint8 device[crypto_sign_PUBLICKEYBYTES];

  if (flooder->signup)
    return g_strdup_printf ("{\"email\":\"%s\",\"password\":\"correct horse\",\"name\":\"F\"}",
                            email);
  randombytes_buf (device, sizeof device);
  return device_body (email, "wrong horse!", device);
}

static gpointer
flood (gpointer data)
{
  Flooder *flooder = data;
  g_autoptr(Client) client = client_new (flooder->base_url);
  guint expected = flooder->signup ? 201 : 401;

  for (guint i = 0; !g_atomic_int_get (flooder->stop); i++)
    {
      g_autofree char *body = flood_body (flooder, i);
      gint64 started = g_get_monotonic_time ();
      g_autoptr(Reply) reply = client_request (client, "POST",
                                               flooder->signup ? "/v1/accounts" : "/v1/sessions",
                                               NULL, body, NULL);
      gint64 latency = g_get_monotonic_time () - started;

      if (reply != NULL && reply->status == expected)
        {
          g_array_append_val (flooder->latencies, latency);
          g_atomic_int_inc (flooder->n_hashed);
          flooder->n_rejected += expected == 401;
        }
      else if (reply != NULL && reply->status == 429 && !flooder->signup)
        flooder->n_throttled++;
      else
        flooder->n_unexpected++;
    }
  return NULL;
}

/* Releases one key over and over for FLOOD_TIME, and on a slow machine on
 * until the flood has had @min_hashed more answers (at most 60 s), so that
 * the releases really overlapped the hashing; returns the latencies. */
static GArray *
release_during_flood (Client *client,
                      User   *owner,
                      Key    *key,
                      gint   *n_hashed,
                      gint    min_hashed)
{
  GArray *latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 start = g_get_monotonic_time ();
  gint hashed_at_start = g_atomic_int_get (n_hashed);

  while (g_get_monotonic_time () < start + FLOOD_TIME
         || (g_atomic_int_get (n_hashed) - hashed_at_start < min_hashed
             && g_get_monotonic_time () < start + 60 * G_USEC_PER_SEC))
    {
      gint64 started = g_get_monotonic_time ();
      guint8 got[32];
      g_autoptr(Reply) reply = release_signed (client, owner, key->key_id, got, NULL);
      gint64 latency = g_get_monotonic_time () - started;

      g_assert_nonnull (reply);
      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_cmpmem (got, 32, key->server_key, 32);
      g_assert_cmpint (latency, <, MAX_RELEASE_TIME);
      g_array_append_val (latencies, latency);
    }
  return latencies;
}

static void
test_login_flood (KeyserverFixture *fixture,
                  gconstpointer     data)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  g_autoptr(User) alice = make_user (client, "alice@example.org");
  g_autoptr(Key) key = create_key_ok (client, alice, "[]");
  g_autoptr(GArray) flood_latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) release_latencies = NULL;
  Flooder flooders[LOGIN_FLOODERS + SIGNUP_FLOODERS];
  GThread *threads[G_N_ELEMENTS (flooders)];
  gint stop = 0, n_hashed = 0, hashed_before, hashed_during;
  guint n_rejected = 0, n_throttled = 0;

  for (guint i = 0; i < G_N_ELEMENTS (flooders); i++)
    {
      flooders[i] = (Flooder) { g_strdup (fixture->base_url), i, i >= LOGIN_FLOODERS, &stop,
                                &n_hashed, g_array_new (FALSE, FALSE, sizeof (gint64)) };
      threads[i] = g_thread_new ("flooder", flood, &flooders[i]);
    }

  /* Releases start once the Argon2id workers are busy. */
  wait_for_count (&n_hashed, G_N_ELEMENTS (flooders), "flood answers");
  hashed_before = g_atomic_int_get (&n_hashed);
  release_latencies = release_during_flood (client, alice, key, &n_hashed,
                                           G_N_ELEMENTS (flooders));
  hashed_during = g_atomic_int_get (&n_hashed) - hashed_before;
  g_atomic_int_set (&stop, 1);

  for (guint i = 0; i < G_N_ELEMENTS (flooders); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (flooders[i].n_unexpected, ==, 0);
      g_array_append_vals (flood_latencies, flooders[i].latencies->data,
                           flooders[i].latencies->len);
      n_rejected += flooders[i].n_rejected;
      n_throttled += flooders[i].n_throttled;
      g_free (flooders[i].base_url);
      g_array_unref (flooders[i].latencies);
    }

  g_test_message ("flood: %d Argon2id answers (p50 %.1f ms, p99 %.1f ms), of them %u wrong "
                  "passwords, then %u throttled; %u releases (p50 %.1f ms, p99 %.1f ms)",
                  n_hashed, percentile (flood_latencies, 0.5) / 1000.0,
                  percentile (flood_latencies, 0.99) / 1000.0, n_rejected, n_throttled,
                  release_latencies->len, percentile (release_latencies, 0.5) / 1000.0,
                  percentile (release_latencies, 0.99) / 1000.0);
  g_assert_cmpuint (release_latencies->len, >=, 20);
  /* Every wrong password came from one address: the address throttle
   * stops them after MAX_ADDRESS_FAILURES (give or take one in flight per
   * flooder). On a slow machine the flood may not have reached the limit:
   * top it up, and the next wrong password is throttled. */
  g_assert_cmpuint (n_rejected, <, MAX_ADDRESS_FAILURES + LOGIN_FLOODERS);
  for (guint i = MIN (n_rejected, MAX_ADDRESS_FAILURES); i <= MAX_ADDRESS_FAILURES; i++)
    {
      Flooder last = { .id = 1000 };
      g_autofree char *body = flood_body (&last, i);
      g_autoptr(Reply) reply = client_request_ok (client, "POST", "/v1/sessions", NULL, body);

      g_assert_cmpuint (reply->status, ==, i < MAX_ADDRESS_FAILURES ? 401 : 429);
    }
  /* The Argon2id workers were kept busy all along, not only at the start. */
  g_assert_cmpint (hashed_during, >=, (gint) G_N_ELEMENTS (flooders));
  /* Releases queued behind Argon2id would be as slow as the flood. */
  g_assert_cmpint (percentile (release_latencies, 0.99), <, percentile (flood_latencies, 0.99));
}

/* Closed connections *****************************************************/

#define ONE_SHOT_CLIENTS 32
/* The main thread's connection, and some for libsoup and SQLite to come and go. */
#define FD_SLACK 8

static guint
count_open_files (KeyserverFixture *fixture)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd",
                                           g_subprocess_get_identifier (fixture->process));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Client processes that make a request or two and exit, as psf does, and
 * libsoup sessions that open a new connection for every POST: the server
 * must close its end of each connection the client closed. */
static void
close_connections_as_clients_do (KeyserverFixture *fixture)
{
  g_autoptr(SoupSession) poster = soup_session_new_with_options ("timeout", 10, NULL);

  for (guint i = 0; i < ONE_SHOT_CLIENTS; i++)
    {
      g_autoptr(SoupSession) one_shot = soup_session_new_with_options ("timeout", 10, NULL);
      g_autoptr(Reply) health = keyserver_session_request (one_shot, fixture->base_url, "GET",
                                                           "/v1/health", NULL, NULL, NULL);
      g_autoptr(Reply) refused = keyserver_session_request (poster, fixture->base_url, "POST",
                                                            "/v1/accounts", NULL, "{}", NULL);

      g_assert_nonnull (health);
      g_assert_cmpuint (health->status, ==, 200);
      g_assert_nonnull (refused);
      g_assert_cmpuint (refused->status, ==, 400);
    }
}

static void
test_closed_connections (KeyserverFixture *fixture,
                         gconstpointer     data)
{
  guint baseline = count_open_files (fixture);
  gint64 deadline;
  guint n_open;

  if (baseline == 0)
    {
      g_test_skip ("No /proc/PID/fd to count the server's open files");
      return;
    }

  close_connections_as_clients_do (fixture);

  /* The server learns of a close from its main loop: give it a moment. */
  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while ((n_open = count_open_files (fixture)) > baseline + FD_SLACK
         && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  g_test_message ("the server has %u files open, %u before %u client connections came and went",
                  n_open, baseline, 2 * ONE_SHOT_CLIENTS);
  /* libsoup 3.2 leaks the sockets of idle connections closed by clients
   * (fixed in 3.3); the server closes its connections there instead. */
  g_assert_cmpuint (n_open, <=, baseline + FD_SLACK);
}

/* TLS ********************************************************************/

static void
check_https (KeyserverFixture *fixture,
             const char       *ca_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca_path, &error);
  g_autoptr(SoupSession) trusting = NULL;
  g_autoptr(SoupSession) stranger = soup_session_new_with_options ("timeout", 10, NULL);
  g_autoptr(Reply) info = NULL;
  g_autoptr(Reply) refused = NULL;

  g_assert_no_error (error);
  trusting = soup_session_new_with_options ("timeout", 10, "tls-database", database, NULL);
  info = keyserver_session_request (trusting, fixture->base_url, "GET", "/v1/info", NULL, NULL,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->status, ==, 200);
  g_assert_cmpstr (reply_string (info, "name"), ==, "photoseal-keyserver");

  /* Without the CA, the certificate is not trusted, and nothing is sent. */
  refused = keyserver_session_request (stranger, fixture->base_url, "GET", "/v1/info", NULL, NULL,
                                       &error);
  g_assert_null (refused);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
}

/* Plain HTTP to the TLS port gets no answer worth the name. */
static void
check_no_plain_http (KeyserverFixture *fixture)
{
  g_autofree char *plain_url = g_strconcat ("http", fixture->base_url + strlen ("https"), NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) reply = keyserver_session_request (session, plain_url, "GET", "/v1/info", NULL,
                                                      NULL, &error);

  g_assert_true (reply == NULL || reply->status >= 400);
}

/* Whether openssl s_client completes a handshake with these options. */
static gboolean
openssl_handshakes (KeyserverFixture *fixture,
                    const char       *version,
                    const char       *ciphers)
{
  g_autofree char *connect = g_strdup (fixture->base_url + strlen ("https://"));
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_autoptr(GBytes) no_input = g_bytes_new_static ("", 0);

  /* TLS 1.3 suites are set apart; -cipher only limits 1.2 and below. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                              | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "openssl", "s_client", "-connect", connect, version, "-cipher",
                              ciphers, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate (process, no_input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0;
}

/* TLS 1.2 and up, and only key exchanges with forward secrecy. */
static void
check_tls_policy (KeyserverFixture *fixture)
{
  g_assert_true (openssl_handshakes (fixture, "-tls1_2", "ECDHE-RSA-AES128-GCM-SHA256"));
  g_assert_true (openssl_handshakes (fixture, "-tls1_3", "DEFAULT"));
  g_assert_false (openssl_handshakes (fixture, "-tls1_2", "AES128-SHA"));
  g_assert_false (openssl_handshakes (fixture, "-tls1_2", "AES256-GCM-SHA384"));
  g_assert_false (openssl_handshakes (fixture, "-tls1_1", "DEFAULT@SECLEVEL=0"));
  g_assert_false (openssl_handshakes (fixture, "-tls1", "DEFAULT@SECLEVEL=0"));
}

static void
on_refusal_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GMainLoop) loop = user_data;

  g_main_loop_quit (loop);
}

static gboolean
on_refusal_timeout (gpointer user_data)
{
  /* It started after all: end it, and the test fails below. */
  g_subprocess_force_exit (user_data);
  return G_SOURCE_REMOVE;
}

/* Plain HTTP on an address others can reach: the server must not start. */
static void
check_refuses_public_plain_http (const char *dir)
{
  g_autofree char *data_dir = g_build_filename (dir, "refused", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (10);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, g_getenv ("PHOTOSEAL_KEYSERVER"), "--listen", "0.0.0.0:0",
                              "--data-dir", data_dir, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, on_refusal_done, g_main_loop_ref (loop));
  g_source_set_callback (timeout, on_refusal_timeout, process, NULL);
  g_source_attach (timeout, NULL);
  g_main_loop_run (loop);
  g_source_destroy (timeout);

  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &errors, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
  lower = g_ascii_strdown (errors, -1);
  if (strstr (lower, "tls") == NULL)
    g_error ("the refusal does not mention TLS: %s", errors);
}

static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("photoseal-tls-XXXXXX", &error);
  g_autofree char *ca = NULL, *cert = NULL, *key = NULL;
  KeyserverFixture fixture = { 0 };

  g_assert_no_error (error);
  ca = g_build_filename (dir, "ca.pem", NULL);
  cert = g_build_filename (dir, "server.pem", NULL);
  key = g_build_filename (dir, "server.key", NULL);
  keyserver_make_certificates (dir);

  {
    const char * const tls_args[] = { "--tls-cert", cert, "--tls-key", key, NULL };

    keyserver_fixture_start_full (&fixture, "open", tls_args);
  }
  g_assert_true (g_str_has_prefix (fixture.base_url, "https://127.0.0.1:"));
  check_https (&fixture, ca);
  check_tls_policy (&fixture);
  check_no_plain_http (&fixture);
  keyserver_fixture_stop (&fixture);

  check_refuses_public_plain_http (dir);
  keyserver_remove_tree (dir);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

/* The key's row as the server stored it, read with the sqlite3 tool
 * beside the running server (WAL readers do not disturb it). */
static GBytes *
read_sealed_key (KeyserverFixture *fixture,
                 const char       *key_id)
{
  g_autofree char *database = g_build_filename (fixture->data_dir, "keyserver.db", NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT hex (sealed_key) FROM keys WHERE key_id = '%s';",
                                          key_id);
  g_autofree char *hex = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "sqlite3", database, sql, NULL };
  guint8 *raw;
  gsize len;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &hex, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_strstrip (hex);
  len = strlen (hex) / 2;
  g_assert_cmpuint (len, >=, 32);
  raw = g_malloc (len);
  g_assert_cmpint (sodium_hex2bin (raw, len, hex, strlen (hex), NULL, NULL, NULL), ==, 0);
  return g_bytes_new_take (raw, len);
}

static gboolean
file_holds (const char *path,
            GBytes     *needle)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  return memmem (contents, len, g_bytes_get_data (needle, NULL), g_bytes_get_size (needle)) != NULL;
}

/* A revocation overwrites the wrapped key in the database; the WAL frames
 * written when the key was made still held it until the WAL was truncated
 * after the revocation. */
static void
test_revocation_truncates_wal (KeyserverFixture *fixture,
                               gconstpointer     data)
{
  g_autoptr(Client) client = client_new (fixture->base_url);
  g_autoptr(User) alice = make_user (client, "alice@example.org");
  g_autoptr(Key) key = create_key_ok (client, alice, "[\"bob@example.org\"]");
  g_autofree char *wal = g_build_filename (fixture->data_dir, "keyserver.db-wal", NULL);
  g_autofree char *db = g_build_filename (fixture->data_dir, "keyserver.db", NULL);
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s", key->key_id);
  g_autoptr(Reply) revoked = NULL;
  g_autoptr(GBytes) sealed = NULL;
  gint64 deadline;

  if (fixture->database != NULL)
    {
      g_test_skip ("PostgreSQL keeps no WAL file in the data folder");
      return;
    }
  g_assert_cmpint (file_size (wal), >, 0);
  sealed = read_sealed_key (fixture, key->key_id);
  g_assert_true (file_holds (wal, sealed) || file_holds (db, sealed));
  revoked = client_request_ok (client, "DELETE", path, alice->token, NULL);
  g_assert_cmpuint (revoked->status, ==, 204);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (file_size (wal) > 0 && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  g_assert_cmpint (file_size (wal), ==, 0);
  /* Not only an empty WAL: the sealed bytes are nowhere on disk. */
  g_assert_false (file_holds (wal, sealed));
  g_assert_false (file_holds (db, sealed));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (sodium_init () < 0)
    return 1;

  keyserver_test_add ("/keyserver/robustness/durability", test_durability);
  keyserver_test_add ("/keyserver/robustness/release-vs-revoke", test_release_vs_revoke);
  keyserver_test_add ("/keyserver/robustness/concurrent-releases", test_concurrent_releases);
  keyserver_test_add ("/keyserver/robustness/concurrent-replays", test_concurrent_replays);
  keyserver_test_add ("/keyserver/robustness/concurrent-wrong-codes", test_concurrent_wrong_codes);
  keyserver_test_add ("/keyserver/robustness/sealed-row-swapped", test_sealed_row_swapped);
  keyserver_test_add ("/keyserver/robustness/login-flood", test_login_flood);
  keyserver_test_add ("/keyserver/robustness/closed-connections", test_closed_connections);
  keyserver_test_add ("/keyserver/robustness/revocation-truncates-wal",
                      test_revocation_truncates_wal);
  g_test_add_func ("/keyserver/robustness/tls", test_tls);

  return g_test_run ();
}
