/* test-store-contract.c: one contract, every store
 *
 * The same cases run in-process against each PhotosealStore, linked from
 * libphotoseal-keyserver: SQLite in a fresh folder and, when the server is
 * built with PostgreSQL, a fresh database of the throwaway cluster that
 * with-postgresql starts. The PostgreSQL cases fail, never skip, when no
 * cluster is there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>

#include "keyserver-fixture.h"
#include "photoseal-sqlite-store.h"
#ifdef HAVE_LIBPQ
#include "photoseal-postgres-store.h"
#endif

#define T0 1800000000
#define NONCE_LIFETIME 300

typedef enum
{
  BACKEND_SQLITE,
  BACKEND_POSTGRESQL,
} Backend;

typedef struct
{
  Backend backend;
  PhotosealStore *store;
  char *dir;
  char *database_name;
} StoreFixture;

static void
store_set_up (StoreFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->backend = GPOINTER_TO_INT (data);
  fixture->dir = g_dir_make_tmp ("photoseal-store-XXXXXX", &error);
  g_assert_no_error (error);
  if (fixture->backend == BACKEND_SQLITE)
    {
      g_autofree char *path = g_build_filename (fixture->dir, "keyserver.db", NULL);

      fixture->store = PHOTOSEAL_STORE (photoseal_sqlite_store_open (path, &error));
    }
  else
    {
#ifdef HAVE_LIBPQ
      g_autofree char *uri = NULL;

      if (!keyserver_fixture_uses_postgresql ())
        g_error ("no PostgreSQL cluster: run this test under tests/keyserver/with-postgresql");
      uri = keyserver_test_database_new (&fixture->database_name);
      fixture->store = PHOTOSEAL_STORE (photoseal_postgres_store_open (uri, &error));
#endif
    }
  g_assert_no_error (error);
  g_assert_true (PHOTOSEAL_IS_STORE (fixture->store));
}

static void
store_tear_down (StoreFixture  *fixture,
                 gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  if (fixture->database_name != NULL)
    keyserver_test_database_drop (fixture->database_name);
  keyserver_remove_tree (fixture->dir);
  g_free (fixture->database_name);
  g_free (fixture->dir);
}

/* Runs SQL behind the store's back, as someone with the database could. */
static void
store_sql (StoreFixture *fixture,
           const char   *sqlite_sql,
           const char   *postgresql_sql)
{
  g_autofree char *path = g_build_filename (fixture->dir, "keyserver.db", NULL);
  sqlite3 *db = NULL;

  if (fixture->backend == BACKEND_POSTGRESQL)
    {
      keyserver_test_database_exec (fixture->database_name, postgresql_sql);
      return;
    }
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sqlite_sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static PhotosealAccount *
add_account (StoreFixture *fixture,
             const char   *email)
{
  g_autoptr(GError) error = NULL;
  PhotosealAccount *account = photoseal_store_add_account (fixture->store, email, "Someone",
                                                           "$argon2id$fake", T0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (account);
  return account;
}

static PhotosealEvent
event_at (gint64      at,
          const char *action,
          const char *actor)
{
  PhotosealEvent event = { at, (char *) action, (char *) actor, (char *) "192.0.2.1" };

  return event;
}

/* A key owned by @owner, with @recipients and an access code. */
static void
add_key (StoreFixture       *fixture,
         const char         *key_id,
         PhotosealAccount   *owner,
         const char * const *recipients)
{
  static const guint8 sealed[48] = { 1, 2, 3 };
  g_autoptr(GBytes) sealed_key = g_bytes_new_static (sealed, sizeof sealed);
  PhotosealKeyRecord record = {
    .key_id = (char *) key_id, .owner_id = owner->id, .sealed_key = sealed_key,
    .created = T0, .access_code_hash = (char *) "$argon2id$code",
    .recipients = (GStrv) recipients,
  };
  PhotosealEvent event = event_at (T0, "create", owner->email);
  g_autoptr(GError) error = NULL;

  g_assert_true (photoseal_store_add_key (fixture->store, &record, &event, &error));
  g_assert_no_error (error);
}

static PhotosealKeyRecord *
find_key (StoreFixture *fixture,
          const char   *key_id)
{
  g_autoptr(GError) error = NULL;
  PhotosealKeyRecord *record = photoseal_store_find_key (fixture->store, key_id, &error);

  g_assert_no_error (error);
  return record;
}

static guint
count_events (StoreFixture *fixture,
              const char   *key_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = photoseal_store_list_events (fixture->store, key_id, &error);

  g_assert_no_error (error);
  return events->len;
}

/* Accounts **************************************************************/

static void
test_accounts (StoreFixture  *fixture,
               gconstpointer  data)
{
  g_autoptr(PhotosealAccount) bob = add_account (fixture, "Bob@Example.org");
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");
  g_autoptr(PhotosealAccount) found = NULL;
  g_autoptr(PhotosealAccount) by_id = NULL;
  g_autoptr(PhotosealAccount) taken = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (bob->email, ==, "Bob@Example.org");
  g_assert_cmpstr (bob->name, ==, "Someone");
  g_assert_cmpstr (bob->password_hash, ==, "$argon2id$fake");
  g_assert_cmpint (bob->created, ==, T0);
  g_assert_false (bob->disabled);
  g_assert_cmpint (bob->id, !=, alice->id);

  /* Emails compare without case, and keep the case they were given. */
  found = photoseal_store_find_account (fixture->store, "bob@EXAMPLE.ORG", &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, bob->id);
  g_assert_cmpstr (found->email, ==, "Bob@Example.org");
  by_id = photoseal_store_find_account_by_id (fixture->store, alice->id, &error);
  g_assert_cmpstr (by_id->email, ==, "alice@example.org");

  accounts = photoseal_store_list_accounts (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 2);
  g_assert_cmpstr (((PhotosealAccount *) accounts->pdata[0])->email, ==, "alice@example.org");
  g_assert_cmpstr (((PhotosealAccount *) accounts->pdata[1])->email, ==, "Bob@Example.org");
}

static void
test_accounts_hostile (StoreFixture  *fixture,
                       gconstpointer  data)
{
  g_autoptr(PhotosealAccount) bob = add_account (fixture, "bob@example.org");
  g_autoptr(PhotosealAccount) again = NULL;
  g_autoptr(PhotosealAccount) missing = NULL;
  g_autoptr(GError) error = NULL;

  again = photoseal_store_add_account (fixture->store, "BOB@example.org", "Other", "$x", T0,
                                       &error);
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_EMAIL_TAKEN);
  g_assert_null (again);
  g_clear_error (&error);

  /* Not found is NULL without an error, not a failure. */
  missing = photoseal_store_find_account (fixture->store, "eve@example.org", &error);
  g_assert_no_error (error);
  g_assert_null (missing);
  missing = photoseal_store_find_account_by_id (fixture->store, bob->id + 1000, &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  /* Look-alikes are other addresses (or none), never bob's: U+017F long
   * s and U+212A Kelvin sign case-fold to s and k. */
  missing = photoseal_store_find_account (fixture->store, "bob@example.org\xe2\x80\x8b", &error);
  g_assert_no_error (error);
  g_assert_null (missing);
  {
    g_autoptr(PhotosealAccount) sam = add_account (fixture, "sam@example.org");
    g_autoptr(PhotosealAccount) kim = add_account (fixture, "kim@example.org");
    g_autoptr(PhotosealAccount) long_s = NULL;
    g_autoptr(PhotosealAccount) kelvin = NULL;

    long_s = photoseal_store_find_account (fixture->store, "\xc5\xbf" "am@example.org", &error);
    g_assert_no_error (error);
    g_assert_null (long_s);
    kelvin = photoseal_store_find_account (fixture->store, "\xe2\x84\xaa" "im@example.org", &error);
    g_assert_no_error (error);
    g_assert_null (kelvin);
  }

  g_assert_false (photoseal_store_set_account_disabled (fixture->store, "eve@example.org", TRUE,
                                                        &error));
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND);
}

/* Sessions **************************************************************/

static void
add_session (StoreFixture     *fixture,
             PhotosealAccount *account,
             guint8            tag,
             gint64            expires)
{
  guint8 token_hash[PHOTOSEAL_TOKEN_HASH_SIZE];
  guint8 device_key[32];
  g_autoptr(GError) error = NULL;

  memset (token_hash, tag, sizeof token_hash);
  memset (device_key, tag + 1, sizeof device_key);
  g_assert_true (photoseal_store_add_session (fixture->store, token_hash, account->id, "device-1",
                                              "Laptop", device_key, expires, &error));
  g_assert_no_error (error);
}

static PhotosealSession *
find_session (StoreFixture *fixture,
              guint8        tag,
              gint64        now)
{
  guint8 token_hash[PHOTOSEAL_TOKEN_HASH_SIZE];
  g_autoptr(GError) error = NULL;
  PhotosealSession *session;

  memset (token_hash, tag, sizeof token_hash);
  session = photoseal_store_find_session (fixture->store, token_hash, now, &error);
  g_assert_no_error (error);
  return session;
}

static void
test_sessions (StoreFixture  *fixture,
               gconstpointer  data)
{
  g_autoptr(PhotosealAccount) bob = add_account (fixture, "bob@example.org");
  g_autoptr(PhotosealSession) session = NULL;
  g_autoptr(PhotosealSession) gone = NULL;
  guint8 token_hash[PHOTOSEAL_TOKEN_HASH_SIZE];
  guint8 device_key[32];
  g_autoptr(GError) error = NULL;

  add_session (fixture, bob, 7, T0 + 3600);
  session = find_session (fixture, 7, T0);
  g_assert_nonnull (session);
  g_assert_cmpint (session->account_id, ==, bob->id);
  g_assert_cmpstr (session->device_id, ==, "device-1");
  g_assert_cmpint (session->expires, ==, T0 + 3600);
  memset (device_key, 8, sizeof device_key);
  g_assert_cmpmem (session->device_public_key, 32, device_key, 32);

  memset (token_hash, 7, sizeof token_hash);
  g_assert_true (photoseal_store_remove_session (fixture->store, token_hash, &error));
  g_assert_no_error (error);
  gone = find_session (fixture, 7, T0);
  g_assert_null (gone);
}

static void
test_sessions_hostile (StoreFixture  *fixture,
                       gconstpointer  data)
{
  g_autoptr(PhotosealAccount) bob = add_account (fixture, "bob@example.org");
  g_autoptr(GError) error = NULL;
  PhotosealSession *session;

  /* A session ends at the second it expires. */
  add_session (fixture, bob, 1, T0 + 60);
  g_assert_null (find_session (fixture, 1, T0 + 60));
  g_assert_null (find_session (fixture, 2, T0));

  /* A disabled account's sessions end, and stay ended once it is enabled. */
  add_session (fixture, bob, 3, T0 + 3600);
  g_assert_true (photoseal_store_set_account_disabled (fixture->store, "BOB@example.org", TRUE,
                                                       &error));
  g_assert_no_error (error);
  g_assert_null (find_session (fixture, 3, T0));
  g_assert_true (photoseal_store_set_account_disabled (fixture->store, "bob@example.org", FALSE,
                                                       &error));
  g_assert_null (find_session (fixture, 3, T0));

  /* A session made for a disabled account is not found either. */
  photoseal_store_set_account_disabled (fixture->store, "bob@example.org", TRUE, &error);
  g_assert_no_error (error);
  add_session (fixture, bob, 4, T0 + 3600);
  session = find_session (fixture, 4, T0);
  g_assert_null (session);
}

static void
test_failures (StoreFixture  *fixture,
               gconstpointer  data)
{
  PhotosealStore *store = fixture->store;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (photoseal_store_add_failure (store, "bob", T0, 60, &error), ==, 1);
  g_assert_cmpuint (photoseal_store_add_failure (store, "bob", T0 + 30, 60, &error), ==, 2);
  g_assert_cmpuint (photoseal_store_add_failure (store, "eve", T0 + 30, 60, &error), ==, 1);
  g_assert_cmpuint (photoseal_store_count_failures (store, "bob", T0 + 59, 60, &error), ==, 2);
  /* The window slides: the first failure is forgotten after 60 s. */
  g_assert_cmpuint (photoseal_store_count_failures (store, "bob", T0 + 60, 60, &error), ==, 1);
  g_assert_cmpuint (photoseal_store_add_failure (store, "bob", T0 + 61, 60, &error), ==, 2);
  photoseal_store_clear_failures (store, "bob");
  g_assert_cmpuint (photoseal_store_count_failures (store, "bob", T0 + 61, 60, &error), ==, 0);
  g_assert_cmpuint (photoseal_store_count_failures (store, "eve", T0 + 61, 60, &error), ==, 1);
  g_assert_no_error (error);
}

/* Keys ******************************************************************/

static void
test_keys (StoreFixture  *fixture,
           gconstpointer  data)
{
  static const char * const recipients[] = { "Carol@example.org", "bob@example.org",
                                             "BOB@example.org", NULL };
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");
  g_autoptr(PhotosealKeyRecord) record = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;

  add_key (fixture, "key-one", alice, recipients);
  record = find_key (fixture, "key-one");
  g_assert_cmpstr (record->key_id, ==, "key-one");
  g_assert_cmpint (record->owner_id, ==, alice->id);
  g_assert_cmpstr (record->owner_email, ==, "alice@example.org");
  g_assert_cmpuint (g_bytes_get_size (record->sealed_key), ==, 48);
  g_assert_cmpint (record->created, ==, T0);
  g_assert_cmpint (record->expires, ==, 0);
  g_assert_cmpint (record->revoked, ==, 0);
  g_assert_cmpstr (record->access_code_hash, ==, "$argon2id$code");
  g_assert_cmpuint (record->access_code_tries, ==, PHOTOSEAL_ACCESS_CODE_TRIES);
  g_assert_cmpuint (record->releases, ==, 0);
  /* One recipient per address whatever its case, in address order. */
  g_assert_cmpuint (g_strv_length (record->recipients), ==, 2);
  g_assert_cmpstr (record->recipients[0], ==, "bob@example.org");
  g_assert_cmpstr (record->recipients[1], ==, "Carol@example.org");
  g_assert_cmpint (photoseal_key_record_status (record, T0), ==, PHOTOSEAL_KEY_ACTIVE);

  add_key (fixture, "key-two", alice, (const char * const[]) { NULL });
  keys = photoseal_store_list_keys (fixture->store, alice->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 2);
  g_clear_pointer (&keys, g_ptr_array_unref);
  keys = photoseal_store_list_keys (fixture->store, alice->id + 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 0);
  g_assert_cmpuint (count_events (fixture, "key-one"), ==, 1);
}

static void
test_keys_update (StoreFixture  *fixture,
                  gconstpointer  data)
{
  static const char * const recipients[] = { "dave@example.org", NULL };
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");
  g_autoptr(PhotosealKeyRecord) record = NULL;
  PhotosealKeyUpdate expiry = { .set_expires = TRUE, .expires = T0 + 100 };
  PhotosealKeyUpdate others = { .recipients = recipients, .access_code_hash = "$argon2id$new" };
  PhotosealEvent event = event_at (T0 + 1, "update", "alice@example.org");
  g_autoptr(GError) error = NULL;

  add_key (fixture, "key-one", alice, (const char * const[]) { "bob@example.org", NULL });
  g_assert_true (photoseal_store_take_access_code_try (fixture->store, "key-one", &error));
  g_assert_true (photoseal_store_update_key (fixture->store, "key-one", &expiry, &event, &error));
  g_assert_no_error (error);
  record = find_key (fixture, "key-one");
  g_assert_cmpint (record->expires, ==, T0 + 100);
  g_assert_cmpstr (record->recipients[0], ==, "bob@example.org");
  g_assert_cmpuint (record->access_code_tries, ==, PHOTOSEAL_ACCESS_CODE_TRIES - 1);
  g_assert_cmpint (photoseal_key_record_status (record, T0 + 99), ==, PHOTOSEAL_KEY_ACTIVE);
  g_assert_cmpint (photoseal_key_record_status (record, T0 + 100), ==, PHOTOSEAL_KEY_EXPIRED);
  g_clear_pointer (&record, photoseal_key_record_free);

  /* A new access code gets every try back; recipients are replaced. */
  g_assert_true (photoseal_store_update_key (fixture->store, "key-one", &others, &event, &error));
  record = find_key (fixture, "key-one");
  g_assert_cmpint (record->expires, ==, T0 + 100);
  g_assert_cmpstrv (record->recipients, ((const char * const[]) { "dave@example.org", NULL }));
  g_assert_cmpstr (record->access_code_hash, ==, "$argon2id$new");
  g_assert_cmpuint (record->access_code_tries, ==, PHOTOSEAL_ACCESS_CODE_TRIES);
  g_assert_cmpuint (count_events (fixture, "key-one"), ==, 3);
}

/* Policy MACs **********************************************************/

static void
set_policy_key (void)
{
  guint8 key[32];

  memset (key, 7, sizeof key);
  photoseal_store_set_policy_key (key);
}

static gboolean
policy_intact (StoreFixture *fixture,
               const char   *key_id)
{
  g_autoptr(PhotosealKeyRecord) record = find_key (fixture, key_id);

  return photoseal_key_record_policy_intact (record);
}

static gboolean
update_tampered (StoreFixture             *fixture,
                 const char               *key_id,
                 const PhotosealKeyUpdate *update)
{
  PhotosealEvent event = event_at (T0 + 1, "update", "alice@example.org");
  g_autoptr(GError) error = NULL;

  if (photoseal_store_update_key (fixture->store, key_id, update, &event, &error))
    return FALSE;
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_TAMPERED);
  return TRUE;
}

/* Someone who can write the database but has no master key adds himself
 * to a key's recipients, or extends its expiry: the MAC no longer checks,
 * and the owner's next change does not bless it. The owner's own changes
 * keep it intact. */
static void
test_database_writer_adds_recipient (StoreFixture  *fixture,
                                     gconstpointer  data)
{
  static const char * const bob[] = { "bob@example.org", NULL };
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");
  PhotosealKeyUpdate expiry = { .set_expires = TRUE, .expires = T0 + 100 };
  PhotosealKeyUpdate recipients = { .recipients = (const char * const[]) { "Carol@example.org",
                                                                           NULL } };
  PhotosealKeyUpdate code = { .access_code_hash = "$argon2id$new" };
  PhotosealEvent event = event_at (T0 + 1, "update", "alice@example.org");
  const char *mallory_sql = "INSERT INTO key_recipients VALUES ('key-one', "
                            "'mallory@example.org', 'mallory@example.org'); "
                            "UPDATE keys SET expires = 4102444800 WHERE key_id = 'key-two';";
  g_autoptr(GError) error = NULL;

  set_policy_key ();
  add_key (fixture, "key-one", alice, bob);
  add_key (fixture, "key-two", alice, bob);
  add_key (fixture, "key-three", alice, bob);
  g_assert_true (policy_intact (fixture, "key-one"));

  /* The owner's changes, and a used access-code try, keep it intact. */
  g_assert_true (photoseal_store_update_key (fixture->store, "key-three", &expiry, &event, &error));
  g_assert_true (photoseal_store_update_key (fixture->store, "key-three", &recipients, &event,
                                             &error));
  g_assert_true (photoseal_store_update_key (fixture->store, "key-three", &code, &event, &error));
  g_assert_true (photoseal_store_take_access_code_try (fixture->store, "key-three", &error));
  g_assert_no_error (error);
  g_assert_true (policy_intact (fixture, "key-three"));

  store_sql (fixture, mallory_sql, mallory_sql);
  g_assert_false (policy_intact (fixture, "key-one"));
  g_assert_false (policy_intact (fixture, "key-two"));
  g_assert_true (policy_intact (fixture, "key-three"));
  g_assert_true (update_tampered (fixture, "key-one", &expiry));
  g_assert_true (update_tampered (fixture, "key-two", &code));
  g_assert_false (policy_intact (fixture, "key-one"));

  /* A code the writer knows, or a MAC blanked, does no better. */
  store_sql (fixture,
             "UPDATE keys SET access_code_hash = '$argon2id$mallory' WHERE key_id = 'key-three';",
             "UPDATE keys SET access_code_hash = '$argon2id$mallory' WHERE key_id = 'key-three';");
  g_assert_false (policy_intact (fixture, "key-three"));
  store_sql (fixture, "UPDATE keys SET policy_mac = NULL WHERE key_id = 'key-three';",
             "UPDATE keys SET policy_mac = NULL WHERE key_id = 'key-three';");
  g_assert_false (policy_intact (fixture, "key-three"));
  photoseal_store_set_policy_key (NULL);
}

/* Keys made before policy MACs get theirs once, at the first start with
 * the master key; after that, a blanked MAC is not filled in again, and a
 * missing record of the upgrade is an error. */
static void
test_policy_backfill (StoreFixture  *fixture,
                      gconstpointer  data)
{
  static const char * const bob[] = { "bob@example.org", NULL };
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");
  g_autoptr(GError) error = NULL;

  add_key (fixture, "key-one", alice, bob);
  add_key (fixture, "key-two", alice, bob);
  set_policy_key ();
  g_assert_false (policy_intact (fixture, "key-one"));
  g_assert_cmpint (photoseal_store_seal_key_policies (fixture->store, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_true (policy_intact (fixture, "key-one"));
  g_assert_true (policy_intact (fixture, "key-two"));
  g_assert_cmpint (photoseal_store_seal_key_policies (fixture->store, &error), ==, 0);
  g_assert_no_error (error);

  store_sql (fixture,
             "UPDATE keys SET policy_mac = NULL, expires = 0 WHERE key_id = 'key-one';",
             "UPDATE keys SET policy_mac = NULL, expires = 0 WHERE key_id = 'key-one';");
  g_assert_cmpint (photoseal_store_seal_key_policies (fixture->store, &error), ==, 0);
  g_assert_false (policy_intact (fixture, "key-one"));

  store_sql (fixture, "DELETE FROM settings WHERE name = 'photoseal/key-policy-sealed';",
             "DELETE FROM settings WHERE name = 'photoseal/key-policy-sealed';");
  g_assert_cmpint (photoseal_store_seal_key_policies (fixture->store, &error), ==, -1);
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED);
  g_assert_false (policy_intact (fixture, "key-one"));
  photoseal_store_set_policy_key (NULL);
}

static void
test_keys_revoke (StoreFixture  *fixture,
                  gconstpointer  data)
{
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");
  g_autoptr(PhotosealKeyRecord) record = NULL;
  g_autoptr(PhotosealKeyRecord) missing = NULL;
  PhotosealEvent revoke = event_at (T0 + 5, "revoke", "alice@example.org");
  PhotosealEvent again = event_at (T0 + 9, "revoke", "alice@example.org");
  g_autoptr(GError) error = NULL;

  add_key (fixture, "key-one", alice, (const char * const[]) { NULL });
  g_assert_true (photoseal_store_revoke_key (fixture->store, "key-one", &revoke, &error));
  g_assert_no_error (error);
  record = find_key (fixture, "key-one");
  g_assert_null (record->sealed_key);
  g_assert_null (record->access_code_hash);
  g_assert_cmpint (record->revoked, ==, T0 + 5);
  g_assert_cmpint (photoseal_key_record_status (record, T0), ==, PHOTOSEAL_KEY_REVOKED);
  g_clear_pointer (&record, photoseal_key_record_free);

  /* Revoking twice (two nodes, two clicks) keeps the first revocation
   * and audits it once. */
  g_assert_true (photoseal_store_revoke_key (fixture->store, "key-one", &again, &error));
  g_assert_no_error (error);
  record = find_key (fixture, "key-one");
  g_assert_cmpint (record->revoked, ==, T0 + 5);
  g_assert_cmpuint (count_events (fixture, "key-one"), ==, 2);

  missing = find_key (fixture, "no-such-key");
  g_assert_null (missing);
}

/* Releases and access codes *********************************************/

static void
test_release_counter (StoreFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");
  g_autoptr(PhotosealKeyRecord) record = NULL;
  PhotosealEvent release = event_at (T0 + 1, "release", "bob@example.org");
  PhotosealEvent deny = event_at (T0 + 2, "deny", "eve@example.org");
  PhotosealEvent own = event_at (T0 + 3, "release", "alice@example.org");
  g_autoptr(GError) error = NULL;

  add_key (fixture, "key-one", alice, (const char * const[]) { "bob@example.org", NULL });
  add_key (fixture, "key-two", alice, (const char * const[]) { "bob@example.org", NULL });
  for (int i = 0; i < 3; i++)
    g_assert_true (photoseal_store_add_event (fixture->store, "key-one", &release, NULL, 0,
                                              &error));
  g_assert_true (photoseal_store_add_event (fixture->store, "key-one", &deny, NULL, 0, &error));
  /* The owner's own opening is not an opening by a recipient. */
  g_assert_true (photoseal_store_add_event (fixture->store, "key-one", &own, NULL, 0, &error));
  g_assert_true (photoseal_store_add_event (fixture->store, "key-two", &release, NULL, 0, &error));
  g_assert_no_error (error);

  record = find_key (fixture, "key-one");
  g_assert_cmpuint (record->releases, ==, 3);
  g_clear_pointer (&record, photoseal_key_record_free);
  record = find_key (fixture, "key-two");
  g_assert_cmpuint (record->releases, ==, 1);
}

/* No release is recorded for a key revoked before the release commits:
 * the key server's answer must not claim a key the audit log says was
 * gone. */
static void
test_release_after_revoke (StoreFixture  *fixture,
                           gconstpointer  data)
{
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");
  g_autoptr(PhotosealKeyRecord) record = NULL;
  PhotosealEvent revoke = event_at (T0 + 1, "revoke", "alice@example.org");
  PhotosealEvent release = event_at (T0 + 2, "release", "bob@example.org");
  PhotosealEvent deny = event_at (T0 + 2, "deny", "bob@example.org");
  guint8 nonce[PHOTOSEAL_NONCE_SIZE] = { 9 };
  g_autoptr(GError) error = NULL;

  add_key (fixture, "key-one", alice, (const char * const[]) { "bob@example.org", NULL });
  g_assert_true (photoseal_store_revoke_key (fixture->store, "key-one", &revoke, &error));
  g_assert_false (photoseal_store_add_event (fixture->store, "key-one", &release, nonce,
                                             NONCE_LIFETIME, &error));
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_REVOKED);
  g_clear_error (&error);

  /* Nothing of the refused release stays, not even its nonce: the denial
   * is recorded with it. */
  g_assert_true (photoseal_store_add_event (fixture->store, "key-one", &deny, nonce,
                                            NONCE_LIFETIME, &error));
  g_assert_no_error (error);
  record = find_key (fixture, "key-one");
  g_assert_cmpuint (record->releases, ==, 0);
  g_assert_cmpuint (count_events (fixture, "key-one"), ==, 3);
}

static void
test_access_code_tries (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");
  g_autoptr(PhotosealKeyRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  add_key (fixture, "key-one", alice, (const char * const[]) { NULL });
  for (int i = 0; i < PHOTOSEAL_ACCESS_CODE_TRIES; i++)
    g_assert_true (photoseal_store_take_access_code_try (fixture->store, "key-one", &error));
  g_assert_false (photoseal_store_take_access_code_try (fixture->store, "key-one", &error));
  g_assert_no_error (error);

  /* A try given back (the right code, or a failure of the server's own)
   * can be taken again, but never more than the key was given. */
  photoseal_store_return_access_code_try (fixture->store, "key-one");
  g_assert_true (photoseal_store_take_access_code_try (fixture->store, "key-one", &error));
  g_assert_false (photoseal_store_take_access_code_try (fixture->store, "key-one", &error));
  for (int i = 0; i < PHOTOSEAL_ACCESS_CODE_TRIES + 3; i++)
    photoseal_store_return_access_code_try (fixture->store, "key-one");
  record = find_key (fixture, "key-one");
  g_assert_cmpuint (record->access_code_tries, ==, PHOTOSEAL_ACCESS_CODE_TRIES);

  g_assert_false (photoseal_store_take_access_code_try (fixture->store, "no-such-key", &error));
  g_assert_no_error (error);
}

/* Mailed codes ***********************************************************/

static void
test_codes (StoreFixture  *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;

  g_assert_true (photoseal_store_put_code (fixture->store, "dora@example.org", "verify", "h1",
                                           2000, &error));
  g_assert_no_error (error);
  hash = photoseal_store_take_code_try (fixture->store, "dora@example.org", "verify", 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hash, ==, "h1");
  g_clear_pointer (&hash, g_free);

  /* A new code replaces the old, with every try back; purposes are apart. */
  g_assert_true (photoseal_store_put_code (fixture->store, "dora@example.org", "verify", "h2",
                                           2000, &error));
  hash = photoseal_store_take_code_try (fixture->store, "dora@example.org", "verify", 1000, &error);
  g_assert_cmpstr (hash, ==, "h2");
  g_clear_pointer (&hash, g_free);
  g_assert_null (photoseal_store_take_code_try (fixture->store, "dora@example.org", "reset", 1000,
                                                &error));
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (photoseal_store_remove_code (fixture->store, "dora@example.org", "verify",
                                              &error));
  g_assert_null (photoseal_store_take_code_try (fixture->store, "dora@example.org", "verify", 1000,
                                                &error));
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND);
}

static void
test_codes_hostile (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (photoseal_store_put_code (fixture->store, "dora@example.org", "verify", "h",
                                           2000, &error));
  for (int i = 0; i < PHOTOSEAL_CODE_TRIES; i++)
    g_free (photoseal_store_take_code_try (fixture->store, "dora@example.org", "verify", 1000,
                                           &error));
  g_assert_no_error (error);
  /* The sixth guess gets no hash to check against. */
  g_assert_null (photoseal_store_take_code_try (fixture->store, "dora@example.org", "verify", 1000,
                                                &error));
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  /* An expired code is no code, whatever its tries. */
  g_assert_true (photoseal_store_put_code (fixture->store, "eve@example.org", "verify", "h",
                                           2000, &error));
  g_assert_null (photoseal_store_take_code_try (fixture->store, "eve@example.org", "verify", 2000,
                                                &error));
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Another address's code is not this one's. */
  g_assert_null (photoseal_store_take_code_try (fixture->store, "mallory@example.org", "verify",
                                                1000, &error));
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND);
}

/* A reset ends every session of the account, and only of that account. */
static void
test_reset_password (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr(PhotosealAccount) bob = add_account (fixture, "bob@example.org");
  g_autoptr(PhotosealAccount) carol = add_account (fixture, "carol@example.org");
  g_autoptr(PhotosealAccount) changed = NULL;
  g_autoptr(PhotosealSession) bobs = NULL;
  g_autoptr(PhotosealSession) carols = NULL;
  g_autoptr(GError) error = NULL;

  add_session (fixture, bob, 7, T0 + 3600);
  add_session (fixture, carol, 9, T0 + 3600);
  g_assert_true (photoseal_store_reset_password (fixture->store, "bob@example.org", "$new",
                                                 &error));
  g_assert_no_error (error);
  changed = photoseal_store_find_account (fixture->store, "bob@example.org", &error);
  g_assert_cmpstr (changed->password_hash, ==, "$new");
  bobs = find_session (fixture, 7, T0);
  g_assert_null (bobs);
  carols = find_session (fixture, 9, T0);
  g_assert_nonnull (carols);

  g_assert_false (photoseal_store_reset_password (fixture->store, "nobody@example.org", "$new",
                                                  &error));
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND);
}

/* A device is removed for its own account only. */
static void
test_devices (StoreFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr(PhotosealAccount) bob = add_account (fixture, "bob@example.org");
  g_autoptr(PhotosealAccount) carol = add_account (fixture, "carol@example.org");
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(PhotosealSession) bobs = NULL;
  g_autoptr(PhotosealSession) carols = NULL;
  g_autoptr(GError) error = NULL;
  PhotosealDevice *device;

  add_session (fixture, bob, 7, T0 + 3600);
  add_session (fixture, bob, 11, T0 + 7200);
  add_session (fixture, carol, 9, T0 + 3600);
  devices = photoseal_store_list_devices (fixture->store, bob->id, T0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 1);
  device = devices->pdata[0];
  g_assert_cmpstr (device->id, ==, "device-1");
  g_assert_cmpstr (device->name, ==, "Laptop");
  g_assert_cmpint (device->expires, ==, T0 + 7200);

  /* Device ids are per account: Carol's device-1 is not Bob's. */
  g_assert_true (photoseal_store_remove_device (fixture->store, carol->id, "device-1", &error));
  g_assert_no_error (error);
  carols = find_session (fixture, 9, T0);
  g_assert_null (carols);
  bobs = find_session (fixture, 11, T0);
  g_assert_nonnull (bobs);
  g_clear_pointer (&bobs, photoseal_session_free);

  g_assert_true (photoseal_store_remove_device (fixture->store, bob->id, "device-1", &error));
  bobs = find_session (fixture, 11, T0);
  g_assert_null (bobs);
  g_assert_false (photoseal_store_remove_device (fixture->store, bob->id, "device-1", &error));
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND);
}

/* The audit log *********************************************************/

static void
test_audit (StoreFixture  *fixture,
            gconstpointer  data)
{
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");
  PhotosealEvent release = event_at (T0 + 1, "release", "bob@example.org");
  g_autoptr(GPtrArray) events = NULL;
  PhotosealEvent *last;
  guint64 n_events = 0;
  g_autoptr(GError) error = NULL;

  add_key (fixture, "key-one", alice, (const char * const[]) { NULL });
  add_key (fixture, "key-two", alice, (const char * const[]) { NULL });
  g_assert_true (photoseal_store_add_event (fixture->store, "key-one", &release, NULL, 0, &error));
  g_assert_true (photoseal_store_verify_audit (fixture->store, &n_events, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_events, ==, 3);

  events = photoseal_store_list_events (fixture->store, "key-one", &error);
  g_assert_cmpuint (events->len, ==, 2);
  last = g_ptr_array_index (events, 1);
  g_assert_cmpint (last->at, ==, T0 + 1);
  g_assert_cmpstr (last->action, ==, "release");
  g_assert_cmpstr (last->actor, ==, "bob@example.org");
  g_assert_cmpstr (last->address, ==, "192.0.2.1");
}

/* After SQL behind the store's back, as someone with the database
 * could, the chain check fails at @event. */
static void
assert_audit_broken (StoreFixture *fixture,
                     const char   *sqlite_sql,
                     const char   *postgresql_sql,
                     const char   *event)
{
  guint64 n_events = 0;
  g_autoptr(GError) error = NULL;

  store_sql (fixture, sqlite_sql, postgresql_sql);
  g_assert_false (photoseal_store_verify_audit (fixture->store, &n_events, NULL, 0, NULL, &error));
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, event));
}

static void
test_audit_hostile (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");
  guint64 n_events = 0;
  g_autoptr(GError) error = NULL;

  /* An empty log is intact. */
  g_assert_true (photoseal_store_verify_audit (fixture->store, &n_events, NULL, 0, NULL, &error));
  g_assert_cmpuint (n_events, ==, 0);
  add_key (fixture, "key-one", alice, (const char * const[]) { NULL });
  add_key (fixture, "key-two", alice, (const char * const[]) { NULL });

  assert_audit_broken (fixture,
                       "DROP TRIGGER events_no_update; "
                       "UPDATE events SET actor = 'mallory' WHERE id = 2;",
                       "ALTER TABLE events DISABLE TRIGGER events_no_update; "
                       "UPDATE events SET actor = 'mallory' WHERE id = 2;",
                       "event 2");
}

/* An event removed from the middle breaks the chain at the next one. */
static void
test_audit_gap (StoreFixture  *fixture,
                gconstpointer  data)
{
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");

  add_key (fixture, "key-one", alice, (const char * const[]) { NULL });
  add_key (fixture, "key-two", alice, (const char * const[]) { NULL });
  add_key (fixture, "key-three", alice, (const char * const[]) { NULL });
  assert_audit_broken (fixture,
                       "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 2;",
                       "ALTER TABLE events DISABLE TRIGGER events_no_delete; "
                       "DELETE FROM events WHERE id = 2;",
                       "event 3");
}

static void
test_nonce_replay (StoreFixture  *fixture,
                   gconstpointer  data)
{
  g_autoptr(PhotosealAccount) alice = add_account (fixture, "alice@example.org");
  g_autoptr(PhotosealKeyRecord) record = NULL;
  PhotosealEvent first = event_at (T0, "release", "bob@example.org");
  PhotosealEvent replay = event_at (T0 + NONCE_LIFETIME, "release", "bob@example.org");
  PhotosealEvent later = event_at (T0 + NONCE_LIFETIME + 1, "release", "bob@example.org");
  guint8 nonce[PHOTOSEAL_NONCE_SIZE] = { 1, 2, 3, 4 };
  guint8 other[PHOTOSEAL_NONCE_SIZE] = { 4, 3, 2, 1 };
  g_autoptr(GError) error = NULL;

  add_key (fixture, "key-one", alice, (const char * const[]) { "bob@example.org", NULL });
  g_assert_true (photoseal_store_add_event (fixture->store, "key-one", &first, nonce,
                                            NONCE_LIFETIME, &error));
  g_assert_no_error (error);

  /* Replayed within its lifetime, on any key: refused and not audited. */
  g_assert_false (photoseal_store_add_event (fixture->store, "key-one", &replay, nonce,
                                             NONCE_LIFETIME, &error));
  g_assert_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_REPLAYED);
  g_clear_error (&error);
  g_assert_true (photoseal_store_add_event (fixture->store, "key-one", &first, other,
                                            NONCE_LIFETIME, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_events (fixture, "key-one"), ==, 3);

  /* After it, the nonce is forgotten: the request's timestamp is what
   * refuses such an old one. */
  g_assert_true (photoseal_store_add_event (fixture->store, "key-one", &later, nonce,
                                            NONCE_LIFETIME, &error));
  g_assert_no_error (error);
  record = find_key (fixture, "key-one");
  g_assert_cmpuint (record->releases, ==, 3);
}

static void
add_cases (const char *backend_name,
           Backend     backend)
{
  static const struct
  {
    const char *name;
    void (*func) (StoreFixture *, gconstpointer);
  } cases[] = {
    { "accounts", test_accounts },
    { "accounts/hostile", test_accounts_hostile },
    { "sessions", test_sessions },
    { "sessions/hostile", test_sessions_hostile },
    { "failures", test_failures },
    { "keys", test_keys },
    { "keys/update", test_keys_update },
    { "keys/revoke", test_keys_revoke },
    { "keys/database-writer-adds-recipient", test_database_writer_adds_recipient },
    { "keys/policy-backfill", test_policy_backfill },
    { "release/counter", test_release_counter },
    { "release/after-revoke", test_release_after_revoke },
    { "access-code-tries", test_access_code_tries },
    { "audit", test_audit },
    { "audit/hostile", test_audit_hostile },
    { "audit/gap", test_audit_gap },
    { "nonce-replay", test_nonce_replay },
    { "codes", test_codes },
    { "codes/hostile", test_codes_hostile },
    { "reset-password", test_reset_password },
    { "devices", test_devices },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/store/%s/%s", backend_name, cases[i].name);

      g_test_add (path, StoreFixture, GINT_TO_POINTER (backend), store_set_up, cases[i].func,
                  store_tear_down);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  add_cases ("sqlite", BACKEND_SQLITE);
#ifdef HAVE_LIBPQ
  add_cases ("postgresql", BACKEND_POSTGRESQL);
#endif
  return g_test_run ();
}
