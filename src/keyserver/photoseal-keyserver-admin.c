/* photoseal-keyserver-admin.c: opening the store, and the admin subcommands
 *
 * What photoseal-keyserver does besides serving: opens the store and the
 * master key the options name, and runs `user`, `verify-audit`, `backup`
 * and `restore`. Each subcommand returns the program's exit status, having
 * printed its one-line error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "photoseal-address.h"
#include "photoseal-keyserver-admin.h"
#include "photoseal-keyserver.h"
#ifdef HAVE_LIBPQ
#include "photoseal-postgres-store.h"
#endif
#include "photoseal-revocation-journal.h"
#include "photoseal-sqlite-store.h"

int
photoseal_admin_fail (const char *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("photoseal-keyserver: %s\n", message);
  return 1;
}

static gboolean
make_data_dir (PhotosealKeyserverOptions *options,
               GError                   **error)
{
  if (g_mkdir_with_parents (options->data_dir, 0700) == 0)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
               "Could not create the data folder “%s”: %s", options->data_dir,
               g_strerror (errno));
  return FALSE;
}

PhotosealStore *
photoseal_admin_open_store (PhotosealKeyserverOptions *options,
                            GError                   **error)
{
  g_autofree char *path = NULL;

  if (options->database != NULL)
    {
#ifdef HAVE_LIBPQ
      return PHOTOSEAL_STORE (photoseal_postgres_store_open (options->database, error));
#else
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "This photoseal-keyserver was built without PostgreSQL (-Dpostgresql)");
      return NULL;
#endif
    }
  if (!make_data_dir (options, error))
    return NULL;
  path = g_build_filename (options->data_dir, PHOTOSEAL_KEYSERVER_DATABASE, NULL);
  return PHOTOSEAL_STORE (photoseal_sqlite_store_open (path, error));
}

#define MASTER_KEY_CHECK "photoseal/master-key-check"

/* Where the master key is: --master-key-file, systemd's credential
 * (LoadCredential=master.key:…), or master.key in the data folder. */
static char *
master_key_path (PhotosealKeyserverOptions *options,
                 GError                   **error)
{
  const char *credentials = g_getenv ("CREDENTIALS_DIRECTORY");
  g_autofree char *path = NULL;

  if (options->master_key_file != NULL)
    return g_strdup (options->master_key_file);
  if (credentials != NULL)
    {
      path = g_build_filename (credentials, PHOTOSEAL_KEYSERVER_MASTER_KEY, NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
  /* On PostgreSQL the data folder (made by open_store for SQLite) only
   * holds the master key. */
  if (!make_data_dir (options, error))
    return NULL;
  return g_build_filename (options->data_dir, PHOTOSEAL_KEYSERVER_MASTER_KEY, NULL);
}

/* A database no master key has been used with: no check value, and no
 * account (keys belong to accounts). */
static gboolean
store_is_new (PhotosealStore *store,
              gboolean       *is_new,
              GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) check = photoseal_store_get_setting (store, MASTER_KEY_CHECK, &local_error);
  g_autoptr(GPtrArray) accounts = NULL;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!(accounts = photoseal_store_list_accounts (store, error)))
    return FALSE;
  *is_new = check == NULL && accounts->len == 0;
  return TRUE;
}

/* A missing key file is made only for a database no key was used with:
 * otherwise a moved, lost or mistyped key file would silently start a
 * server whose every stored key fails to open. */
static PhotosealMasterKey *
open_master_key (PhotosealKeyserverOptions *options,
                 PhotosealStore            *store,
                 GError                   **error)
{
  g_autofree char *path = master_key_path (options, error);
  gboolean is_new = FALSE;

  if (path == NULL)
    return NULL;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!store_is_new (store, &is_new, error))
        return NULL;
      if (!is_new)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "The master key “%s” is missing, and the database already holds data "
                       "sealed under a master key: put that key file back (from your copy of "
                       "it), or give its place with --master-key-file. A new key would open "
                       "none of the stored keys.", path);
          return NULL;
        }
      if (!photoseal_master_key_create (path, error))
        return NULL;
    }
  return photoseal_master_key_load (path, error);
}

/* Opens one stored key, for a database that has keys but predates the
 * check value: the check is then made only under a key that opens them. */
static gboolean
opens_stored_keys (PhotosealStore     *store,
                   PhotosealMasterKey *master_key,
                   GError            **error)
{
  g_autoptr(GPtrArray) accounts = photoseal_store_list_accounts (store, error);
  guint8 opened[PHOTOSEAL_SERVER_KEY_BYTES];

  if (accounts == NULL)
    return FALSE;
  for (guint i = 0; i < accounts->len; i++)
    {
      PhotosealAccount *account = g_ptr_array_index (accounts, i);
      g_autoptr(GPtrArray) keys = photoseal_store_list_keys (store, account->id, error);

      if (keys == NULL)
        return FALSE;
      for (guint k = 0; k < keys->len; k++)
        {
          g_autoptr(PhotosealKeyRecord) record =
            photoseal_store_find_key (store, ((PhotosealKeyRecord *) keys->pdata[k])->key_id, NULL);
          gboolean ok;

          if (record == NULL || record->sealed_key == NULL)
            continue;
          ok = photoseal_master_key_open (master_key, record->sealed_key, record->key_id, opened);
          sodium_memzero (opened, sizeof opened);
          return ok;
        }
    }
  return TRUE;
}

/* The first start seals a known value under the master key in the
 * database; every later start, and every other node, must open it. */
static gboolean
check_master_key (PhotosealStore     *store,
                  PhotosealMasterKey *master_key,
                  GError            **error)
{
  guint8 zeros[PHOTOSEAL_SERVER_KEY_BYTES] = { 0 };
  guint8 opened[PHOTOSEAL_SERVER_KEY_BYTES];
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) stored = photoseal_store_get_setting (store, MASTER_KEY_CHECK, &local_error);
  gboolean ok;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (stored == NULL)
    {
      g_autoptr(GBytes) sealed = photoseal_master_key_seal (master_key, zeros, MASTER_KEY_CHECK);

      if (!opens_stored_keys (store, master_key, &local_error))
        goto wrong_key;
      /* Another node may have written its own first: read back the winner. */
      if (!photoseal_store_add_setting (store, MASTER_KEY_CHECK, sealed, error)
          || !(stored = photoseal_store_get_setting (store, MASTER_KEY_CHECK, error)))
        return FALSE;
    }
  ok = photoseal_master_key_open (master_key, stored, MASTER_KEY_CHECK, opened);
  sodium_memzero (opened, sizeof opened);
  if (ok)
    return TRUE;

wrong_key:
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                 "This master key is not the one the database's keys are sealed under: give "
                 "every node the same --master-key-file, or put back the right master.key");
  return FALSE;
}

#define CHAIN_KEYED_FROM "photoseal/audit-keyed-from"

/* The id the next event will have: one past the last in the chain. */
static gboolean
next_event_id (PhotosealStore *store,
               gint64         *next,
               GError        **error)
{
  guint64 n_events = 0;

  /* Only once per database, at the upgrade: a plain chain checks as is. */
  if (!photoseal_store_verify_audit (store, &n_events, NULL, 0, NULL, error))
    return FALSE;
  *next = n_events + 1;
  return TRUE;
}

/* Keys the audit chain with a MAC key derived from the master key, from
 * the event recorded in the database (the first one written after the
 * upgrade; 1 for a new database), itself MACed so that it cannot be
 * moved. */
static gboolean
set_up_chain_key (PhotosealStore     *store,
                  PhotosealMasterKey *master_key,
                  GError            **error)
{
  guint8 key[32];
  guint8 value[8 + crypto_auth_BYTES];
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) stored = NULL;
  gint64 keyed_from = 0;
  gboolean ok = TRUE;

  photoseal_master_key_derive (master_key, "psfaudit", key);
  stored = photoseal_store_get_setting (store, CHAIN_KEYED_FROM, &local_error);
  if (local_error == NULL && stored == NULL)
    {
      g_autoptr(GBytes) fresh = NULL;

      ok = next_event_id (store, &keyed_from, error);
      for (guint i = 0; ok && i < 8; i++)
        value[i] = (guint64) keyed_from >> (56 - 8 * i);
      crypto_auth (value + 8, value, 8, key);
      fresh = g_bytes_new (value, sizeof value);
      ok = ok && photoseal_store_add_setting (store, CHAIN_KEYED_FROM, fresh, error)
           && (stored = photoseal_store_get_setting (store, CHAIN_KEYED_FROM, error)) != NULL;
    }
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      ok = FALSE;
    }
  if (ok && (g_bytes_get_size (stored) != sizeof value
             || crypto_auth_verify ((const guint8 *) g_bytes_get_data (stored, NULL) + 8,
                                    g_bytes_get_data (stored, NULL), 8, key) != 0))
    {
      g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                   "The audit log's key record was changed in the database: the audit log "
                   "cannot be trusted");
      ok = FALSE;
    }
  if (ok)
    {
      keyed_from = 0;
      for (guint i = 0; i < 8; i++)
        keyed_from = (keyed_from << 8) | ((const guint8 *) g_bytes_get_data (stored, NULL))[i];
      photoseal_store_set_chain_key (key, keyed_from);
    }
  sodium_memzero (key, sizeof key);
  return ok;
}

/* MACs each key's policy under a key derived from the master key, and
 * gives one to every key that predates them, once. */
static gboolean
set_up_policy_key (PhotosealStore     *store,
                   PhotosealMasterKey *master_key,
                   GError            **error)
{
  guint8 key[32];
  gint64 sealed;

  photoseal_master_key_derive (master_key, "psfpolcy", key);
  photoseal_store_set_policy_key (key);
  sodium_memzero (key, sizeof key);
  if ((sealed = photoseal_store_seal_key_policies (store, error)) < 0)
    return FALSE;
  if (sealed > 0)
    g_message ("Gave the %" G_GINT64_FORMAT " keys stored before policy MACs theirs (once, at "
               "this upgrade)", sealed);
  return TRUE;
}

/* The master key, checked against the store's: several nodes on one
 * PostgreSQL database must share one. */
PhotosealMasterKey *
photoseal_admin_open_master_key (PhotosealKeyserverOptions *options,
                                 PhotosealStore            *store,
                                 GError                   **error)
{
  g_autoptr(PhotosealMasterKey) master_key = open_master_key (options, store, error);

  if (master_key == NULL || !check_master_key (store, master_key, error)
      || !set_up_chain_key (store, master_key, error)
      || !set_up_policy_key (store, master_key, error))
    return NULL;
  return g_steal_pointer (&master_key);
}

/**
 * photoseal_admin_verify_audit:
 * @expect_head: (nullable): a chain head recorded earlier, in hex
 * @expect_count: the event count recorded with it
 *
 * Checks the chain with the master key, and prints its head and count
 * for the operator to record elsewhere: a later check against them finds
 * a log rewritten or cut short even by someone who could write both the
 * database and its chain.
 */
int
photoseal_admin_verify_audit (PhotosealKeyserverOptions *options,
                              const char                *expect_head,
                              guint64                    expect_count)
{
  g_autoptr(PhotosealStore) store = NULL;
  g_autoptr(PhotosealMasterKey) master_key = NULL;
  g_autoptr(GError) error = NULL;
  guint8 anchor[32];
  guint8 head[32];
  char head_hex[65];
  size_t len = 0;
  guint64 n_events = 0;

  if (expect_head != NULL
      && (sodium_hex2bin (anchor, sizeof anchor, expect_head, strlen (expect_head), NULL, &len,
                          NULL) != 0 || len != sizeof anchor || expect_count == 0))
    return photoseal_admin_fail ("--expect-head takes the 64 hex digits verify-audit printed, "
                                 "with --expect-count");
  if (!(store = photoseal_admin_open_store (options, &error))
      || !(master_key = photoseal_admin_open_master_key (options, store, &error)))
    return photoseal_admin_fail ("%s", error->message);
  if (!photoseal_store_verify_audit (store, &n_events, head, expect_count,
                                     expect_head ? anchor : NULL, &error))
    return photoseal_admin_fail ("%s", error->message);
  sodium_bin2hex (head_hex, sizeof head_hex, head, sizeof head);
  g_print ("The audit log is intact: %" G_GUINT64_FORMAT " events\n"
           "head %s count %" G_GUINT64_FORMAT "\n", n_events, head_hex, n_events);
  return 0;
}

int
photoseal_admin_backup (PhotosealKeyserverOptions *options,
                        const char                *destination)
{
  g_autoptr(PhotosealStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!(store = photoseal_admin_open_store (options, &error))
      || !photoseal_store_backup (store, destination, &error))
    return photoseal_admin_fail ("%s", error->message);
  g_print ("Backed up to %s (the master key is not in it: keep a copy of it elsewhere)\n",
           destination);
  return 0;
}

/* Revokes, in a database being restored, every key the journal says was
 * revoked, whatever the backup remembers. */
static gboolean
replay_journal (PhotosealStore *store,
                const char     *journal,
                guint          *replayed,
                GError        **error)
{
  g_autoptr(GPtrArray) revocations = photoseal_revocation_journal_read (journal, error);

  if (revocations == NULL)
    return FALSE;
  for (guint i = 0; i < revocations->len; i++)
    {
      PhotosealRevocation *revocation = g_ptr_array_index (revocations, i);
      g_autoptr(PhotosealKeyRecord) record = NULL;
      PhotosealEvent event = { revocation->at, (char *) "revoke", (char *) "revocation-journal",
                               (char *) "-" };

      record = photoseal_store_find_key (store, revocation->key_id, NULL);
      if (record == NULL || record->revoked)
        continue;
      if (!photoseal_store_revoke_key (store, revocation->key_id, &event, error))
        return FALSE;
      (*replayed)++;
    }
  return TRUE;
}

int
photoseal_admin_restore (PhotosealKeyserverOptions *options,
                         const char                *backup)
{
  const char *dir = options->data_dir;
  g_autofree char *database = g_build_filename (dir, PHOTOSEAL_KEYSERVER_DATABASE, NULL);
  g_autofree char *journal = g_build_filename (dir, PHOTOSEAL_KEYSERVER_JOURNAL, NULL);
  g_autofree char *restoring = g_strconcat (database, ".restoring", NULL);
  g_autoptr(GFile) source = g_file_new_for_commandline_arg (backup);
  g_autoptr(GFile) target = g_file_new_for_path (restoring);
  g_autoptr(PhotosealStore) store = NULL;
  g_autoptr(PhotosealMasterKey) master_key = NULL;
  g_autoptr(GError) error = NULL;
  guint replayed = 0;

  if (options->database != NULL)
    return photoseal_admin_fail ("restore is for the SQLite store; restore PostgreSQL with "
                                 "pg_restore or point-in-time recovery (see docs/DEPLOYMENT.md)");
  /* The replayed revocations join the keyed audit chain. */
  if (!g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error)
      || !(store = PHOTOSEAL_STORE (photoseal_sqlite_store_open (restoring, &error)))
      || !(master_key = photoseal_admin_open_master_key (options, store, &error))
      || !replay_journal (store, journal, &replayed, &error))
    {
      g_unlink (restoring);
      return photoseal_admin_fail ("%s", error->message);
    }
  g_clear_object (&store);

  /* The old database's WAL belongs to it, not to the restored one. */
  {
    g_autofree char *wal = g_strconcat (database, "-wal", NULL);
    g_autofree char *shm = g_strconcat (database, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  if (g_rename (restoring, database) != 0)
    return photoseal_admin_fail ("could not move the restored database into place: %s",
                                 g_strerror (errno));

  g_print ("Restored %s; %u revocation(s) replayed from the journal\n", backup, replayed);
  return 0;
}

/* From PHOTOSEAL_PASSWORD, or the first line of standard input. */
static char *
read_password (void)
{
  const char *from_env = g_getenv ("PHOTOSEAL_PASSWORD");
  char line[1026];

  if (from_env != NULL)
    return g_strdup (from_env);
  if (fgets (line, sizeof line, stdin) == NULL)
    return NULL;
  line[strcspn (line, "\r\n")] = '\0';
  {
    char *password = g_strdup (line);
    sodium_memzero (line, sizeof line);
    return password;
  }
}

static int
user_add (PhotosealStore *store,
          const char     *typed_email,
          const char     *name)
{
  g_autoptr(PhotosealAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = photoseal_address_normalize (typed_email, &error);
  char hash[crypto_pwhash_STRBYTES];
  char *password;
  int status;

  if (email == NULL)
    return photoseal_admin_fail ("%s", error->message);
  password = read_password ();

  if (password == NULL || strlen (password) < 10 || strlen (password) > 1024)
    {
      g_free (password);
      return photoseal_admin_fail ("give a password of 10 to 1024 bytes in PHOTOSEAL_PASSWORD "
                                   "or on standard input");
    }
  status = crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE);
  sodium_memzero (password, strlen (password));
  g_free (password);
  if (status != 0)
    return photoseal_admin_fail ("out of memory while hashing the password");

  account = photoseal_store_add_account (store, email, name ? name : email, hash,
                                         g_get_real_time () / G_USEC_PER_SEC, &error);
  sodium_memzero (hash, sizeof hash);
  if (account == NULL)
    return photoseal_admin_fail ("%s: %s", email, error->message);
  g_print ("Added %s\n", account->email);
  return 0;
}

static int
user_list (PhotosealStore *store)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  if (!(accounts = photoseal_store_list_accounts (store, &error)))
    return photoseal_admin_fail ("%s", error->message);
  for (guint i = 0; i < accounts->len; i++)
    {
      PhotosealAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *created = photoseal_keyserver_format_time (account->created);

      g_print ("%s\t%s\t%s%s\n", account->email, account->name, created,
               account->disabled ? "\tdisabled" : "");
    }
  return 0;
}

int
photoseal_admin_user (PhotosealKeyserverOptions *options,
                      int                        argc,
                      char                     **argv)
{
  g_autoptr(PhotosealStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *action = argc > 2 ? argv[2] : "";

  if (!(store = photoseal_admin_open_store (options, &error)))
    return photoseal_admin_fail ("%s", error->message);

  if (strcmp (action, "add") == 0 && (argc == 4 || argc == 5))
    {
      /* The first account of a new database makes its master key too:
       * afterwards the database is no longer new, and a server would
       * refuse to make one for it. */
      g_autoptr(PhotosealMasterKey) master_key = photoseal_admin_open_master_key (options, store,
                                                                                  &error);

      if (master_key == NULL)
        return photoseal_admin_fail ("%s", error->message);
      return user_add (store, argv[3], argc == 5 ? argv[4] : NULL);
    }
  if (strcmp (action, "list") == 0 && argc == 3)
    return user_list (store);
  if ((strcmp (action, "disable") == 0 || strcmp (action, "enable") == 0) && argc == 4)
    {
      if (!photoseal_store_set_account_disabled (store, argv[3], strcmp (action, "disable") == 0,
                                                 &error))
        return photoseal_admin_fail ("%s", error->message);
      return 0;
    }

  g_printerr ("Usage: photoseal-keyserver user add EMAIL [NAME]   (password on standard input\n"
              "                                                 or in PHOTOSEAL_PASSWORD)\n"
              "       photoseal-keyserver user list\n"
              "       photoseal-keyserver user disable|enable EMAIL\n");
  return 2;
}
