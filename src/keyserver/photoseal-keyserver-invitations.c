/* photoseal-keyserver-invitations.c: mail to recipients without an account
 *
 * When a key names an address that has no account, and the server mails
 * and takes verified sign-ups, the address gets an invitation: who sealed
 * something for them (the owner's verified name and address), how to get
 * Photoseal, and a sign-up code bound to that address, good until the key
 * expires (at most 30 days). Never anything about the file: no patient
 * data, no file name.
 *
 * The mail goes out on a pool of its own; the request waits for the relay
 * at most INVITE_WAIT seconds, so a hung relay delays a key by that much
 * and never fails it. The answer says, per recipient, whether the
 * invitation went out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-keyserver-routes.h"

#define INVITE_WAIT 5
#define INVITE_LIFETIME (30 * 24 * 3600)
#define INVITE_WINDOW (24 * 3600)
#define INVITE_SENDERS 4

typedef struct
{
  char *to;
  char *text;
  gboolean finished;
  gboolean sent;
} Invitation;

/* One request's invitations, shared by the request's worker (which stops
 * waiting after INVITE_WAIT) and the sending thread. */
typedef struct
{
  gatomicrefcount ref;
  GMutex lock;
  GCond changed;
  guint pending;
  gboolean abandoned;
  PhotosealMailer *mailer;
  GPtrArray *invitations;       /* Invitation */
} Batch;

static void
invitation_free (Invitation *invitation)
{
  g_free (invitation->to);
  if (invitation->text != NULL)
    sodium_memzero (invitation->text, strlen (invitation->text));
  g_free (invitation->text);
  g_free (invitation);
}

static Batch *
batch_new (PhotosealMailer *mailer)
{
  Batch *batch = g_new0 (Batch, 1);

  g_atomic_ref_count_init (&batch->ref);
  g_mutex_init (&batch->lock);
  g_cond_init (&batch->changed);
  batch->mailer = g_object_ref (mailer);
  batch->invitations = g_ptr_array_new_with_free_func ((GDestroyNotify) invitation_free);
  return batch;
}

static void
batch_unref (Batch *batch)
{
  if (!g_atomic_ref_count_dec (&batch->ref))
    return;
  g_mutex_clear (&batch->lock);
  g_cond_clear (&batch->changed);
  g_object_unref (batch->mailer);
  g_ptr_array_unref (batch->invitations);
  g_free (batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Batch, batch_unref)

/* On the invitation pool: sends in order, until the request gave up. */
static void
send_batch (gpointer data,
            gpointer user_data)
{
  g_autoptr(Batch) batch = data;

  for (guint i = 0; i < batch->invitations->len; i++)
    {
      Invitation *invitation = g_ptr_array_index (batch->invitations, i);
      g_autoptr(GError) error = NULL;
      gboolean sent, late;

      g_mutex_lock (&batch->lock);
      late = batch->abandoned;
      g_mutex_unlock (&batch->lock);
      if (late)
        break;
      sent = photoseal_mailer_send (batch->mailer, invitation->to,
                                    "Someone sealed a file for you with Photoseal",
                                    invitation->text, &error);
      photoseal_keyserver_log ("mail: invitation to %s %s%s", invitation->to,
                               sent ? "sent" : "not sent: ", sent ? "" : error->message);
      g_mutex_lock (&batch->lock);
      invitation->finished = TRUE;
      invitation->sent = sent;
      batch->pending--;
      g_cond_signal (&batch->changed);
      g_mutex_unlock (&batch->lock);
    }
}

static GThreadPool *
invitation_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (send_batch, NULL, INVITE_SENDERS, FALSE, NULL));
  return pool;
}

/* Waits at most INVITE_WAIT for the relay; whatever is still queued then
 * is not sent. */
static void
batch_run (Batch *batch)
{
  gint64 deadline = g_get_monotonic_time () + INVITE_WAIT * G_USEC_PER_SEC;

  batch->pending = batch->invitations->len;
  g_atomic_ref_count_inc (&batch->ref);
  g_thread_pool_push (invitation_pool (), batch, NULL);
  g_mutex_lock (&batch->lock);
  while (batch->pending > 0 && g_cond_wait_until (&batch->changed, &batch->lock, deadline))
    ;
  batch->abandoned = TRUE;
  g_mutex_unlock (&batch->lock);
}

static char *
invitation_text (const PhotosealAccount *owner,
                 const char             *code,
                 gint64                  expires)
{
  g_autoptr(GDateTime) until = g_date_time_new_from_unix_utc (expires);
  g_autofree char *day = g_date_time_format (until, "%Y-%m-%d %H:%M UTC");

  return g_strdup_printf (
    "%s <%s> sealed a file for you with Photoseal. This key server confirmed that this "
    "address belongs to its sender.\n\n"
    "To open it, install Photoseal (ask your IT department, or see the Photoseal project's "
    "page), choose Create Account, and sign up with this address and this code:\n\n"
    "    %s\n\n"
    "The code works only for this address, until %s.\n\n"
    "If you do not know the sender, ignore this mail: nothing happens.\n",
    owner->name, owner->email, code, day);
}

/* Whether @email is one of @emails. */
static gboolean
listed (const char * const *emails,
        const char         *email)
{
  return emails != NULL && g_strv_contains (emails, email);
}

/* A recipient named twice is invited once. */
static gboolean
named_before (const char * const *recipients,
              guint               index)
{
  for (guint i = 0; i < index; i++)
    if (strcmp (recipients[i], recipients[index]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
over_daily_limit (PhotosealKeyserver     *server,
                  const PhotosealAccount *owner)
{
  PhotosealStore *store = photoseal_keyserver_get_store (server);
  g_autofree char *subject = g_strdup_printf ("invite:%" G_GINT64_FORMAT, owner->id);

  return photoseal_store_add_failure (store, subject, g_get_real_time () / G_USEC_PER_SEC,
                                      INVITE_WINDOW, NULL)
         > (guint) photoseal_keyserver_get_options (server)->invitations_per_day;
}

/* Makes and stores @email's invitation code; its mail goes into @batch. */
static const char *
prepare_invitation (PhotosealKeyserver     *server,
                    Batch                  *batch,
                    const PhotosealAccount *owner,
                    const char             *email,
                    gint64                  expires)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 until = expires == 0 ? now + INVITE_LIFETIME : MIN (expires, now + INVITE_LIFETIME);
  g_autofree char *hash = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  Invitation *invitation;

  if (until <= now)
    return "no_account";
  if (over_daily_limit (server, owner))
    {
      photoseal_keyserver_log ("mail: invitation to %s not sent: %s reached the daily limit",
                               email, owner->email);
      return "not_sent";
    }
  if (!(code = photoseal_access_code_new (&hash))
      || !photoseal_store_put_code (photoseal_keyserver_get_store (server), email, "invite", hash,
                                    until, &error))
    {
      photoseal_keyserver_log ("mail: invitation to %s not sent: %s", email,
                               error ? error->message : "out of memory");
      return "not_sent";
    }
  invitation = g_new0 (Invitation, 1);
  invitation->to = g_strdup (email);
  invitation->text = invitation_text (owner, code, until);
  sodium_memzero (code, strlen (code));
  g_ptr_array_add (batch->invitations, invitation);
  return NULL;
}

static void
add_state (JsonBuilder *builder,
           const char  *email,
           const char  *state)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state);
  json_builder_end_object (builder);
}

/* The state of every recipient once the batch ran: an invitation that
 * was due reads invited or not_sent. */
static JsonNode *
states_reply (const char * const *recipients,
              GPtrArray          *states,
              Batch              *batch)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint next = 0;

  json_builder_begin_array (builder);
  for (guint i = 0; recipients[i] != NULL; i++)
    {
      const char *state = g_ptr_array_index (states, i);
      Invitation *invitation;

      if (state == NULL)
        {
          invitation = g_ptr_array_index (batch->invitations, next++);
          state = invitation->sent ? "invited" : "not_sent";
          if (!invitation->finished)
            photoseal_keyserver_log ("mail: invitation to %s not sent: the relay did not answer "
                                     "within %d s", invitation->to, INVITE_WAIT);
        }
      add_state (builder, recipients[i], state);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/**
 * photoseal_keyserver_invite:
 * @recipients: the key's recipients, normalised
 * @already: (nullable): those the key named before (a change): they were
 *   invited then, if at all
 * @expires: the key's expiry, 0 for never
 *
 * On a worker, once the key is saved: invites each recipient without an
 * account, waiting at most a few seconds for the relay.
 *
 * Returns: (transfer full): `[{"email","state"}…]`, state one of
 *   `account`, `invited`, `not_sent` (an invitation was due but did not
 *   go out) or `no_account`
 */
JsonNode *
photoseal_keyserver_invite (PhotosealKeyserver     *server,
                            const PhotosealAccount *owner,
                            const char * const     *recipients,
                            const char * const     *already,
                            gint64                  expires)
{
  PhotosealStore *store = photoseal_keyserver_get_store (server);
  PhotosealMailer *mailer = photoseal_keyserver_get_mailer (server);
  gboolean inviting = g_str_equal (photoseal_keyserver_no_account_state (server), "invitable");
  g_autoptr(GPtrArray) states = g_ptr_array_new ();
  g_autoptr(Batch) batch = mailer ? batch_new (mailer) : NULL;
  JsonNode *reply;

  for (guint i = 0; recipients[i] != NULL; i++)
    {
      g_autoptr(PhotosealAccount) account = photoseal_store_find_account (store, recipients[i],
                                                                          NULL);
      const char *state;

      if (account != NULL && !account->disabled)
        state = "account";
      else if (!inviting || account != NULL || listed (already, recipients[i])
               || named_before (recipients, i))
        state = "no_account";
      else
        state = prepare_invitation (server, batch, owner, recipients[i], expires);
      g_ptr_array_add (states, (gpointer) state);
    }
  if (batch == NULL || batch->invitations->len == 0)
    return states_reply (recipients, states, batch);
  batch_run (batch);
  /* The sending thread may still finish one, late. */
  g_mutex_lock (&batch->lock);
  reply = states_reply (recipients, states, batch);
  g_mutex_unlock (&batch->lock);
  return reply;
}
