/* main.c: photoseal-keyserver, the daemon and its admin subcommands
 *
 *   photoseal-keyserver [--listen ADDR:PORT] [--data-dir DIR] [--tls-cert F --tls-key F]
 *                       [--tls-priority GNUTLS-PRIORITY]
 *                       [--registration closed|verified|open] [--config FILE]
 *                       [--smtp-url URL --mail-from ADDR [--smtp-user U --smtp-password-file F]]
 *                       [--allowed-domains D,…] [--directory on|off]
 *                       [--invitations-per-day N]
 *                       [--database postgresql://…] [--master-key-file FILE]
 *                       [--max-connections N] [--max-connections-per-address N]
 *                       [--trusted-proxies ADDR,NET/BITS,…]
 *   photoseal-keyserver user add|list|disable|enable [--data-dir DIR] …
 *   photoseal-keyserver verify-audit [--data-dir DIR] [--expect-head HEX --expect-count N]
 *   photoseal-keyserver backup FILE | restore FILE [--data-dir DIR]
 *
 * Everything else is in libphotoseal-keyserver, which the tests link.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include <glib-unix.h>
#include <sodium.h>

#include "photoseal-keyserver-admin.h"
#include "photoseal-keyserver.h"
#include "photoseal-keyserver-notify.h"

static gboolean
on_stop_signal (gpointer data)
{
  gpointer *pair = data;

  photoseal_keyserver_notify ("STOPPING=1");
  photoseal_keyserver_shutdown (pair[0], pair[1]);
  return G_SOURCE_REMOVE;
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

  if (!(store = photoseal_admin_open_store (options, &error))
      || !(master_key = photoseal_admin_open_master_key (options, store, &error)))
    return photoseal_admin_fail ("%s", error->message);

  server = photoseal_keyserver_new (store, master_key, options);
  /* Before the "listening" line: whoever read it may stop the server at
   * once, and must get a clean stop. */
  pair[0] = server;
  pair[1] = loop;
  g_unix_signal_add (SIGTERM, on_stop_signal, pair);
  g_unix_signal_add (SIGINT, on_stop_signal, pair);
  if (!photoseal_keyserver_listen (server, &error))
    return photoseal_admin_fail ("%s", error->message);

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

/* The entries point into @options and the other arguments; GLib copies
 * the array itself. */
static GOptionContext *
option_context_new (PhotosealKeyserverOptions  *options,
                     gboolean                   *version,
                     char                      **expect_head,
                     gint64                     *expect_count)
{
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &options->listen,
      "Address and port to listen on (default " PHOTOSEAL_KEYSERVER_DEFAULT_LISTEN ")",
      "ADDR:PORT" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->data_dir,
      "Where the database lives", "DIR" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &options->tls_cert,
      "TLS certificate (PEM)", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &options->tls_key, "TLS private key (PEM)", "FILE" },
    { "tls-priority", 0, 0, G_OPTION_ARG_STRING, &options->tls_priority,
      "GnuTLS priority string (default: TLS 1.2 and 1.3, forward secrecy, AEAD only)",
      "STRING" },
    { "registration", 0, 0, G_OPTION_ARG_STRING, &options->registration,
      "Who may create an account: closed (default: the administrator adds them), verified "
      "(anyone who proves an address by a mailed code) or open (loopback only: demos, tests)",
      "closed|verified|open" },
    { "smtp-url", 0, 0, G_OPTION_ARG_STRING, &options->smtp_url,
      "The SMTP relay for codes and invitations: smtps://host:465 or smtp://host:587 (STARTTLS)",
      "URL" },
    { "smtp-user", 0, 0, G_OPTION_ARG_STRING, &options->smtp_user,
      "The relay's AUTH user", "USER" },
    { "smtp-password-file", 0, 0, G_OPTION_ARG_FILENAME, &options->smtp_password_file,
      "A file holding the relay's AUTH password", "FILE" },
    { "mail-from", 0, 0, G_OPTION_ARG_STRING, &options->mail_from,
      "The sender address of the server's mail", "ADDR" },
    { "allowed-domains", 0, 0, G_OPTION_ARG_STRING, &options->allowed_domains,
      "Only addresses in these domains may sign up (comma-separated; default any)", "DOMAINS" },
    { "directory", 0, 0, G_OPTION_ARG_STRING, &options->directory,
      "Whether signed-in users may ask which addresses have accounts (default on)", "on|off" },
    { "invitations-per-day", 0, 0, G_OPTION_ARG_INT, &options->invitations_per_day,
      "Invitations one sender may cause in 24 hours (default 50)", "N" },
    { "master-key-file", 0, 0, G_OPTION_ARG_FILENAME, &options->master_key_file,
      "The master key (default: master.key in the data folder, made for a new database)",
      "FILE" },
    { "database", 0, 0, G_OPTION_ARG_STRING, &options->database,
      "A PostgreSQL database shared by several nodes (default: SQLite in the data folder)",
      "postgresql://…" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &options->max_connections,
      "Connections open at once, in all (default 4096)", "N" },
    { "max-connections-per-address", 0, 0, G_OPTION_ARG_INT,
      &options->max_connections_per_address,
      "Connections open at once from one client address (default 128)", "N" },
    { "trusted-proxies", 0, 0, G_OPTION_ARG_STRING, &options->trusted_proxies,
      "Proxies whose X-Forwarded-For names the client (addresses or networks, comma-separated)",
      "ADDRS" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &options->config,
      "A config file; the command line wins", "FILE" },
    { "expect-head", 0, 0, G_OPTION_ARG_STRING, expect_head,
      "verify-audit: the chain head recorded earlier (64 hex digits)", "HEX" },
    { "expect-count", 0, 0, G_OPTION_ARG_INT64, expect_count,
      "verify-audit: the event count recorded with that head", "N" },
    { "version", 0, 0, G_OPTION_ARG_NONE, version, "Print the version", NULL },
    { NULL }
  };
  GOptionContext *context = g_option_context_new ("[user add|list|disable|enable …] "
                                                 "[verify-audit] [backup FILE] [restore FILE]");

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Holds one key per sealed file and releases it only to "
                                         "the people the sender named.");
  return context;
}

static int
run_command (PhotosealKeyserverOptions *options,
             int                        argc,
             char                     **argv,
             const char                *expect_head,
             gint64                     expect_count)
{
  if (argc > 1 && strcmp (argv[1], "user") == 0)
    return photoseal_admin_user (options, argc, argv);
  if (argc == 2 && strcmp (argv[1], "verify-audit") == 0)
    return photoseal_admin_verify_audit (options, expect_head, (guint64) MAX (expect_count, 0));
  if (argc == 3 && strcmp (argv[1], "backup") == 0)
    return photoseal_admin_backup (options, argv[2]);
  if (argc == 3 && strcmp (argv[1], "restore") == 0)
    return photoseal_admin_restore (options, argv[2]);
  if (argc > 1)
    return photoseal_admin_fail ("unknown command “%s”; see --help", argv[1]);

  return run_server (options);
}

int
main (int    argc,
      char **argv)
{
  g_auto(PhotosealKeyserverOptions) options = { 0 };
  gboolean version = FALSE;
  g_autofree char *expect_head = NULL;
  gint64 expect_count = 0;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  /* The database, its journal and everything else written is private. */
  umask (077);
  if (sodium_init () < 0)
    return photoseal_admin_fail ("libsodium could not be initialised");

  context = option_context_new (&options, &version, &expect_head, &expect_count);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return photoseal_admin_fail ("%s", error->message);
  if (version)
    {
      g_print ("photoseal-keyserver %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (!photoseal_keyserver_options_load_config (&options, &error)
      || !photoseal_keyserver_options_validate (&options, &error))
    return photoseal_admin_fail ("%s", error->message);

  /* glib-networking's GnuTLS backend reads this once, at its first TLS
   * connection; set before any thread starts. */
  if (options.tls_cert != NULL)
    g_setenv ("G_TLS_GNUTLS_PRIORITY", options.tls_priority, TRUE);

  return run_command (&options, argc, argv, expect_head, expect_count);
}
