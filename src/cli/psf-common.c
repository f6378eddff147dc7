/* psf-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "psf"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sys/stat.h>

#include <gio/gio.h>
#include <gio/gfiledescriptorbased.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "photoseal.h"
#include "psf-common.h"

#define MAX_PASSPHRASE 1024

static gboolean progress_shown;
static GCancellable *interrupted;

/* Waits for Ctrl-C or a termination request and cancels the work in
 * progress, so that temporary files and half-extracted folders are removed
 * by the normal error paths instead of being left behind. */
static gpointer
wait_for_signals (gpointer data)
{
  sigset_t *signals = data;
  int received = 0;

  sigwait (signals, &received);
  g_cancellable_cancel (interrupted);
  return NULL;
}

/**
 * psf_get_cancellable:
 *
 * Returns: (transfer none): cancelled on SIGINT, SIGTERM or SIGHUP
 */
GCancellable *
psf_get_cancellable (void)
{
  static sigset_t signals;

  if (interrupted == NULL)
    {
      interrupted = g_cancellable_new ();
      sigemptyset (&signals);
      sigaddset (&signals, SIGINT);
      sigaddset (&signals, SIGTERM);
      sigaddset (&signals, SIGHUP);
      /* Blocked here, before any worker thread starts, so that every
       * thread inherits the mask and only the waiter receives them. */
      pthread_sigmask (SIG_BLOCK, &signals, NULL);
      g_thread_unref (g_thread_new ("psf-signals", wait_for_signals, &signals));
    }
  return interrupted;
}

/**
 * psf_fail:
 * @subject: (nullable): what the error is about, usually a file name
 *
 * Prints "psf: SUBJECT: MESSAGE" and maps the error to an exit code: a
 * damaged file and a file that is not for you get codes of their own.
 */
PsfExit
psf_fail (const char   *subject,
          const GError *error)
{
  psf_end_progress ();
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      psf_print_error (_("interrupted; nothing was written"));
      return PSF_EXIT_INTERRUPTED;
    }
  if (subject != NULL)
    psf_print_error ("%s: %s", subject, error->message);
  else
    psf_print_error ("%s", error->message);

  if (error->domain == PHOTOSEAL_VALIDATION_ERROR || error->domain == G_OPTION_ERROR)
    return PSF_EXIT_USAGE;
  if (photoseal_format_error_is_damage (error))
    return PSF_EXIT_DAMAGED;
  if (error->domain == PHOTOSEAL_KEYSERVER_ERROR)
    switch (error->code)
      {
      case PHOTOSEAL_KEYSERVER_ERROR_NOT_A_RECIPIENT:
      case PHOTOSEAL_KEYSERVER_ERROR_REVOKED:
      case PHOTOSEAL_KEYSERVER_ERROR_EXPIRED:
      case PHOTOSEAL_KEYSERVER_ERROR_LOCKED:
      case PHOTOSEAL_KEYSERVER_ERROR_BAD_ACCESS_CODE:
      case PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED:
      case PHOTOSEAL_KEYSERVER_ERROR_BAD_CREDENTIALS:
      case PHOTOSEAL_KEYSERVER_ERROR_ACCOUNT_DISABLED:
        return PSF_EXIT_DENIED;
      default:
        break;
      }
  if (g_error_matches (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_NO_MATCH))
    return PSF_EXIT_DENIED;
  return PSF_EXIT_FAILURE;
}

/* Prints "psf: MESSAGE" as one line; the prefix stays out of the
 * translated text so that scripts can rely on it in every language.
 * Messages carry names from files and servers: control characters in
 * them are escaped, never sent to the terminal. */
void
psf_print_error (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  g_autofree char *escaped = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  escaped = photoseal_text_escape_controls (message, -1);
  g_printerr ("psf: %s\n", escaped);
}

PsfExit
psf_usage (const char *verb,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("psf: %s\n", message);
  g_printerr (_("Try “psf %s --help” for more information."), verb);
  g_printerr ("\n");
  return PSF_EXIT_USAGE;
}

/* Parses a verb's options; on failure prints the error and sets the
 * exit code. The context's parameter string, summary and description are
 * marked with N_() and translated here, for --help. */
gboolean
psf_parse_options (GOptionContext *context,
                   int            *argc,
                   char         ***argv,
                   int            *exit_code)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;

  g_printerr ("psf: %s\n", error->message);
  *exit_code = PSF_EXIT_USAGE;
  return FALSE;
}

/* Reads a line from the terminal with echo off. */
static char *
read_hidden_line (int         tty,
                  const char *prompt,
                  GError    **error)
{
  struct termios saved, quiet;
  char *line = sodium_malloc (MAX_PASSPHRASE + 1);
  gsize len = 0;
  gboolean restored;

  g_assert (line != NULL);
  if (tcgetattr (tty, &saved) != 0)
    {
      sodium_free (line);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   _("Could not read a passphrase: %s"), g_strerror (errno));
      return NULL;
    }
  quiet = saved;
  quiet.c_lflag &= ~(ECHO | ECHONL);
  quiet.c_lflag |= ICANON;
  tcsetattr (tty, TCSAFLUSH, &quiet);

  if (write (tty, prompt, strlen (prompt)) < 0)
    { /* The prompt is a courtesy; reading still works. */ }

  while (len < MAX_PASSPHRASE)
    {
      char c;
      ssize_t n = read (tty, &c, 1);

      if (n <= 0 || c == '\n' || c == '\r')
        break;
      line[len++] = c;
    }
  line[len] = '\0';

  restored = tcsetattr (tty, TCSAFLUSH, &saved) == 0;
  if (write (tty, "\n", 1) < 0 || !restored)
    { /* Nothing more to do for a terminal that went away. */ }

  return line;
}

/**
 * psf_read_secret:
 * @variable: the environment variable scripts set instead, such as
 *   PHOTOSEAL_PASSPHRASE or PHOTOSEAL_PASSWORD
 * @confirm: ask twice and insist both match
 *
 * Takes the secret from @variable, or asks on the controlling terminal
 * without echo.
 *
 * Returns: (transfer full): the passphrase in memory from sodium_malloc();
 *   free it with sodium_free(), which zeroes it
 */
char *
psf_read_secret (const char *variable,
                 const char *prompt,
                 gboolean    confirm,
                 GError    **error)
{
  const char *from_env = g_getenv (variable);
  char *first;
  char *second;
  int tty;

  if (from_env != NULL && *from_env != '\0')
    {
      gsize len = MIN (strlen (from_env), MAX_PASSPHRASE);
      char *copy = sodium_malloc (len + 1);

      g_assert (copy != NULL);
      memcpy (copy, from_env, len);
      copy[len] = '\0';
      return copy;
    }

  tty = open ("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty == -1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("A secret is needed, but there is no terminal to ask on; set %s"), variable);
      return NULL;
    }

  first = read_hidden_line (tty, prompt, error);
  if (first != NULL && *first == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Nothing was typed"));
      g_clear_pointer (&first, sodium_free);
    }
  if (first != NULL && confirm)
    {
      second = read_hidden_line (tty, _("Confirm passphrase: "), error);
      if (second == NULL || strcmp (first, second) != 0)
        {
          if (second != NULL)
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                 _("The two entries do not match"));
          g_clear_pointer (&first, sodium_free);
        }
      g_clear_pointer (&second, sodium_free);
    }

  close (tty);
  return first;
}

/* A one-line progress display on a terminal; silent otherwise. */
void
psf_show_progress (guint64  done,
                   guint64  total,
                   gpointer label)
{
  static int last_percent = -1;
  int percent = total ? (int) (done * 100 / total) : 100;

  if (!isatty (STDERR_FILENO) || percent == last_percent)
    return;
  last_percent = percent;
  progress_shown = TRUE;
  g_printerr ("\r%s… %3d%%", (const char *) label, percent);
}

void
psf_end_progress (void)
{
  if (progress_shown)
    g_printerr ("\r\033[K");
  progress_shown = FALSE;
}

/**
 * psf_signed_in_client:
 * @server: (nullable): an origin; %NULL for PHOTOSEAL_SERVER
 * @email: (out) (optional): the account's email
 *
 * A client with the session saved by "psf login" for @server.
 */
PhotosealKeyserverClient *
psf_signed_in_client (const char  *server,
                      char       **email,
                      GError     **error)
{
  g_autofree char *origin = NULL;
  PhotosealKeyserverClient *client;

  server = server ? server : g_getenv ("PHOTOSEAL_SERVER");
  if (server == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Name the key server with --server (or PHOTOSEAL_SERVER)"));
      return NULL;
    }
  if (!(origin = photoseal_origin_normalize (server, error)))
    return NULL;
  client = photoseal_keyring_load (origin, email, NULL, error);
  if (client == NULL && (error == NULL || *error == NULL))
    g_set_error (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_UNAUTHORIZED,
                 _("You are not signed in to %s; run: psf login --server %s --email EMAIL"),
                 origin, origin);
  return client;
}

/* "7d", "12h" or an ISO 8601 time. */
GDateTime *
psf_parse_expires (const char *text,
               GError    **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint64 amount = 0;
  gsize len = strlen (text);

  if (len >= 2 && (text[len - 1] == 'd' || text[len - 1] == 'h'))
    {
      g_autofree char *number = g_strndup (text, len - 1);

      if (g_ascii_string_to_unsigned (number, 10, 1, 3650 * 24, &amount, NULL))
        return g_date_time_add_hours (now, text[len - 1] == 'd' ? amount * 24 : amount);
    }
  else
    {
      GDateTime *time = g_date_time_new_from_iso8601 (text, NULL);

      if (time != NULL)
        return time;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("--expires takes a number of days (7d), hours (12h) or an ISO 8601 time, "
                 "not “%s”"), text);
  return NULL;
}

/**
 * psf_open_input:
 * @path: a .psf, or "-" for standard input
 * @size: (out) (optional): the size of a regular file, or -1 for a pipe,
 *   a FIFO or a device, whose size is unknown until read to the end
 *
 * Opens a .psf to be read once, front to back, so that it can come
 * through a pipe: read the header from it with photoseal_age_header_read()
 * and go on with photoseal_opener_new_after_header().
 *
 * Returns: (transfer full): the buffered stream, or %NULL
 */
GBufferedInputStream *
psf_open_input (const char  *path,
                goffset     *size,
                GError     **error)
{
  g_autoptr(GInputStream) in = NULL;
  struct stat st;
  int fd = STDIN_FILENO;

  if (strcmp (path, "-") == 0 && isatty (STDIN_FILENO))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("it is a terminal: “-” reads a .psf piped in, as in "
                             "“psf open - < FILE.psf”"));
      return NULL;
    }
  if (strcmp (path, "-") == 0)
    in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      if (!(in = G_INPUT_STREAM (g_file_read (file, psf_get_cancellable (), error))))
        return NULL;
      if (G_IS_FILE_DESCRIPTOR_BASED (in))
        fd = g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (in));
    }
  if (size != NULL)
    *size = fstat (fd, &st) == 0 && S_ISREG (st.st_mode) ? st.st_size : -1;
  return G_BUFFERED_INPUT_STREAM (g_buffered_input_stream_new (in));
}

/* The name an error about @path gives it. */
const char *
psf_input_name (const char *path)
{
  return strcmp (path, "-") == 0 ? _("standard input") : path;
}

/* FILE.psf, "-" or KEY-ID: the key id and, from a file, its server. */
PhotosealServerKeyRef *
psf_resolve_key (const char  *target,
                 GError     **error)
{
  g_autoptr(GBufferedInputStream) in = NULL;
  g_autoptr(PhotosealAgeHeader) header = NULL;

  if (strcmp (target, "-") != 0 && !g_file_test (target, G_FILE_TEST_EXISTS)
      && photoseal_key_id_decode (target, NULL))
    return photoseal_server_key_ref_new (target, NULL);

  if (!(in = psf_open_input (target, NULL, error))
      || !(header = photoseal_age_header_read (in, psf_get_cancellable (), error)))
    return NULL;
  return photoseal_age_header_find_photoseal_stanza (header, error);
}
