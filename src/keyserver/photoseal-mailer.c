/* photoseal-mailer.c
 *
 * Verification, reset and invitation codes leave the key server by mail,
 * through the organisation's SMTP relay and libcurl. Off this computer the
 * relay must speak TLS (smtps://, or STARTTLS on smtp://, which is then
 * required, not tried), since a code in clear is as good as a password.
 *
 * Sending runs on a small pool of its own with bounded timeouts, so a relay
 * that hangs can hold up neither the main loop nor the store's workers.
 * A message never carries more than the route gave it: no patient data and
 * no file name ever reach this file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-mailer"

#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <curl/curl.h>
#include <sodium.h>

#include "photoseal-mailer.h"

#define CONNECT_TIMEOUT_SECONDS 10
#define DEFAULT_TIMEOUT_SECONDS 30
#define SENDERS 2

struct _PhotosealMailer
{
  GObject parent_instance;

  char *url;
  char *user;
  char *password;
  char *from;
  gboolean require_tls;
  guint timeout;
  GThreadPool *senders;
};

G_DEFINE_FINAL_TYPE (PhotosealMailer, photoseal_mailer, G_TYPE_OBJECT)

typedef struct
{
  char *to;
  GBytes *message;
} Mail;

static void
mail_free (Mail *mail)
{
  g_free (mail->to);
  g_clear_pointer (&mail->message, g_bytes_unref);
  g_free (mail);
}

static void
photoseal_mailer_finalize (GObject *object)
{
  PhotosealMailer *self = PHOTOSEAL_MAILER (object);

  g_thread_pool_free (self->senders, FALSE, TRUE);
  if (self->password != NULL)
    sodium_memzero (self->password, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->from, g_free);

  G_OBJECT_CLASS (photoseal_mailer_parent_class)->finalize (object);
}

static void
photoseal_mailer_class_init (PhotosealMailerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_mailer_finalize;
  curl_global_init (CURL_GLOBAL_DEFAULT);
}

static gboolean deliver (PhotosealMailer  *self,
                         const char       *to,
                         GBytes           *message,
                         GError          **error);

static void
send_in_thread (gpointer data,
                gpointer user_data)
{
  g_autoptr(GTask) task = data;
  PhotosealMailer *self = g_task_get_source_object (task);
  Mail *mail = g_task_get_task_data (task);
  GError *error = NULL;

  if (deliver (self, mail->to, mail->message, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
photoseal_mailer_init (PhotosealMailer *self)
{
  self->senders = g_thread_pool_new (send_in_thread, NULL, SENDERS, FALSE, NULL);
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  bare = host[0] == '[' ? g_strndup (host + 1, strlen (host) - 2) : g_strdup (host);
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static char *
read_password (const char  *path,
               GError     **error)
{
  g_autofree char *contents = NULL;
  struct stat info;
  gsize length;

  if (stat (path, &info) != 0 || !g_file_get_contents (path, &contents, &length, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                     "cannot read the SMTP password file %s", path);
      return NULL;
    }
  if ((info.st_mode & S_IROTH) != 0)
    {
      sodium_memzero (contents, length);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                   "the SMTP password file %s is readable by everyone: chmod 0600 it", path);
      return NULL;
    }
  /* The first line is the password; a trailing newline is not part of it. */
  contents[strcspn (contents, "\r\n")] = '\0';
  return g_steal_pointer (&contents);
}

static gboolean
is_header_safe (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

/* Addresses arrive normalised by the routes; this only keeps anything that
 * could end the SMTP command or the header out of them. */
static gboolean
is_address (const char *address)
{
  const char *at = strchr (address, '@');

  return at != NULL && at != address && at[1] != '\0' && is_header_safe (address)
         && strpbrk (address, "<>\" ,;:") == NULL;
}

/**
 * photoseal_mailer_new:
 * @smtp_url: `smtps://host[:port]`, or `smtp://host[:port]` (STARTTLS,
 *   required unless the host is this computer)
 * @user: (nullable): the relay's user name for AUTH
 * @password_file: (nullable): a file whose first line is the password
 * @mail_from: the envelope and header sender
 */
PhotosealMailer *
photoseal_mailer_new (const char  *smtp_url,
                      const char  *user,
                      const char  *password_file,
                      const char  *mail_from,
                      GError     **error)
{
  g_autoptr(PhotosealMailer) self = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (smtp_url != NULL, NULL);

  if (!(uri = g_uri_parse (smtp_url, G_URI_FLAGS_NONE, error)))
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if ((g_strcmp0 (scheme, "smtp") != 0 && g_strcmp0 (scheme, "smtps") != 0)
      || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0'
      || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "smtp-url must be smtps://HOST[:PORT] or smtp://HOST[:PORT], "
                   "with the user in smtp-user");
      return NULL;
    }
  if (mail_from == NULL || !is_address (mail_from))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "smtp-url needs mail-from=ADDRESS, the sender of the mails");
      return NULL;
    }

  self = g_object_new (PHOTOSEAL_TYPE_MAILER, NULL);
  self->url = g_strdup (smtp_url);
  self->user = g_strdup (user);
  self->from = g_strdup (mail_from);
  self->require_tls = !host_is_loopback (g_uri_get_host (uri));
  if (password_file != NULL && !(self->password = read_password (password_file, error)))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * photoseal_mailer_set_timeout:
 * @seconds: how long one message may take, connecting included
 */
void
photoseal_mailer_set_timeout (PhotosealMailer *self,
                              guint            seconds)
{
  g_return_if_fail (PHOTOSEAL_IS_MAILER (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
}

/**
 * photoseal_mailer_get_requires_tls:
 *
 * Returns: whether the relay must speak TLS: always, unless it is on this
 *   computer
 */
gboolean
photoseal_mailer_get_requires_tls (PhotosealMailer *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MAILER (self), TRUE);

  return self->require_tls;
}

const char *
photoseal_mailer_get_from (PhotosealMailer *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_MAILER (self), NULL);

  return self->from;
}

static char *
encode_header (const char *text)
{
  g_autofree char *encoded = NULL;

  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      {
        encoded = g_base64_encode ((const guchar *) text, strlen (text));
        return g_strdup_printf ("=?UTF-8?B?%s?=", encoded);
      }
  return g_strdup (text);
}

static char *
message_id_for (const char *from)
{
  guint8 random[16];
  g_autofree char *id = NULL;
  const char *domain = strrchr (from, '@');

  randombytes_buf (random, sizeof random);
  id = g_compute_checksum_for_data (G_CHECKSUM_SHA256, random, sizeof random);
  return g_strdup_printf ("<%.32s@%s>", id, domain ? domain + 1 : "localhost");
}

static GBytes *
build_message (PhotosealMailer *self,
               const char      *to,
               const char      *subject,
               const char      *body)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%a, %d %b %Y %H:%M:%S +0000");
  g_autofree char *encoded_subject = encode_header (subject);
  g_autofree char *message_id = message_id_for (self->from);
  g_autofree char *encoded_body = g_base64_encode ((const guchar *) body, strlen (body));
  GString *message = g_string_new (NULL);
  gsize length = strlen (encoded_body);

  /* The date is English whatever the locale: RFC 5322 wants it so. */
  g_string_append_printf (message,
                          "From: Photoseal <%s>\r\n"
                          "To: <%s>\r\n"
                          "Subject: %s\r\n"
                          "Date: %s\r\n"
                          "Message-ID: %s\r\n"
                          "Auto-Submitted: auto-generated\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=UTF-8\r\n"
                          "Content-Transfer-Encoding: base64\r\n"
                          "\r\n",
                          self->from, to, encoded_subject, date, message_id);
  for (gsize i = 0; i < length; i += 76)
    {
      g_string_append_len (message, encoded_body + i, MIN (76, length - i));
      g_string_append (message, "\r\n");
    }
  return g_string_free_to_bytes (message);
}

typedef struct
{
  const guint8 *data;
  gsize left;
} Upload;

static size_t
read_upload (char   *buffer,
             size_t  size,
             size_t  count,
             void   *user_data)
{
  Upload *upload = user_data;
  size_t n = MIN (size * count, upload->left);

  memcpy (buffer, upload->data, n);
  upload->data += n;
  upload->left -= n;
  return n;
}

static gboolean
deliver (PhotosealMailer  *self,
         const char       *to,
         GBytes           *message,
         GError          **error)
{
  g_autofree char *recipient = g_strdup_printf ("<%s>", to);
  g_autofree char *sender = g_strdup_printf ("<%s>", self->from);
  struct curl_slist *recipients = curl_slist_append (NULL, recipient);
  Upload upload = { g_bytes_get_data (message, NULL), g_bytes_get_size (message) };
  char curl_error[CURL_ERROR_SIZE] = "";
  CURL *curl = curl_easy_init ();
  CURLcode code;

  curl_easy_setopt (curl, CURLOPT_URL, self->url);
  curl_easy_setopt (curl, CURLOPT_USE_SSL, self->require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
  if (self->user != NULL)
    curl_easy_setopt (curl, CURLOPT_USERNAME, self->user);
  if (self->password != NULL)
    curl_easy_setopt (curl, CURLOPT_PASSWORD, self->password);
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, sender);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt (curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT,
                    (long) MIN (CONNECT_TIMEOUT_SECONDS, self->timeout));
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, (long) self->timeout);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, curl_error);
  if (g_getenv ("PHOTOSEAL_CA_FILE") != NULL)
    curl_easy_setopt (curl, CURLOPT_CAINFO, g_getenv ("PHOTOSEAL_CA_FILE"));

  code = curl_easy_perform (curl);
  if (code != CURLE_OK)
    {
      curl_socket_t socket = CURL_SOCKET_BAD;

      /* libcurl says QUIT on cleanup and waits for the answer without a
       * timeout: a relay that hung mid-message would hold this thread for
       * as long as it likes. Shutting the socket first makes QUIT fail at once. */
      if (curl_easy_getinfo (curl, CURLINFO_ACTIVESOCKET, &socket) == CURLE_OK
          && socket != CURL_SOCKET_BAD)
        shutdown (socket, SHUT_RDWR);
    }
  curl_easy_cleanup (curl);
  curl_slist_free_all (recipients);
  if (code != CURLE_OK)
    {
      /* libcurl's message names the relay and the step, never the password. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the mail relay refused or failed: %s",
                   curl_error[0] ? curl_error : curl_easy_strerror (code));
      return FALSE;
    }
  return TRUE;
}

static GBytes *
checked_message (PhotosealMailer  *self,
                 const char       *to,
                 const char       *subject,
                 const char       *body,
                 GError          **error)
{
  if (!is_address (to) || !is_header_safe (subject))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "a mail's address or subject holds a character a header cannot");
      return NULL;
    }
  return build_message (self, to, subject, body);
}

/**
 * photoseal_mailer_send:
 * @to: a normalised address
 * @subject: one line
 * @body: plain text, UTF-8
 *
 * Sends one message and waits for the relay's answer, at most
 * its timeout (30 s unless set). Call it off the main loop.
 */
gboolean
photoseal_mailer_send (PhotosealMailer  *self,
                       const char       *to,
                       const char       *subject,
                       const char       *body,
                       GError          **error)
{
  g_autoptr(GBytes) message = NULL;

  g_return_val_if_fail (PHOTOSEAL_IS_MAILER (self), FALSE);
  g_return_val_if_fail (to != NULL && subject != NULL && body != NULL, FALSE);

  return (message = checked_message (self, to, subject, body, error))
         && deliver (self, to, message, error);
}

/**
 * photoseal_mailer_send_async:
 *
 * Sends one message on the mailer's own threads; the callback runs once the
 * relay answered, failed, or the timeout passed.
 */
void
photoseal_mailer_send_async (PhotosealMailer     *self,
                             const char          *to,
                             const char          *subject,
                             const char          *body,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Mail *mail;

  g_return_if_fail (PHOTOSEAL_IS_MAILER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, photoseal_mailer_send_async);
  mail = g_new0 (Mail, 1);
  g_task_set_task_data (task, mail, (GDestroyNotify) mail_free);
  mail->to = g_strdup (to);
  if (!(mail->message = checked_message (self, to, subject, body, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_thread_pool_push (self->senders, g_steal_pointer (&task), NULL);
}

gboolean
photoseal_mailer_send_finish (PhotosealMailer  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
