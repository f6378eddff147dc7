/* photoseal-keyserver-routes-identity.c: POST /v1/accounts/verification,
 * /v1/accounts/password-reset and /v1/accounts/password, and the codes
 * they mail
 *
 * "Send me a code" must not tell whether an account exists, by its answer
 * or by its timing: the route answers 202 {} as soon as the address is
 * well-formed, and everything that depends on the address (the store, the
 * throttle, Argon2id, the relay) happens afterwards on the server's
 * background thread. For the same reason the throttle drops mail silently
 * instead of answering 429.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-keyserver-routes.h"

#define CODE_LIFETIME (15 * 60)
/* Mails per address per code lifetime, and per client address per hour
 * (generous: a whole hospital may sit behind one NAT address). */
#define CODES_PER_ADDRESS 3
#define CODES_PER_CLIENT 200
#define MAX_CODE 64

typedef struct
{
  PhotosealKeyserver *server;
  char *email;
  char *client;
  const char *purpose;
} CodeJob;

static void
code_job_free (CodeJob *job)
{
  g_object_unref (job->server);
  g_free (job->email);
  g_free (job->client);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CodeJob, code_job_free)

static gboolean
throttled (PhotosealStore *store,
           CodeJob        *job,
           gint64          now)
{
  g_autofree char *per_address = g_strconcat ("code:", job->purpose, ":", job->email, NULL);
  g_autofree char *per_client = g_strconcat ("code-client:", job->client, NULL);

  return photoseal_store_add_failure (store, per_address, now, CODE_LIFETIME, NULL)
           > CODES_PER_ADDRESS
         || photoseal_store_add_failure (store, per_client, now, 3600, NULL) > CODES_PER_CLIENT;
}

/* Whether @job's address gets a code at all. */
static gboolean
deserves_code (CodeJob *job)
{
  PhotosealKeyserverOptions *options = photoseal_keyserver_get_options (job->server);
  PhotosealStore *store = photoseal_keyserver_get_store (job->server);
  g_autoptr(PhotosealAccount) account = photoseal_store_find_account (store, job->email, NULL);

  if (g_str_equal (job->purpose, "verify"))
    return account == NULL && g_strcmp0 (options->registration, "verified") == 0
           && photoseal_keyserver_options_domain_allowed (options, job->email);
  return account != NULL && !account->disabled;
}

static char *
code_mail_text (const char *purpose,
                const char *code)
{
  const char *what = g_str_equal (purpose, "verify")
                     ? "Someone, probably you, asked to create a Photoseal account with this "
                       "address."
                     : "Someone, probably you, asked to reset the password of your Photoseal "
                       "account.";

  return g_strdup_printf ("%s\n\nYour code is %s. It expires in 15 minutes.\n\n"
                          "If you did not ask for it, ignore this mail.\n", what, code);
}

static void
mail_code (gpointer data,
           gpointer user_data)
{
  g_autoptr(CodeJob) job = data;
  PhotosealStore *store = photoseal_keyserver_get_store (job->server);
  PhotosealMailer *mailer = photoseal_keyserver_get_mailer (job->server);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *hash = NULL;
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (mailer == NULL || throttled (store, job, now))
    return;
  /* Hashed whether or not it is sent: this thread's load must not tell
   * other requests' timing which addresses have accounts either. */
  code = photoseal_access_code_new (&hash);
  if (!deserves_code (job))
    return;
  if (code == NULL
      || !photoseal_store_put_code (store, job->email, job->purpose, hash,
                                    now + CODE_LIFETIME, &error))
    {
      photoseal_keyserver_log ("mail: no %s code for %s: %s", job->purpose, job->email,
                               error ? error->message : "out of memory");
      return;
    }
  text = code_mail_text (job->purpose, code);
  sodium_memzero (code, strlen (code));
  if (photoseal_mailer_send (mailer, job->email, "Your Photoseal code", text, &error))
    photoseal_keyserver_log ("mail: %s code sent to %s", job->purpose, job->email);
  else
    photoseal_keyserver_log ("mail: %s code to %s not sent: %s", job->purpose, job->email,
                             error->message);
  sodium_memzero (text, strlen (text));
}

/* Answers 202 {} for any well-formed address, and mails later. */
static void
answer_and_mail_later (PhotosealRequest *request,
                       const char       *purpose)
{
  static const char * const fields[] = { "email", NULL };
  g_autoptr(PhotosealRequest) owned = request;
  const char *email;
  CodeJob *job;

  if (photoseal_request_parse_body (request)
      && photoseal_request_check_fields (request, request->body, fields)
      && photoseal_request_get_email (request, request->body, "email", &email))
    {
      job = g_new0 (CodeJob, 1);
      job->server = g_object_ref (request->server);
      job->email = g_strdup (email);
      job->client = g_strdup (request->address);
      job->purpose = purpose;
      photoseal_keyserver_run_later (request->server, mail_code, job,
                                     (GDestroyNotify) code_job_free);
      photoseal_request_reply (request, 202, json_node_init_object (json_node_alloc (),
                                                                     json_object_new ()));
    }
  photoseal_request_send (request);
}

void
photoseal_route_verification (PhotosealRequest *request)
{
  answer_and_mail_later (request, "verify");
}

void
photoseal_route_password_reset (PhotosealRequest *request)
{
  answer_and_mail_later (request, "reset");
}

/* A reset ends every session: whoever had the old password, or a stolen
 * token, is out. */
static void
set_password (PhotosealRequest *request)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  const char *email = json_object_get_string_member (request->body, "email");
  const char *password = json_object_get_string_member (request->body, "password");
  char hash[crypto_pwhash_STRBYTES];
  g_autoptr(GError) error = NULL;
  gboolean ok;

  static const char * const reset[] = { "reset", NULL };

  if (!photoseal_request_check_code (request, email, reset,
                                     json_object_get_string_member (request->body, "code")))
    return;
  if (crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      photoseal_request_fail (request, 503, "busy", "The server is out of memory; try again");
      return;
    }
  ok = photoseal_store_reset_password (store, email, hash, &error);
  sodium_memzero (hash, sizeof hash);
  if (g_error_matches (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_NOT_FOUND))
    photoseal_request_fail (request, 400, "bad_code", "The code is wrong or has expired");
  else if (!ok)
    photoseal_request_fail_internal (request, error, "The password could not be changed");
  else
    {
      photoseal_keyserver_log ("password of %s reset; every session ended", email);
      photoseal_request_reply (request, 204, NULL);
    }
}

void
photoseal_route_set_password (PhotosealRequest *request)
{
  static const char * const fields[] = { "email", "code", "password", NULL };
  g_autoptr(PhotosealRequest) owned = request;
  const char *value;

  if (photoseal_request_parse_body (request)
      && photoseal_request_check_fields (request, request->body, fields)
      && photoseal_request_get_email (request, request->body, "email", &value)
      && photoseal_request_get_string (request, request->body, "code", 1, MAX_CODE, &value)
      && photoseal_request_get_string (request, request->body, "password",
                                       PHOTOSEAL_MIN_PASSWORD, PHOTOSEAL_MAX_PASSWORD, &value))
    {
      photoseal_keyserver_run (request->server, g_steal_pointer (&owned), PHOTOSEAL_WORK_PASSWORD,
                               set_password);
      return;
    }
  photoseal_request_send (request);
}

typedef enum
{
  CODE_RIGHT,
  CODE_WRONG,
  CODE_LOCKED,
} CodeResult;

/* Uses up a try of @email's code for @purpose, then checks @code; a right
 * code is used up. */
static CodeResult
try_code (PhotosealStore *store,
          const char     *email,
          const char     *purpose,
          const char     *code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *plain = NULL;
  gboolean right;

  hash = photoseal_store_take_code_try (store, email, purpose, g_get_real_time () / G_USEC_PER_SEC,
                                        &error);
  if (g_error_matches (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_LOCKED))
    return CODE_LOCKED;
  if (hash == NULL)
    return CODE_WRONG;
  plain = photoseal_access_code_normalize (code);
  right = crypto_pwhash_str_verify (hash, plain, strlen (plain)) == 0;
  sodium_memzero (plain, strlen (plain));
  if (!right)
    return CODE_WRONG;
  photoseal_store_remove_code (store, email, purpose, NULL);
  return CODE_RIGHT;
}

/**
 * photoseal_request_check_code:
 * @purposes: the kinds of code that are good here ("verify", "invite",
 *   "reset")
 *
 * On a password worker: uses up a try of each of @email's codes for
 * @purposes until one is @code; that one is used up. Fails @request with
 * 400 `bad_code` or 429 `locked` otherwise.
 */
gboolean
photoseal_request_check_code (PhotosealRequest   *request,
                              const char         *email,
                              const char * const *purposes,
                              const char         *code)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  gboolean locked = FALSE;

  for (guint i = 0; purposes[i] != NULL; i++)
    switch (try_code (store, email, purposes[i], code))
      {
      case CODE_RIGHT:
        return TRUE;
      case CODE_LOCKED:
        locked = TRUE;
        break;
      case CODE_WRONG:
      default:
        break;
      }
  if (locked)
    photoseal_request_fail (request, 429, "locked", "Too many wrong codes; ask for a new one");
  else
    photoseal_request_fail (request, 400, "bad_code", "The code is wrong or has expired");
  return FALSE;
}
