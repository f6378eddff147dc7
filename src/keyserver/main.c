/* main.c: photoseal-keyserver, the daemon and its admin subcommands
 *
 *   photoseal-keyserver [--listen ADDR:PORT] [--data-dir DIR] [--tls-cert F --tls-key F]
 *                       [--tls-priority GNUTLS-PRIORITY]
 *                       [--registration open|closed] [--config FILE]
 *                       [--database postgresql://…] [--master-key-file FILE]
 *                       [--max-connections N] [--max-connections-per-address N]
 *   photoseal-keyserver user add|list|disable|enable [--data-dir DIR] …
 *   photoseal-keyserver verify-audit [--data-dir DIR]
 *   photoseal-keyserver backup FILE | restore FILE [--data-dir DIR]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "photoseal-keyserver.h"
#include "photoseal-keyserver-notify.h"
#ifdef HAVE_LIBPQ
#include "photoseal-postgres-store.h"
#endif
#include "photoseal-revocation-journal.h"
#include "photoseal-sqlite-store.h"


static int
fail (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

static int
fail (const char *format,
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

static PhotosealStore *
open_store (PhotosealKeyserverOptions *options,
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
  if (g_mkdir_with_parents (options->data_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "Could not create the data folder “%s”: %s", options->data_dir,
                   g_strerror (errno));
      return NULL;
    }
  path = g_build_filename (options->data_dir, PHOTOSEAL_KEYSERVER_DATABASE, NULL);
  return PHOTOSEAL_STORE (photoseal_sqlite_store_open (path, error));
}

static gboolean
on_stop_signal (gpointer data)
{
  gpointer *pair = data;

  photoseal_keyserver_notify ("STOPPING=1");
  photoseal_keyserver_shutdown (pair[0], pair[1]);
  return G_SOURCE_REMOVE;
}

static PhotosealMasterKey *
open_master_key (PhotosealKeyserverOptions *options,
                 GError                   **error)
{
  const char *credentials = g_getenv ("CREDENTIALS_DIRECTORY");
  g_autofree char *path = NULL;

  if (options->master_key_file != NULL)
    return photoseal_master_key_load (options->master_key_file, error);
  /* systemd's LoadCredential=master.key:… puts it there. */
  if (credentials != NULL)
    {
      path = g_build_filename (credentials, PHOTOSEAL_KEYSERVER_MASTER_KEY, NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return photoseal_master_key_load (path, error);
      g_clear_pointer (&path, g_free);
    }
  /* On PostgreSQL the data folder (made by open_store for SQLite) only
   * holds the master key. */
  if (g_mkdir_with_parents (options->data_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "Could not create the data folder “%s”: %s", options->data_dir,
                   g_strerror (errno));
      return NULL;
    }
  path = g_build_filename (options->data_dir, PHOTOSEAL_KEYSERVER_MASTER_KEY, NULL);
  return photoseal_master_key_load (path, error);
}

/* Several nodes on one PostgreSQL database must share one master key. */
static gboolean
check_master_key (PhotosealStore     *store,
                  PhotosealMasterKey *master_key,
                  GError            **error)
{
#ifdef HAVE_LIBPQ
  if (PHOTOSEAL_IS_POSTGRES_STORE (store))
    return photoseal_postgres_store_check_master_key (PHOTOSEAL_POSTGRES_STORE (store), master_key,
                                                      error);
#endif
  return TRUE;
}

static int
run_server (PhotosealKeyserverOptions *options)
{
  g_autoptr(PhotosealStore) store = NULL;
  g_autoptr(PhotosealMasterKey) master_key = NULL;
  g_autoptr(PhotosealKeyserver) server = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  gpointer pair[2];

  if (!(store = open_store (options, &error)) || !(master_key = open_master_key (options, &error))
      || !check_master_key (store, master_key, &error))
    return fail ("%s", error->message);

  server = photoseal_keyserver_new (store, master_key, options);
  if (!photoseal_keyserver_listen (server, &error))
    return fail ("%s", error->message);

  pair[0] = server;
  pair[1] = loop;
  g_unix_signal_add (SIGTERM, on_stop_signal, pair);
  g_unix_signal_add (SIGINT, on_stop_signal, pair);
  photoseal_keyserver_notify ("READY=1");
  photoseal_keyserver_start_watchdog ();
  g_main_loop_run (loop);

  /* The workers go first: after the grace period some may still be using
   * the store and the master key, which are freed on the way out. */
  photoseal_keyserver_drain (server);
  g_clear_object (&server);
  photoseal_store_checkpoint (store);
  photoseal_keyserver_log ("stopped");
  return 0;
}

static int
run_verify_audit (PhotosealKeyserverOptions *options)
{
  g_autoptr(PhotosealStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n_events = 0;

  if (!(store = open_store (options, &error)))
    return fail ("%s", error->message);
  if (!photoseal_store_verify_audit (store, &n_events, &error))
    return fail ("%s", error->message);
  g_print ("The audit log is intact: %" G_GUINT64_FORMAT " events\n", n_events);
  return 0;
}

/* Admin subcommands ****************************************************/

static int
run_backup (PhotosealKeyserverOptions *options,
            const char                *destination)
{
  g_autoptr(PhotosealStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!(store = open_store (options, &error)) || !photoseal_store_backup (store, destination, &error))
    return fail ("%s", error->message);
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
      g_autoptr(PhotosealKeyRecord) record = photoseal_store_find_key (store, revocation->key_id, NULL);
      PhotosealEvent event = { revocation->at, (char *) "revoke", (char *) "revocation-journal",
                               (char *) "-" };

      if (record == NULL || record->revoked)
        continue;
      if (!photoseal_store_revoke_key (store, revocation->key_id, &event, error))
        return FALSE;
      (*replayed)++;
    }
  return TRUE;
}

static int
run_restore (PhotosealKeyserverOptions *options,
             const char                *backup)
{
  g_autofree char *database = g_build_filename (options->data_dir, PHOTOSEAL_KEYSERVER_DATABASE, NULL);
  g_autofree char *journal = g_build_filename (options->data_dir, PHOTOSEAL_KEYSERVER_JOURNAL, NULL);
  g_autofree char *restoring = g_strconcat (database, ".restoring", NULL);
  g_autoptr(GFile) source = g_file_new_for_commandline_arg (backup);
  g_autoptr(GFile) target = g_file_new_for_path (restoring);
  g_autoptr(PhotosealStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint replayed = 0;

  if (options->database != NULL)
    return fail ("restore is for the SQLite store; restore PostgreSQL with pg_restore or "
                 "point-in-time recovery (see docs/DEPLOYMENT.md)");
  if (!g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error)
      || !(store = PHOTOSEAL_STORE (photoseal_sqlite_store_open (restoring, &error)))
      || !replay_journal (store, journal, &replayed, &error))
    {
      g_unlink (restoring);
      return fail ("%s", error->message);
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
    return fail ("could not move the restored database into place: %s", g_strerror (errno));

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
          const char     *email,
          const char     *name)
{
  g_autoptr(PhotosealAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  char hash[crypto_pwhash_STRBYTES];
  char *password = read_password ();
  int status;

  if (password == NULL || strlen (password) < 10 || strlen (password) > 1024)
    {
      g_free (password);
      return fail ("give a password of 10 to 1024 bytes in PHOTOSEAL_PASSWORD or on standard input");
    }
  status = crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE);
  sodium_memzero (password, strlen (password));
  g_free (password);
  if (status != 0)
    return fail ("out of memory while hashing the password");

  account = photoseal_store_add_account (store, email, name ? name : email, hash,
                                         g_get_real_time () / G_USEC_PER_SEC, &error);
  sodium_memzero (hash, sizeof hash);
  if (account == NULL)
    return fail ("%s: %s", email, error->message);
  g_print ("Added %s\n", account->email);
  return 0;
}

static int
user_list (PhotosealStore *store)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  if (!(accounts = photoseal_store_list_accounts (store, &error)))
    return fail ("%s", error->message);
  for (guint i = 0; i < accounts->len; i++)
    {
      PhotosealAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *created = photoseal_keyserver_format_time (account->created);

      g_print ("%s\t%s\t%s%s\n", account->email, account->name, created,
               account->disabled ? "\tdisabled" : "");
    }
  return 0;
}

static int
run_user (PhotosealKeyserverOptions *options,
          int                        argc,
          char                     **argv)
{
  g_autoptr(PhotosealStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *action = argc > 2 ? argv[2] : "";

  if (!(store = open_store (options, &error)))
    return fail ("%s", error->message);

  if (strcmp (action, "add") == 0 && (argc == 4 || argc == 5))
    return user_add (store, argv[3], argc == 5 ? argv[4] : NULL);
  if (strcmp (action, "list") == 0 && argc == 3)
    return user_list (store);
  if ((strcmp (action, "disable") == 0 || strcmp (action, "enable") == 0) && argc == 4)
    {
      if (!photoseal_store_set_account_disabled (store, argv[3], strcmp (action, "disable") == 0,
                                                 &error))
        return fail ("%s", error->message);
      return 0;
    }

  g_printerr ("Usage: photoseal-keyserver user add EMAIL [NAME]   (password on standard input\n"
              "                                                 or in PHOTOSEAL_PASSWORD)\n"
              "       photoseal-keyserver user list\n"
              "       photoseal-keyserver user disable|enable EMAIL\n");
  return 2;
}

int
main (int    argc,
      char **argv)
{
  g_auto(PhotosealKeyserverOptions) options = { 0 };
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &options.listen,
      "Address and port to listen on (default " PHOTOSEAL_KEYSERVER_DEFAULT_LISTEN ")", "ADDR:PORT" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.data_dir,
      "Where the database lives", "DIR" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_cert, "TLS certificate (PEM)", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_key, "TLS private key (PEM)", "FILE" },
    { "tls-priority", 0, 0, G_OPTION_ARG_STRING, &options.tls_priority,
      "GnuTLS priority string (default: TLS 1.2 and 1.3, forward secrecy, AEAD only)",
      "STRING" },
    { "registration", 0, 0, G_OPTION_ARG_STRING, &options.registration,
      "Whether anyone may create an account: open or closed (default)", "open|closed" },
    { "master-key-file", 0, 0, G_OPTION_ARG_FILENAME, &options.master_key_file,
      "The master key (default: master.key in the data folder, made on first start)", "FILE" },
    { "database", 0, 0, G_OPTION_ARG_STRING, &options.database,
      "A PostgreSQL database shared by several nodes (default: SQLite in the data folder)",
      "postgresql://…" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &options.max_connections,
      "Connections open at once, in all (default 4096)", "N" },
    { "max-connections-per-address", 0, 0, G_OPTION_ARG_INT,
      &options.max_connections_per_address,
      "Connections open at once from one client address (default 128)", "N" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &options.config,
      "A config file; the command line wins", "FILE" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[user add|list|disable|enable …] [verify-audit] "
                                                            "[backup FILE] [restore FILE]");
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  /* The database, its journal and everything else written is private. */
  umask (077);
  if (sodium_init () < 0)
    return fail ("libsodium could not be initialised");

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Holds one key per sealed file and releases it only to "
                                         "the people the sender named.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail ("%s", error->message);
  if (version)
    {
      g_print ("photoseal-keyserver %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (!photoseal_keyserver_options_load_config (&options, &error)
      || !photoseal_keyserver_options_validate (&options, &error))
    return fail ("%s", error->message);

  /* glib-networking's GnuTLS backend reads this once, at its first TLS
   * connection; set before any thread starts. */
  if (options.tls_cert != NULL)
    g_setenv ("G_TLS_GNUTLS_PRIORITY", options.tls_priority, TRUE);

  if (argc > 1 && strcmp (argv[1], "user") == 0)
    return run_user (&options, argc, argv);
  if (argc == 2 && strcmp (argv[1], "verify-audit") == 0)
    return run_verify_audit (&options);
  if (argc == 3 && strcmp (argv[1], "backup") == 0)
    return run_backup (&options, argv[2]);
  if (argc == 3 && strcmp (argv[1], "restore") == 0)
    return run_restore (&options, argv[2]);
  if (argc > 1)
    return fail ("unknown command “%s”; see --help", argv[1]);

  return run_server (&options);
}
