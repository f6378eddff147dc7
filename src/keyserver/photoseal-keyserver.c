/* photoseal-keyserver.c
 *
 * A SoupServer on the main loop that only parses and answers: everything
 * that blocks (SQLite, Argon2id) runs on worker pools, and the message is
 * paused meanwhile. Every answer is JSON, including the ones libsoup would
 * make up itself (bad paths, unknown routes, oversized bodies), and every
 * request gets one access-log line with a request id, never a secret.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libsoup/soup.h>
#include <sodium.h>

#include "photoseal-keyserver-listener.h"
#include "photoseal-keyserver-private.h"
#include "photoseal-protocol.h"
#include "photoseal-keyserver-routes.h"
#include "photoseal-keyserver.h"

#define STORE_WORKERS 8
/* Seconds that requests in flight get to finish after SIGTERM. */
#define SHUTDOWN_GRACE 10

typedef struct
{
  const char *method;
  const char *pattern;
  void (*handler) (PhotosealRequest *request);
} Route;

/* A "*" segment matches one path segment, handed to the route. */
static const Route routes[] = {
  { "GET", "/v1/info", photoseal_route_info },
  { "GET", "/v1/health", photoseal_route_health },
  { "POST", "/v1/accounts", photoseal_route_create_account },
  { "POST", "/v1/accounts/verification", photoseal_route_verification },
  { "POST", "/v1/accounts/password-reset", photoseal_route_password_reset },
  { "POST", "/v1/accounts/password", photoseal_route_set_password },
  { "GET", "/v1/devices", photoseal_route_list_devices },
  { "DELETE", "/v1/devices/*", photoseal_route_remove_device },
  { "POST", "/v1/recipients/lookup", photoseal_route_lookup_recipients },
  { "GET", "/v1/accounts/me", photoseal_route_me },
  { "POST", "/v1/sessions", photoseal_route_create_session },
  { "DELETE", "/v1/sessions/current", photoseal_route_logout },
  { "POST", "/v1/keys", photoseal_route_create_key },
  { "GET", "/v1/keys", photoseal_route_list_keys },
  { "GET", "/v1/keys/*", photoseal_route_show_key },
  { "PATCH", "/v1/keys/*", photoseal_route_update_key },
  { "DELETE", "/v1/keys/*", photoseal_route_revoke_key },
  { "GET", "/v1/keys/*/events", photoseal_route_key_events },
  { "POST", "/v1/keys/*/release", photoseal_route_release },
};

struct _PhotosealKeyserver
{
  GObject parent_instance;

  PhotosealStore *store;
  PhotosealMasterKey *master_key;
  PhotosealKeyserverOptions *options;
  PhotosealMailer *mailer;
  GPtrArray *trusted_proxies;
  /* Orders releases before revocations. A hand-made lock because GRWLock
   * on glibc prefers readers: a steady stream of releases would hold a
   * revocation off indefinitely. Here a waiting revocation stops new
   * releases from entering. */
  GMutex order_mutex;
  GCond order_cond;
  guint releases_active;
  guint revocations_waiting;
  gboolean revoking;
  char *journal_path;
  SoupServer *server;
  PhotosealKeyserverListener *listener;
  GThreadPool *store_pool;
  GThreadPool *password_pool;
  /* Work no answer waits for, such as mailing a code: one thread, so a
   * flood of requests queues here instead of hashing in parallel. */
  GThreadPool *later_pool;
  /* Set once draining: queued later jobs are freed, not run. */
  gint dropping_later;
  GMainContext *context;
  /* Verified against when an email is unknown, so that a login costs the
   * same whether or not the account exists. */
  char *dummy_hash;
  /* Refused releases in the current minute: per client address, and per
   * (key, actor, address) the ones not written to the audit log. */
  GMutex refusals_mutex;
  gint64 refusals_minute;
  GHashTable *refusals_per_address;
  GHashTable *refusals_unwritten;
  guint in_flight;
  GMainLoop *stopping;
};

G_DEFINE_FINAL_TYPE (PhotosealKeyserver, photoseal_keyserver, G_TYPE_OBJECT)

typedef struct
{
  PhotosealRequest *request;
  PhotosealWorkFunc func;
} Job;

void
photoseal_keyserver_log (const char *format,
                         ...)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "%s.%03dZ %s\n", stamp, g_date_time_get_microsecond (now) / 1000, line);
}

static gboolean
finish_job (gpointer data)
{
  Job *job = data;
  PhotosealKeyserver *self = job->request->server;

  photoseal_request_send (job->request);
  soup_server_message_unpause (job->request->msg);
  photoseal_request_free (job->request);
  g_free (job);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
order_enter (PhotosealKeyserver *self,
             int                 lock)
{
  g_mutex_lock (&self->order_mutex);
  if (lock == PHOTOSEAL_LOCK_SHARED)
    {
      while (self->revoking || self->revocations_waiting > 0)
        g_cond_wait (&self->order_cond, &self->order_mutex);
      self->releases_active++;
    }
  else if (lock == PHOTOSEAL_LOCK_EXCLUSIVE)
    {
      self->revocations_waiting++;
      while (self->revoking || self->releases_active > 0)
        g_cond_wait (&self->order_cond, &self->order_mutex);
      self->revocations_waiting--;
      self->revoking = TRUE;
    }
  g_mutex_unlock (&self->order_mutex);
}

static void
order_leave (PhotosealKeyserver *self,
             int                 lock)
{
  g_mutex_lock (&self->order_mutex);
  if (lock == PHOTOSEAL_LOCK_SHARED)
    self->releases_active--;
  else if (lock == PHOTOSEAL_LOCK_EXCLUSIVE)
    self->revoking = FALSE;
  g_cond_broadcast (&self->order_cond);
  g_mutex_unlock (&self->order_mutex);
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  PhotosealKeyserver *self = job->request->server;
  int lock = job->request->release_lock;

  order_enter (self, lock);
  job->func (job->request);
  g_main_context_invoke (self->context, finish_job, job);
  order_leave (self, lock);
}

/**
 * photoseal_keyserver_run:
 * @request: (transfer full): the request, its JSON already checked
 * @func: runs on a worker thread and fills in the reply
 */
void
photoseal_keyserver_run (PhotosealKeyserver *self,
                         PhotosealRequest   *request,
                         PhotosealWork       work,
                         PhotosealWorkFunc   func)
{
  Job *job = g_new0 (Job, 1);

  job->request = request;
  job->func = func;
  g_object_ref (self);
  soup_server_message_pause (request->msg);
  g_thread_pool_push (work == PHOTOSEAL_WORK_PASSWORD ? self->password_pool : self->store_pool,
                      job, NULL);
}

/**
 * photoseal_token_hash:
 * @token: (nullable): a bearer token, unpadded base64url of 32 bytes
 * @hash: (out caller-allocates): its BLAKE2b-256 hash, the form stored
 *
 * Returns: %FALSE if @token is not a well-formed token
 */
gboolean
photoseal_token_hash (const char *token,
                      guint8     *hash)
{
  guint8 raw[32];
  const char *end = NULL;
  size_t len = 0;
  gboolean ok;

  ok = token != NULL
       && sodium_base642bin (raw, sizeof raw, token, strlen (token), NULL, &len, &end,
                             sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0
       && *end == '\0' && len == sizeof raw;
  if (ok)
    crypto_generichash (hash, PHOTOSEAL_TOKEN_HASH_SIZE, raw, sizeof raw, NULL, 0);
  sodium_memzero (raw, sizeof raw);
  return ok;
}

/**
 * photoseal_keyserver_authenticate:
 *
 * On a worker thread: finds the session of the request's bearer token, or
 * sets a 401 reply and returns %NULL. Tokens are looked up by their
 * BLAKE2b hash: the database never holds one that works.
 */
PhotosealSession *
photoseal_keyserver_authenticate (PhotosealKeyserver *self,
                                  PhotosealRequest   *request)
{
  guint8 token_hash[PHOTOSEAL_TOKEN_HASH_SIZE];
  g_autoptr(GError) error = NULL;
  PhotosealSession *session = NULL;

  if (photoseal_token_hash (request->token, token_hash))
    session = photoseal_store_find_session (self->store, token_hash,
                                            g_get_real_time () / G_USEC_PER_SEC, &error);

  if (error != NULL)
    photoseal_request_fail (request, 500, "internal", "The server could not check the session");
  else if (session == NULL)
    photoseal_request_fail (request, 401, "unauthorized", "Sign in first: no valid session token");
  return session;
}

/* The three signature headers, decoded; FALSE if one is missing or
 * malformed. */
static gboolean
read_signature_headers (PhotosealRequest *request,
                        gint64           *timestamp,
                        guint8           *nonce,
                        guint8           *signature)
{
  size_t len = 0;
  const char *end = NULL;

  if (request->signed_timestamp == NULL || request->signed_nonce == NULL
      || request->signature == NULL
      || !g_ascii_string_to_signed (request->signed_timestamp, 10, G_MININT64, G_MAXINT64,
                                    timestamp, NULL))
    return FALSE;
  if (sodium_base642bin (nonce, PHOTOSEAL_PROTOCOL_NONCE_SIZE, request->signed_nonce,
                         strlen (request->signed_nonce), NULL, &len, &end,
                         sodium_base64_VARIANT_ORIGINAL) != 0
      || *end != '\0' || len != PHOTOSEAL_PROTOCOL_NONCE_SIZE)
    return FALSE;
  return sodium_base642bin (signature, crypto_sign_BYTES, request->signature,
                            strlen (request->signature), NULL, &len, &end,
                            sodium_base64_VARIANT_ORIGINAL) == 0
         && *end == '\0' && len == crypto_sign_BYTES;
}

/**
 * photoseal_keyserver_authenticate_signed:
 *
 * On a worker thread: like photoseal_keyserver_authenticate(), for a
 * request that changes something. It must also carry a fresh signature
 * by the session's device key over its method, target and body, with a
 * nonce never seen before (DESIGN "Request signatures"): a stolen bearer
 * token alone changes nothing. Sets a 401 or 409 reply otherwise.
 */
PhotosealSession *
photoseal_keyserver_authenticate_signed (PhotosealKeyserver *self,
                                         PhotosealRequest   *request)
{
  g_autoptr(PhotosealSession) session = photoseal_keyserver_authenticate (self, request);
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GError) error = NULL;
  guint8 nonce[PHOTOSEAL_PROTOCOL_NONCE_SIZE];
  guint8 signature[crypto_sign_BYTES];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 timestamp = 0;

  if (session == NULL)
    return NULL;
  if (!read_signature_headers (request, &timestamp, nonce, signature))
    {
      photoseal_request_fail (request, 401, "bad_signature", "This request must be signed by the "
                              "session's device key (Photoseal-Signature)");
      return NULL;
    }
  if (!photoseal_request_timestamp_is_fresh (timestamp, now, PHOTOSEAL_SIGNATURE_WINDOW))
    {
      photoseal_request_fail (request, 401, "stale_timestamp",
                              "The request's time is more than %d s off; check the clock",
                              PHOTOSEAL_SIGNATURE_WINDOW);
      return NULL;
    }
  message = photoseal_protocol_request_message (request->method, request->target,
                                                request->raw_body, timestamp, nonce);
  if (crypto_sign_verify_detached (signature, g_bytes_get_data (message, NULL),
                                   g_bytes_get_size (message), session->device_public_key) != 0)
    {
      photoseal_request_fail (request, 401, "bad_signature",
                              "The request is not signed by this session's device key");
      return NULL;
    }
  if (!photoseal_store_remember_nonce (self->store, nonce, now, PHOTOSEAL_NONCE_LIFETIME, &error))
    {
      if (g_error_matches (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_REPLAYED))
        photoseal_request_fail (request, 409, "replayed", "This request was already made");
      else
        photoseal_request_fail_internal (request, error, "The request could not be checked");
      return NULL;
    }
  return g_steal_pointer (&session);
}

/* Refused releases **************************************************/

/* Called with the lock held: a new minute starts the counts again, and
 * says in the log how many refusals went unwritten in the last one. */
static void
refusals_roll (PhotosealKeyserver *self,
               gint64              minute)
{
  GHashTableIter iter;
  const char *what;
  gpointer count;

  if (self->refusals_minute == minute)
    return;
  g_hash_table_iter_init (&iter, self->refusals_unwritten);
  while (g_hash_table_iter_next (&iter, (gpointer *) &what, &count))
    if (GPOINTER_TO_UINT (count) > 0)
      photoseal_keyserver_log ("%u more refused release(s) of %s in that minute, not written to "
                               "the audit log", GPOINTER_TO_UINT (count), what);
  g_hash_table_remove_all (self->refusals_unwritten);
  g_hash_table_remove_all (self->refusals_per_address);
  self->refusals_minute = minute;
}

/**
 * photoseal_keyserver_refusals_exhausted:
 * @retry_after: (out): seconds until the minute ends
 *
 * Whether @address has had %PHOTOSEAL_MAX_REFUSALS_PER_MINUTE releases
 * refused this minute: then it gets no further answer than a 429, and
 * costs neither a database lookup nor an audit row.
 */
gboolean
photoseal_keyserver_refusals_exhausted (PhotosealKeyserver *self,
                                        const char         *address,
                                        guint              *retry_after)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint count;

  g_mutex_lock (&self->refusals_mutex);
  refusals_roll (self, now / 60);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->refusals_per_address, address));
  g_mutex_unlock (&self->refusals_mutex);
  *retry_after = 60 - now % 60;
  return count >= PHOTOSEAL_MAX_REFUSALS_PER_MINUTE;
}

/**
 * photoseal_keyserver_count_refusal:
 *
 * Counts a refused release against its client address. Returns whether
 * its "deny" event is to be written: only the first one of @key_id,
 * @actor and @address in a minute is, so that whoever has seen a file's
 * key id cannot fill the audit log and the disk with refusals.
 */
gboolean
photoseal_keyserver_count_refusal (PhotosealKeyserver *self,
                                   const char         *key_id,
                                   const char         *actor,
                                   const char         *address)
{
  g_autofree char *what = g_strdup_printf ("key=%s actor=%s addr=%s", key_id, actor, address);
  gpointer count = NULL;
  gboolean first;

  g_mutex_lock (&self->refusals_mutex);
  refusals_roll (self, g_get_real_time () / G_USEC_PER_SEC / 60);
  g_hash_table_insert (self->refusals_per_address, g_strdup (address),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (
                         g_hash_table_lookup (self->refusals_per_address, address)) + 1));
  first = !g_hash_table_lookup_extended (self->refusals_unwritten, what, NULL, &count);
  g_hash_table_insert (self->refusals_unwritten, g_steal_pointer (&what),
                       GUINT_TO_POINTER (first ? 0 : GPOINTER_TO_UINT (count) + 1));
  g_mutex_unlock (&self->refusals_mutex);
  return first;
}

/* On a password worker: constant-time verification through libsodium. */
gboolean
photoseal_keyserver_verify_password (PhotosealKeyserver *self,
                                     const char         *hash,
                                     const char         *password)
{
  if (hash == NULL)
    {
      /* Only the time this takes matters: the dummy password is random. */
      if (crypto_pwhash_str_verify (self->dummy_hash, password, strlen (password)) == 0)
        g_assert_not_reached ();
      return FALSE;
    }
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

PhotosealMasterKey *
photoseal_keyserver_get_master_key (PhotosealKeyserver *self)
{
  return self->master_key;
}

const char *
photoseal_keyserver_get_journal_path (PhotosealKeyserver *self)
{
  return self->journal_path;
}

PhotosealStore *
photoseal_keyserver_get_store (PhotosealKeyserver *self)
{
  return self->store;
}

/**
 * photoseal_keyserver_client_address:
 *
 * The peer's address; or, when the peer is a trusted proxy, the client it
 * forwarded for: X-Forwarded-For read from the right, past the trusted
 * proxies. Anyone else's X-Forwarded-For is ignored, since a client
 * could otherwise pick any address to be throttled under.
 */
char *
photoseal_keyserver_client_address (PhotosealKeyserver *self,
                                    SoupServerMessage  *msg)
{
  const char *peer = soup_server_message_get_remote_host (msg);
  const char *forwarded = soup_message_headers_get_list (
    soup_server_message_get_request_headers (msg), "X-Forwarded-For");
  g_auto(GStrv) hops = NULL;

  if (peer == NULL)
    return g_strdup ("-");
  if (forwarded == NULL || !photoseal_keyserver_proxies_match (self->trusted_proxies, peer))
    return g_strdup (peer);

  hops = g_strsplit (forwarded, ",", 32);
  for (int i = (int) g_strv_length (hops) - 1; i >= 0; i--)
    {
      g_autoptr(GInetAddress) hop = g_inet_address_new_from_string (g_strstrip (hops[i]));

      if (hop == NULL)
        break;
      if (!photoseal_keyserver_proxies_match (self->trusted_proxies, hops[i]))
        return g_inet_address_to_string (hop);
    }
  return g_strdup (peer);
}

gboolean
photoseal_keyserver_registration_open (PhotosealKeyserver *self)
{
  return g_strcmp0 (self->options->registration, "open") == 0;
}

PhotosealKeyserverOptions *
photoseal_keyserver_get_options (PhotosealKeyserver *self)
{
  return self->options;
}

/* Returns: (nullable) (transfer none): the relay, %NULL without smtp-url= */
PhotosealMailer *
photoseal_keyserver_get_mailer (PhotosealKeyserver *self)
{
  return self->mailer;
}

/* Routing ***************************************************************/

static gboolean
match (const char  *pattern,
       const char  *path,
       char       **argument)
{
  g_auto(GStrv) want = g_strsplit (pattern, "/", -1);
  g_auto(GStrv) have = g_strsplit (path, "/", -1);

  if (g_strv_length (want) != g_strv_length (have))
    return FALSE;
  for (guint i = 0; want[i]; i++)
    {
      if (strcmp (want[i], "*") == 0 && *have[i] != '\0')
        {
          g_free (*argument);
          *argument = g_strdup (have[i]);
        }
      else if (strcmp (want[i], have[i]) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  PhotosealKeyserver *self = user_data;
  g_autoptr(PhotosealRequest) request = photoseal_request_new (self, msg);
  gboolean path_known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!match (routes[i].pattern, path, &request->path_argument))
        continue;
      path_known = TRUE;
      if (strcmp (routes[i].method, request->method) == 0)
        {
          routes[i].handler (g_steal_pointer (&request));
          return;
        }
    }

  if (path_known)
    photoseal_request_fail (request, 405, "method_not_allowed", "%s is not allowed here",
                            request->method);
  else
    photoseal_request_fail (request, 404, "not_found", "There is nothing at this address");
  photoseal_request_send (request);
}

/* Percent-encoded separators, NULs and dot segments never reach a route. */
static gboolean
path_is_clean (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return path[0] == '/' && strstr (lower, "%2f") == NULL && strstr (lower, "%5c") == NULL
         && strstr (lower, "%00") == NULL && strstr (lower, "%2e") == NULL
         && strstr (path, "/../") == NULL && strstr (path, "/./") == NULL
         && !g_str_has_suffix (path, "/..") && !g_str_has_suffix (path, "/.")
         && strchr (path, '\\') == NULL;
}

static void
on_request_read (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  GUri *uri = soup_server_message_get_uri (msg);
  guint status = soup_server_message_get_status (msg);
  g_autoptr(PhotosealRequest) request = NULL;

  /* An early handler already answered. */
  if (status >= 400 && soup_server_message_get_response_body (msg)->length > 0)
    return;

  /* libsoup has already refused it (a malformed request): say so in JSON. */
  if (status >= 400)
    {
      request = photoseal_request_new (user_data, msg);
      photoseal_request_fail (request, status, status == 413 ? "too_large" : "invalid",
                              "%s", soup_status_get_phrase (status));
      photoseal_request_send (request);
    }
  else if (uri == NULL || !path_is_clean (g_uri_get_path (uri)))
    {
      request = photoseal_request_new (user_data, msg);
      photoseal_request_fail (request, 400, "invalid", "The address has a forbidden character "
                              "or segment");
      photoseal_request_send (request);
    }
}

/* Counts a message out once, whether it finished or its connection went
 * away first (a client that connected and left, or failed the TLS
 * handshake, never finishes a request). */
void
photoseal_keyserver_request_done (PhotosealKeyserver *self,
                                  SoupServerMessage  *msg)
{
  if (g_object_get_data (G_OBJECT (msg), "photoseal-done") != NULL)
    return;
  g_object_set_data (G_OBJECT (msg), "photoseal-done", GINT_TO_POINTER (1));

  if (--self->in_flight == 0 && self->stopping != NULL)
    g_main_loop_quit (self->stopping);
}

static void
on_request_disconnected (SoupServerMessage *msg,
                         gpointer           user_data)
{
  photoseal_keyserver_request_done (user_data, msg);
}

static void
on_request_finished (SoupServerMessage *msg,
                     gpointer           user_data)
{
  PhotosealKeyserver *self = user_data;
  gint64 *started = g_object_get_data (G_OBJECT (msg), "photoseal-started");
  const char *id = soup_message_headers_get_one (soup_server_message_get_response_headers (msg),
                                                 "X-Request-Id");
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *address = photoseal_keyserver_client_address (self, msg);

  photoseal_keyserver_log ("req=%s addr=%s \"%s %s\" %u %.1fms", id ? id : "-", address,
                           soup_server_message_get_method (msg),
                           uri ? g_uri_get_path (uri) : "?",
                           soup_server_message_get_status (msg),
                           started ? (g_get_monotonic_time () - *started) / 1000.0 : 0.0);
  photoseal_keyserver_request_done (self, msg);
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  PhotosealKeyserver *self = user_data;
  gint64 *started = g_new (gint64, 1);
  guint8 id[6];
  char hex[sizeof id * 2 + 1];

  *started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "photoseal-started", started, g_free);
  randombytes_buf (id, sizeof id);
  sodium_bin2hex (hex, sizeof hex, id, sizeof id);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Request-Id",
                                hex);

  /* libsoup before 3.3 never notices a client closing an idle kept-alive
   * connection, and leaks its socket (CLOSE-WAIT) until the server runs
   * out of descriptors: there, every answer closes its connection. */
  if (soup_get_major_version () == 3 && soup_get_minor_version () < 3)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                  "close");

  self->in_flight++;
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (photoseal_body_limit_on_got_chunk), self,
                           0);
  g_signal_connect_object (msg, "finished", G_CALLBACK (on_request_finished), self, 0);
  g_signal_connect_object (msg, "disconnected", G_CALLBACK (on_request_disconnected), self, 0);
}

/* Setup ****************************************************************/

/**
 * photoseal_keyserver_drain:
 *
 * Waits for every queued and running job to finish. After the shutdown
 * grace period, jobs may still hold the server (and use the store and the
 * master key): the caller drains before freeing those.
 */
void
photoseal_keyserver_drain (PhotosealKeyserver *self)
{
  g_return_if_fail (PHOTOSEAL_IS_KEYSERVER (self));

  if (self->store_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->store_pool), FALSE, TRUE);
  if (self->password_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->password_pool), FALSE, TRUE);
  /* Mail not yet sent is dropped rather than holding up a stop: whoever
   * asked for a code asks again. The queued jobs are freed, not run. */
  g_atomic_int_set (&self->dropping_later, 1);
  if (self->later_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->later_pool), FALSE, TRUE);
}

typedef struct
{
  GFunc func;
  gpointer data;
  GDestroyNotify destroy;
} LaterJob;

static void
run_later_job (gpointer data,
               gpointer user_data)
{
  PhotosealKeyserver *self = user_data;
  LaterJob *job = data;

  if (g_atomic_int_get (&self->dropping_later))
    job->destroy (job->data);
  else
    job->func (job->data, user_data);
  g_free (job);
}

/**
 * photoseal_keyserver_run_later:
 * @func: called on the server's one background thread with @data and the
 *   server; it owns @data
 * @destroy: frees @data instead when the server stops before @func ran
 *
 * For work whose outcome the answer must not reveal, by its content or
 * its timing: the request is answered without waiting for it.
 */
void
photoseal_keyserver_run_later (PhotosealKeyserver *self,
                               GFunc               func,
                               gpointer            data,
                               GDestroyNotify      destroy)
{
  LaterJob *job = g_new0 (LaterJob, 1);

  job->func = func;
  job->data = data;
  job->destroy = destroy;
  g_thread_pool_push (self->later_pool, job, NULL);
}

static void
photoseal_keyserver_finalize (GObject *object)
{
  PhotosealKeyserver *self = (PhotosealKeyserver *) object;

  g_clear_object (&self->listener);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  photoseal_keyserver_drain (self);
  g_clear_object (&self->store);
  g_mutex_clear (&self->order_mutex);
  g_mutex_clear (&self->refusals_mutex);
  g_clear_pointer (&self->refusals_per_address, g_hash_table_unref);
  g_clear_pointer (&self->refusals_unwritten, g_hash_table_unref);
  g_cond_clear (&self->order_cond);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->mailer);
  g_free (self->dummy_hash);
  g_free (self->journal_path);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);

  G_OBJECT_CLASS (photoseal_keyserver_parent_class)->finalize (object);
}

static void
photoseal_keyserver_class_init (PhotosealKeyserverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_keyserver_finalize;
}

static void
photoseal_keyserver_init (PhotosealKeyserver *self)
{
  guint cores = MAX (1, g_get_num_processors ());
  char dummy_password[32];

  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->order_mutex);
  g_mutex_init (&self->refusals_mutex);
  self->refusals_per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->refusals_unwritten = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_cond_init (&self->order_cond);
  self->store_pool = g_thread_pool_new (run_job, self, STORE_WORKERS, FALSE, NULL);
  self->password_pool = g_thread_pool_new (run_job, self, cores, FALSE, NULL);
  self->later_pool = g_thread_pool_new (run_later_job, self, 1, FALSE, NULL);

  self->dummy_hash = g_malloc (crypto_pwhash_STRBYTES);
  randombytes_buf (dummy_password, sizeof dummy_password);
  if (crypto_pwhash_str (self->dummy_hash, dummy_password, sizeof dummy_password,
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    g_error ("Out of memory for Argon2id");
}

/**
 * photoseal_keyserver_new:
 * @master_key: (transfer none): kept until the server is finalised
 * @options: (transfer none): kept until the server is finalised
 */
PhotosealKeyserver *
photoseal_keyserver_new (PhotosealStore            *store,
                         PhotosealMasterKey        *master_key,
                         PhotosealKeyserverOptions *options)
{
  PhotosealKeyserver *self = g_object_new (PHOTOSEAL_TYPE_KEYSERVER, NULL);

  self->store = g_object_ref (store);
  self->master_key = master_key;
  self->options = options;
  /* Checked when the options were. */
  self->trusted_proxies = photoseal_keyserver_options_parse_proxies (options->trusted_proxies,
                                                                     NULL);
  if (options->database == NULL)
    self->journal_path = g_build_filename (options->data_dir, PHOTOSEAL_KEYSERVER_JOURNAL, NULL);
  self->server = soup_server_new ("server-header", "photoseal-keyserver/" PACKAGE_VERSION " ",
                                  NULL);
  soup_server_add_early_handler (self->server, NULL, photoseal_body_limit_handle_early, self,
                                 NULL);
  soup_server_add_handler (self->server, NULL, handle, self, NULL);
  g_signal_connect_object (self->server, "request-started", G_CALLBACK (on_request_started), self,
                           0);
  g_signal_connect_object (self->server, "request-read", G_CALLBACK (on_request_read), self, 0);
  return self;
}

static GSocketAddress *
parse_listen (const char *listen,
              GError    **error)
{
  const char *colon = strrchr (listen, ':');
  g_autofree char *host = NULL;
  guint64 port = 0;
  GSocketAddress *address = NULL;

  if (colon != NULL && g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      host = g_strndup (listen, colon - listen);
      if (host[0] == '[' && host[strlen (host) - 1] == ']')
        {
          char *inner = g_strndup (host + 1, strlen (host) - 2);
          g_free (host);
          host = inner;
        }
      address = g_inet_socket_address_new_from_string (host, port);
    }

  if (address == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "--listen takes an IP address and a port, like 127.0.0.1:8443 or [::1]:8443");
  return address;
}

/* Anyone may claim any address under open registration, so it is kept to
 * this machine (demos, tests); the relay is checked before the first
 * request needs it. */
static gboolean
check_identity (PhotosealKeyserver *self,
                GSocketAddress     *address,
                GError            **error)
{
  PhotosealKeyserverOptions *options = self->options;

  if (photoseal_keyserver_registration_open (self))
    {
      if (!g_inet_address_get_is_loopback (
            g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address))))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "Refusing --registration open on %s: anyone could claim anyone's "
                       "address; use verified, or listen on a loopback address",
                       options->listen);
          return FALSE;
        }
      photoseal_keyserver_log ("warning: registration is open: anyone may create an account "
                               "under any address (for demos and tests only)");
    }
  if (options->smtp_url != NULL)
    self->mailer = photoseal_mailer_new (options->smtp_url, options->smtp_user,
                                         options->smtp_password_file, options->mail_from, error);
  return options->smtp_url == NULL || self->mailer != NULL;
}

/* Plain HTTP is refused unless the address is on this machine: tokens and
 * signatures must never cross a network in clear. */
gboolean
photoseal_keyserver_listen (PhotosealKeyserver *self,
                            GError            **error)
{
  g_autoptr(GSocketAddress) address = parse_listen (self->options->listen, error);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *uri = NULL;

  if (address == NULL || !check_identity (self, address, error))
    return FALSE;

  if (self->options->tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (self->options->tls_cert,
                                                      self->options->tls_key, error);
      if (certificate == NULL)
        return FALSE;
    }
  else if (!g_inet_address_get_is_loopback (
             g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address))))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Refusing plain HTTP on %s: give --tls-cert and --tls-key, or listen on "
                   "a loopback address such as 127.0.0.1", self->options->listen);
      return FALSE;
    }

  self->listener = photoseal_keyserver_listener_new (self->server, certificate,
                                                     self->options->max_connections,
                                                     self->options->max_connections_per_address,
                                                     self->trusted_proxies);
  if (!photoseal_keyserver_listener_listen (self->listener, address, error))
    return FALSE;

  /* Tests and scripts read this line to learn the port. */
  uri = photoseal_keyserver_listener_get_uri (self->listener);
  g_print ("photoseal-keyserver: listening on %s\n", uri);
  fflush (stdout);
  return TRUE;
}

static gboolean
quit_loop (GMainLoop *loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/**
 * photoseal_keyserver_shutdown:
 * @loop: quit once the requests in flight are answered
 *
 * Stops accepting connections and lets what is in flight finish.
 */
void
photoseal_keyserver_shutdown (PhotosealKeyserver *self,
                              GMainLoop          *loop)
{
  photoseal_keyserver_listener_close (self->listener);

  photoseal_keyserver_log ("shutting down; %u request(s) in flight", self->in_flight);
  if (self->in_flight == 0)
    g_main_loop_quit (loop);
  else
    {
      /* A client that keeps a request open cannot hold the server up. */
      self->stopping = loop;
      g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, SHUTDOWN_GRACE, (GSourceFunc) quit_loop,
                                  g_main_loop_ref (loop), (GDestroyNotify) g_main_loop_unref);
    }
}
