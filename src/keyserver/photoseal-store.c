/* photoseal-store.c
 *
 * The interface every storage backend implements (SQLite for one node,
 * PostgreSQL for several), so the routes never see SQL, and the policy
 * that must not differ between backends: the audit chain's hashes and
 * its check, and when a key counts as revoked or expired.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-store"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-address.h"
#include "photoseal-store.h"

G_DEFINE_QUARK (photoseal-store-error-quark, photoseal_store_error)

G_DEFINE_INTERFACE (PhotosealStore, photoseal_store, G_TYPE_OBJECT)

static void
photoseal_store_default_init (PhotosealStoreInterface *iface)
{
}

void
photoseal_account_free (PhotosealAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->email);
  g_free (account->name);
  if (account->password_hash != NULL)
    sodium_memzero (account->password_hash, strlen (account->password_hash));
  g_free (account->password_hash);
  g_free (account);
}

void
photoseal_session_free (PhotosealSession *session)
{
  if (session == NULL)
    return;
  g_free (session->device_id);
  g_free (session);
}

void
photoseal_key_record_free (PhotosealKeyRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->key_id);
  g_free (record->owner_email);
  g_clear_pointer (&record->sealed_key, g_bytes_unref);
  g_free (record->access_code_hash);
  g_strfreev (record->recipients);
  g_clear_pointer (&record->policy_mac, g_bytes_unref);
  g_free (record);
}

void
photoseal_event_free (PhotosealEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->action);
  g_free (event->actor);
  g_free (event->address);
  g_free (event);
}

void
photoseal_chain_link_free (PhotosealChainLink *link)
{
  if (link == NULL)
    return;
  g_free (link->key_id);
  g_free (link->event.action);
  g_free (link->event.actor);
  g_free (link->event.address);
  g_clear_pointer (&link->hash, g_bytes_unref);
  g_free (link);
}

static void
hash_field (crypto_generichash_state *state,
            const char               *text)
{
  guint8 len[4];
  gsize n = strlen (text);

  len[0] = n >> 24;
  len[1] = n >> 16;
  len[2] = n >> 8;
  len[3] = n;
  crypto_generichash_update (state, len, sizeof len);
  crypto_generichash_update (state, (const guint8 *) text, n);
}

/* The audit chain's MAC key, derived from the master key, and the id of
 * the first event it covers: events written before the upgrade that
 * brought it keep their plain hashes. One per process, as the master key
 * is; without one (tools, tests) the chain is a plain hash. */
static guint8 *chain_key;
static gint64 chain_keyed_from = G_MAXINT64;

/* The MAC key of each key's policy, likewise derived; without one,
 * policies are neither MACed nor checked. */
static guint8 *policy_key;

/* Keeps a copy of @key in guarded memory in @slot, or clears it. */
static void
keep_key (guint8       **slot,
          const guint8  *key)
{
  if (*slot == NULL && key != NULL)
    *slot = sodium_malloc (32);
  if (key != NULL)
    memcpy (*slot, key, 32);
  else
    g_clear_pointer (slot, sodium_free);
}

/**
 * photoseal_store_set_chain_key:
 * @key: (nullable): 32 bytes, or %NULL for a plain hash chain
 * @keyed_from: the id of the first event the key covers
 */
void
photoseal_store_set_chain_key (const guint8 *key,
                               gint64        keyed_from)
{
  keep_key (&chain_key, key);
  chain_keyed_from = key != NULL ? keyed_from : G_MAXINT64;
}

/**
 * photoseal_store_set_policy_key:
 * @key: (nullable): 32 bytes, or %NULL to neither make nor check policy MACs
 */
void
photoseal_store_set_policy_key (const guint8 *key)
{
  keep_key (&policy_key, key);
}

/**
 * photoseal_event_chain_hash:
 * @previous: the previous event's hash, or 32 zero bytes for the first
 * @hash: (out caller-allocates): 32 bytes
 *
 * The audit log is a hash chain: each event's hash covers the previous
 * hash and every field of the event, length-prefixed, so that changing,
 * removing or reordering any past event breaks every hash after it. Keyed
 * with the chain key (BLAKE2b as a MAC), so that someone who can write
 * the database but has no master key cannot compute a hash that checks.
 */
void
photoseal_event_chain_hash (const guint8         *previous,
                            gint64                id,
                            const char           *key_id,
                            const PhotosealEvent *event,
                            guint8               *hash)
{
  crypto_generichash_state state;
  g_autofree char *numbers = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, id,
                                              event->at);

  if (chain_key != NULL && id >= chain_keyed_from)
    crypto_generichash_init (&state, chain_key, 32, 32);
  else
    crypto_generichash_init (&state, NULL, 0, 32);
  crypto_generichash_update (&state, previous, 32);
  hash_field (&state, numbers);
  hash_field (&state, key_id);
  hash_field (&state, event->action);
  hash_field (&state, event->actor);
  hash_field (&state, event->address);
  crypto_generichash_final (&state, hash, 32);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * photoseal_key_policy_mac:
 * @access_code_hash: (nullable): the stored access-code hash, if any
 * @recipients: the recipients' emails, in any order and case
 * @mac: (out caller-allocates): %PHOTOSEAL_POLICY_MAC_SIZE bytes
 *
 * The MAC of who may have a key released and until when: its owner,
 * recipients (compared as releases compare them), expiry and access code,
 * under the policy key. Someone who can write the database but has no
 * master key cannot add himself as a recipient, swap in a code he knows
 * or extend an expiry without the MAC failing.
 *
 * Returns: %FALSE (and no MAC) when no policy key is set
 */
gboolean
photoseal_key_policy_mac (const char         *key_id,
                          gint64              owner_id,
                          gint64              expires,
                          const char         *access_code_hash,
                          const char * const *recipients,
                          guint8             *mac)
{
  crypto_generichash_state state;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *numbers = NULL;

  if (policy_key == NULL)
    return FALSE;
  for (guint i = 0; recipients != NULL && recipients[i] != NULL; i++)
    g_ptr_array_add (sorted, photoseal_store_email_key (recipients[i]));
  g_ptr_array_sort (sorted, compare_strings);
  numbers = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %u %c", owner_id,
                             expires, sorted->len, access_code_hash != NULL ? '+' : '-');

  crypto_generichash_init (&state, policy_key, 32, PHOTOSEAL_POLICY_MAC_SIZE);
  hash_field (&state, "photoseal/v1/key-policy");
  hash_field (&state, key_id);
  hash_field (&state, numbers);
  hash_field (&state, access_code_hash != NULL ? access_code_hash : "");
  for (guint i = 0; i < sorted->len; i++)
    hash_field (&state, g_ptr_array_index (sorted, i));
  crypto_generichash_final (&state, mac, PHOTOSEAL_POLICY_MAC_SIZE);
  return TRUE;
}

/**
 * photoseal_key_record_policy_intact:
 *
 * Whether @record's owner, recipients, expiry and access code are the
 * ones the key server last stored: checked before every release. Always
 * %TRUE without a policy key.
 */
gboolean
photoseal_key_record_policy_intact (const PhotosealKeyRecord *record)
{
  guint8 mac[PHOTOSEAL_POLICY_MAC_SIZE];

  if (!photoseal_key_policy_mac (record->key_id, record->owner_id, record->expires,
                                 record->access_code_hash,
                                 (const char * const *) record->recipients, mac))
    return TRUE;
  return record->policy_mac != NULL && g_bytes_get_size (record->policy_mac) == sizeof mac
         && sodium_memcmp (mac, g_bytes_get_data (record->policy_mac, NULL), sizeof mac) == 0;
}

/**
 * photoseal_key_record_check_policy:
 * @record: (nullable): a key looked up in the transaction about to change it
 * @lookup_error: (transfer full) (nullable): why the lookup failed
 *
 * photoseal_key_record_policy_intact(), as an error, for a store's update:
 * %FALSE when the lookup failed or the policy fails its MAC, %TRUE for an
 * intact key or none.
 */
gboolean
photoseal_key_record_check_policy (const PhotosealKeyRecord  *record,
                                   GError                    *lookup_error,
                                   GError                   **error)
{
  if (lookup_error != NULL)
    {
      g_propagate_error (error, lookup_error);
      return FALSE;
    }
  if (record == NULL || photoseal_key_record_policy_intact (record))
    return TRUE;
  g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_TAMPERED,
               "The policy of key %s does not match its MAC", record->key_id);
  return FALSE;
}

/**
 * photoseal_key_record_status:
 * @now: seconds since the epoch
 *
 * A revoked key is revoked whatever its expiry; a key expires at the
 * second its @expires names, and one with @expires 0 never does.
 */
PhotosealKeyStatus
photoseal_key_record_status (const PhotosealKeyRecord *record,
                             gint64                    now)
{
  if (record->revoked)
    return PHOTOSEAL_KEY_REVOKED;
  if (record->expires && record->expires <= now)
    return PHOTOSEAL_KEY_EXPIRED;
  return PHOTOSEAL_KEY_ACTIVE;
}

/**
 * photoseal_event_is_release:
 *
 * Whether @event gives a key out. A store records one only while its key
 * is neither revoked nor dropped, checked in the transaction that records
 * it, and refuses it otherwise with %PHOTOSEAL_STORE_ERROR_REVOKED: so the
 * audit log never shows a release after its key's revocation.
 */
gboolean
photoseal_event_is_release (const PhotosealEvent *event)
{
  return strcmp (event->action, "release") == 0;
}

/**
 * photoseal_store_email_key:
 *
 * The form emails are compared in: photoseal_address_normalize()'s one
 * spelling per address, never a Unicode case fold (which made "ſam@" and
 * "sam@" one account). Text that is no address gets a key no address has
 * (it holds a space), so it matches nothing.
 */
char *
photoseal_store_email_key (const char *email)
{
  char *key = photoseal_address_normalize (email, NULL);

  return key ? key : g_strconcat (" not an address: ", email, NULL);
}

#define IFACE(self) PHOTOSEAL_STORE_GET_IFACE (self)
#define VERIFY_BATCH 5000

PhotosealAccount *
photoseal_store_add_account (PhotosealStore *self,
                             const char     *email,
                             const char     *name,
                             const char     *password_hash,
                             gint64          now,
                             GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->add_account (self, email, name, password_hash, now, error);
}

PhotosealAccount *
photoseal_store_find_account (PhotosealStore *self,
                              const char     *email,
                              GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->find_account (self, email, error);
}

PhotosealAccount *
photoseal_store_find_account_by_id (PhotosealStore *self,
                                    gint64          id,
                                    GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->find_account_by_id (self, id, error);
}

GPtrArray *
photoseal_store_list_accounts (PhotosealStore *self,
                               GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->list_accounts (self, error);
}

gboolean
photoseal_store_set_account_disabled (PhotosealStore *self,
                                      const char     *email,
                                      gboolean        disabled,
                                      GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->set_account_disabled (self, email, disabled, error);
}

gboolean
photoseal_store_add_session (PhotosealStore *self,
                             const guint8   *token_hash,
                             gint64          account_id,
                             const char     *device_id,
                             const char     *device_name,
                             const guint8   *device_public_key,
                             gint64          expires,
                             GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->add_session (self, token_hash, account_id, device_id, device_name,
                                    device_public_key, expires, error);
}

PhotosealSession *
photoseal_store_find_session (PhotosealStore *self,
                              const guint8   *token_hash,
                              gint64          now,
                              GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->find_session (self, token_hash, now, error);
}

gboolean
photoseal_store_remove_session (PhotosealStore *self,
                                const guint8   *token_hash,
                                GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->remove_session (self, token_hash, error);
}

/* Counts one more failure for @subject ("account:…" or "address:…") within
 * a sliding @window of seconds and returns the count including it. */
guint
photoseal_store_add_failure (PhotosealStore *self,
                             const char     *subject,
                             gint64          now,
                             gint64          window,
                             GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), 0);
  return IFACE (self)->add_failure (self, subject, now, window, error);
}

guint
photoseal_store_count_failures (PhotosealStore *self,
                                const char     *subject,
                                gint64          now,
                                gint64          window,
                                GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), 0);
  return IFACE (self)->count_failures (self, subject, now, window, error);
}

void
photoseal_store_clear_failures (PhotosealStore *self,
                                const char     *subject)
{
  g_return_if_fail (PHOTOSEAL_IS_STORE (self));
  IFACE (self)->clear_failures (self, subject);
}

gboolean
photoseal_store_add_key (PhotosealStore           *self,
                         const PhotosealKeyRecord *record,
                         const PhotosealEvent     *event,
                         GError                  **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->add_key (self, record, event, error);
}

PhotosealKeyRecord *
photoseal_store_find_key (PhotosealStore *self,
                          const char     *key_id,
                          GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->find_key (self, key_id, error);
}

GPtrArray *
photoseal_store_list_keys (PhotosealStore *self,
                           gint64          owner_id,
                           GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->list_keys (self, owner_id, error);
}

gboolean
photoseal_store_update_key (PhotosealStore           *self,
                            const char               *key_id,
                            const PhotosealKeyUpdate *update,
                            const PhotosealEvent     *event,
                            GError                  **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->update_key (self, key_id, update, event, error);
}

/* Overwrites and drops the key, and records the event, in one transaction. */
gboolean
photoseal_store_revoke_key (PhotosealStore       *self,
                            const char           *key_id,
                            const PhotosealEvent *event,
                            GError              **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->revoke_key (self, key_id, event, error);
}

/* Takes one access-code try, atomically; %FALSE (no error) when none are
 * left. The try is taken before the code is checked, so parallel guesses
 * cannot exceed the limit; a right code gives it back. */
gboolean
photoseal_store_take_access_code_try (PhotosealStore *self,
                                      const char     *key_id,
                                      GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->take_access_code_try (self, key_id, error);
}

void
photoseal_store_return_access_code_try (PhotosealStore *self,
                                        const char     *key_id)
{
  g_return_if_fail (PHOTOSEAL_IS_STORE (self));
  IFACE (self)->return_access_code_try (self, key_id);
}

/**
 * photoseal_store_add_event:
 * @nonce: (nullable): a signed release's 16-byte nonce, remembered for
 *   @nonce_lifetime seconds in the same transaction as the event
 *
 * Appends to the audit log. With a @nonce seen before, nothing is written
 * and the error is %PHOTOSEAL_STORE_ERROR_REPLAYED: one commit, one fsync,
 * for both the replay check and the audit.
 */
gboolean
photoseal_store_add_event (PhotosealStore       *self,
                           const char           *key_id,
                           const PhotosealEvent *event,
                           const guint8         *nonce,
                           gint64                nonce_lifetime,
                           GError              **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->add_event (self, key_id, event, nonce, nonce_lifetime, error);
}

/**
 * photoseal_store_get_setting:
 *
 * Returns: (transfer full) (nullable): the value, or %NULL (without an
 *   error) if there is none
 */
GBytes *
photoseal_store_get_setting (PhotosealStore *self,
                             const char     *name,
                             GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  return IFACE (self)->get_setting (self, name, error);
}

/* Keeps @value under @name unless there is a value already: the first of
 * several nodes to start wins, and the others read what it wrote. */
gboolean
photoseal_store_add_setting (PhotosealStore *self,
                             const char     *name,
                             GBytes         *value,
                             GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->add_setting (self, name, value, error);
}

/**
 * photoseal_store_remember_nonce:
 * @nonce: a signed request's 16-byte nonce
 *
 * Remembers @nonce for @lifetime seconds, in the table release nonces
 * share. Fails with %PHOTOSEAL_STORE_ERROR_REPLAYED if it was seen.
 */
gboolean
photoseal_store_remember_nonce (PhotosealStore *self,
                                const guint8   *nonce,
                                gint64          now,
                                gint64          lifetime,
                                GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->remember_nonce (self, nonce, now, lifetime, error);
}

GPtrArray *
photoseal_store_list_events (PhotosealStore *self,
                             const char     *key_id,
                             GError        **error)
{
  g_autoptr(GPtrArray) links = NULL;
  GPtrArray *events;

  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  g_return_val_if_fail (key_id != NULL, NULL);

  if (!(links = IFACE (self)->list_chain (self, key_id, 0, G_MAXUINT, error)))
    return NULL;
  events = g_ptr_array_new_full (links->len, (GDestroyNotify) photoseal_event_free);
  for (guint i = 0; i < links->len; i++)
    {
      PhotosealChainLink *link = g_ptr_array_index (links, i);

      g_ptr_array_add (events, g_memdup2 (&link->event, sizeof link->event));
      memset (&link->event, 0, sizeof link->event);
    }
  return events;
}

/**
 * photoseal_store_list_events_page:
 *
 * Up to @limit of @key_id's events with ids above @after, in order, as
 * chain links, whose ids page on.
 *
 * Returns: (transfer full) (element-type PhotosealChainLink): the page
 */
GPtrArray *
photoseal_store_list_events_page (PhotosealStore *self,
                                  const char     *key_id,
                                  gint64          after,
                                  guint           limit,
                                  GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), NULL);
  g_return_val_if_fail (key_id != NULL, NULL);
  return IFACE (self)->list_chain (self, key_id, after, limit, error);
}

/* Checks one link against the one before: FALSE with @error when the
 * chain breaks there. */
static gboolean
check_link (const PhotosealChainLink *link,
            guint8                   *previous,
            gint64                   *expected_id,
            GError                  **error)
{
  guint8 hash[32];

  photoseal_event_chain_hash (previous, link->id, link->key_id, &link->event, hash);
  if (link->id != *expected_id || link->hash == NULL || g_bytes_get_size (link->hash) != sizeof hash
      || memcmp (hash, g_bytes_get_data (link->hash, NULL), sizeof hash) != 0)
    {
      g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                   "The audit log is broken at event %" G_GINT64_FORMAT, link->id);
      return FALSE;
    }
  memcpy (previous, hash, sizeof hash);
  (*expected_id)++;
  return TRUE;
}

/**
 * photoseal_store_verify_audit:
 * @n_events: (out): how many events the chain holds, once it checks out
 * @head: (out caller-allocates) (optional): the last event's hash, 32
 *   bytes (zeros for an empty log)
 * @anchor: (nullable): a head recorded elsewhere earlier, 32 bytes: the
 *   event number @anchor_count must still have that hash
 *
 * Recomputes the whole audit chain, in batches so that a long log is
 * never all in memory.
 */
gboolean
photoseal_store_verify_audit (PhotosealStore *self,
                              guint64        *n_events,
                              guint8         *head,
                              guint64         anchor_count,
                              const guint8   *anchor,
                              GError        **error)
{
  guint8 previous[32] = { 0 };
  gint64 expected_id = 1;
  gboolean anchored = anchor == NULL;

  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);

  *n_events = 0;
  for (;;)
    {
      g_autoptr(GPtrArray) links = IFACE (self)->list_chain (self, NULL, expected_id - 1,
                                                             VERIFY_BATCH, error);

      if (links == NULL)
        return FALSE;
      if (links->len == 0)
        break;
      for (guint i = 0; i < links->len; i++)
        {
          if (!check_link (g_ptr_array_index (links, i), previous, &expected_id, error))
            return FALSE;
          if (anchor != NULL && (guint64) expected_id - 1 == anchor_count)
            anchored = memcmp (previous, anchor, 32) == 0;
        }
    }
  *n_events = expected_id - 1;
  if (head != NULL)
    memcpy (head, previous, 32);
  if (!anchored)
    {
      g_set_error (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_FAILED,
                   "The audit log does not match its anchor: event %" G_GUINT64_FORMAT " %s",
                   anchor_count, *n_events < anchor_count ? "is gone (the log was cut short)"
                                                          : "has another hash (history was "
                                                            "rewritten)");
      return FALSE;
    }
  return TRUE;
}

/**
 * photoseal_store_seal_key_policies:
 *
 * Gives every key stored before policy MACs existed its MAC, at the first
 * start with a master key after the upgrade, and records that it was done
 * (in the same transaction): from then on a key without a MAC is refused
 * like one whose MAC fails, so blanking a MAC is no way around it. A
 * database with MACs but no record of the upgrade was tampered with, and
 * is an error. Nothing happens without a policy key.
 *
 * Returns: how many keys were given a MAC, or -1 with @error
 */
gint64
photoseal_store_seal_key_policies (PhotosealStore *self,
                                   GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), -1);
  if (policy_key == NULL)
    return 0;
  return IFACE (self)->seal_key_policies (self, error);
}

/* A consistent copy of the whole store, taken while it keeps serving. */
gboolean
photoseal_store_backup (PhotosealStore *self,
                        const char     *destination,
                        GError        **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_STORE (self), FALSE);
  return IFACE (self)->backup (self, destination, error);
}

void
photoseal_store_checkpoint (PhotosealStore *self)
{
  g_return_if_fail (PHOTOSEAL_IS_STORE (self));
  IFACE (self)->checkpoint (self);
}
