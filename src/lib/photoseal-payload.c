/* photoseal-payload.c
 *
 * STREAM (age spec): the payload is cut into 64 KiB chunks, each sealed with
 * ChaCha20-Poly1305 under a nonce made of an 11-byte big-endian counter and
 * a last-chunk flag. Chunks are independent given their counter, so a batch
 * of them is spread over the cores; output order is kept because every
 * chunk has a fixed place in the batch buffer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-payload"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <sodium.h>

#include "photoseal-chunk-aead.h"
#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-payload.h"

#define KEY_SIZE PHOTOSEAL_CHUNK_KEY_SIZE
#define NONCE_SIZE PHOTOSEAL_CHUNK_NONCE_SIZE
#define MAX_WORKERS 8

struct _PhotosealPayloadCipher
{
  guint8 key[KEY_SIZE];
  guint64 counter;
  gboolean finished;
};

/* One batch, shared read-only by the workers except for their own slots. */
typedef struct
{
  const guint8 *key;
  guint64 counter;
  const guint8 *in;
  gsize in_len;
  guint8 *out;
  guint n_chunks;
  gboolean last_is_final;
  gboolean seal;
  gboolean ok[PHOTOSEAL_BATCH_CHUNKS];
} Batch;

typedef void (*RangeFunc) (Batch *batch, guint first, guint last);

typedef struct
{
  RangeFunc func;
  Batch *batch;
  guint first;
  guint last;
  GMutex *mutex;
  GCond *cond;
  guint *pending;
} Job;

static void
make_nonce (guint8  *nonce,
            guint64  counter,
            gboolean final)
{
  memset (nonce, 0, NONCE_SIZE);
  for (guint i = 0; i < 8; i++)
    nonce[10 - i] = counter >> (8 * i);
  nonce[11] = final ? 1 : 0;
}

static gsize
chunk_in_size (const Batch *batch,
               guint        i)
{
  gsize unit = batch->seal ? PHOTOSEAL_CHUNK_SIZE : PHOTOSEAL_SEALED_CHUNK_SIZE;

  return MIN (unit, batch->in_len - (gsize) i * unit);
}

static gboolean
crypt_chunk (const Batch *batch,
             guint        i,
             gboolean     final)
{
  gsize in_unit = batch->seal ? PHOTOSEAL_CHUNK_SIZE : PHOTOSEAL_SEALED_CHUNK_SIZE;
  gsize out_unit = batch->seal ? PHOTOSEAL_SEALED_CHUNK_SIZE : PHOTOSEAL_CHUNK_SIZE;
  const guint8 *in = batch->in + (gsize) i * in_unit;
  guint8 *out = batch->out + (gsize) i * out_unit;
  gsize len = chunk_in_size (batch, i);
  guint8 nonce[NONCE_SIZE];

  make_nonce (nonce, batch->counter + i, final);
  return photoseal_chunk_aead_crypt (PHOTOSEAL_CHUNK_AEAD_DEFAULT, batch->seal, batch->key, nonce,
                                     in, len, out);
}

static void
crypt_range (Batch *batch,
             guint  first,
             guint  last)
{
  for (guint i = first; i < last; i++)
    batch->ok[i] = crypt_chunk (batch, i, batch->last_is_final && i == batch->n_chunks - 1);
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;

  job->func (job->batch, job->first, job->last);

  g_mutex_lock (job->mutex);
  if (--*job->pending == 0)
    g_cond_signal (job->cond);
  g_mutex_unlock (job->mutex);
}

static GThreadPool *
get_pool (guint *n_workers)
{
  static GThreadPool *pool;
  static guint workers;

  if (g_once_init_enter (&pool))
    {
      GThreadPool *new_pool = NULL;

      workers = CLAMP (g_get_num_processors (), 1, MAX_WORKERS);
      if (workers > 1)
        new_pool = g_thread_pool_new (run_job, NULL, workers - 1, FALSE, NULL);
      g_once_init_leave (&pool, new_pool ? new_pool : GINT_TO_POINTER (1));
    }

  *n_workers = workers;
  return pool == GINT_TO_POINTER (1) ? NULL : pool;
}

/* Runs @func over the chunks of @batch, the calling thread taking a share. */
static void
run_parallel (Batch    *batch,
              RangeFunc func)
{
  guint n_workers = 1;
  GThreadPool *pool = get_pool (&n_workers);
  Job jobs[MAX_WORKERS];
  GMutex mutex;
  GCond cond;
  guint pending;
  guint per;

  n_workers = MIN (n_workers, batch->n_chunks);
  if (pool == NULL || n_workers <= 1)
    {
      func (batch, 0, batch->n_chunks);
      return;
    }

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  per = (batch->n_chunks + n_workers - 1) / n_workers;
  pending = 0;

  for (guint w = 1; w < n_workers && w * per < batch->n_chunks; w++)
    {
      jobs[w] = (Job) { func, batch, w * per, MIN (batch->n_chunks, (w + 1) * per),
                        &mutex, &cond, &pending };
      g_mutex_lock (&mutex);
      pending++;
      g_mutex_unlock (&mutex);
      g_thread_pool_push (pool, &jobs[w], NULL);
    }

  func (batch, 0, MIN (per, batch->n_chunks));

  g_mutex_lock (&mutex);
  while (pending > 0)
    g_cond_wait (&cond, &mutex);
  g_mutex_unlock (&mutex);

  g_mutex_clear (&mutex);
  g_cond_clear (&cond);
}

/**
 * photoseal_payload_cipher_new:
 * @file_key: the 16-byte file key
 * @nonce: the 16-byte payload nonce from the file
 */
PhotosealPayloadCipher *
photoseal_payload_cipher_new (const guint8 *file_key,
                              const guint8 *nonce)
{
  PhotosealPayloadCipher *self;

  photoseal_crypto_init ();
  self = sodium_malloc (sizeof *self);
  g_assert (self != NULL);
  memset (self, 0, sizeof *self);
  photoseal_hkdf_sha256 (self->key, sizeof self->key, file_key, PHOTOSEAL_FILE_KEY_SIZE,
                         nonce, PHOTOSEAL_PAYLOAD_NONCE_SIZE, "payload");
  return self;
}

void
photoseal_payload_cipher_free (PhotosealPayloadCipher *self)
{
  /* sodium_free() zeroes the key before releasing the guarded pages. */
  if (self != NULL)
    sodium_free (self);
}

/**
 * photoseal_payload_cipher_seal:
 * @len: at most %PHOTOSEAL_BATCH_CHUNKS chunks; a multiple of the chunk
 *   size unless @final
 * @final: whether the last chunk in @in ends the payload
 * @out: room for the sealed chunks
 *
 * Returns: the number of bytes written to @out
 */
gsize
photoseal_payload_cipher_seal (PhotosealPayloadCipher *self,
                               const guint8           *in,
                               gsize                   len,
                               gboolean                final,
                               guint8                 *out)
{
  Batch batch = { 0 };

  g_return_val_if_fail (!self->finished, 0);
  g_return_val_if_fail (len <= PHOTOSEAL_BATCH_CHUNKS * PHOTOSEAL_CHUNK_SIZE, 0);
  g_return_val_if_fail (final || (len > 0 && len % PHOTOSEAL_CHUNK_SIZE == 0), 0);
  /* Only an empty payload may end in an empty chunk. */
  g_return_val_if_fail (len > 0 || self->counter == 0, 0);

  batch.key = self->key;
  batch.counter = self->counter;
  batch.in = in;
  batch.in_len = len;
  batch.out = out;
  batch.n_chunks = MAX (1, (len + PHOTOSEAL_CHUNK_SIZE - 1) / PHOTOSEAL_CHUNK_SIZE);
  batch.last_is_final = final;
  batch.seal = TRUE;

  run_parallel (&batch, crypt_range);

  self->counter += batch.n_chunks;
  self->finished = final;
  return len + (gsize) batch.n_chunks * PHOTOSEAL_TAG_SIZE;
}

static gboolean
payload_error (GError    **error,
               const char *why)
{
  g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_PAYLOAD,
               _("The file is damaged or incomplete: %s"), why);
  return FALSE;
}

/**
 * photoseal_payload_cipher_open:
 * @in: up to %PHOTOSEAL_BATCH_CHUNKS sealed chunks
 * @at_end: whether @in reaches the end of the file
 * @out: room for the plaintext
 * @out_len: (out): how many bytes of @out were authenticated, also on error
 * @finished: (out): whether the final chunk was seen
 *
 * Follows age's reference reader so that the plaintext released before an
 * error is exactly what the test kit expects: a full chunk is tried as a
 * middle chunk, then as the final one; a short chunk can only be final.
 */
gboolean
photoseal_payload_cipher_open (PhotosealPayloadCipher *self,
                               const guint8           *in,
                               gsize                   len,
                               gboolean                at_end,
                               guint8                 *out,
                               gsize                  *out_len,
                               gboolean               *finished,
                               GError                **error)
{
  Batch batch = { 0 };
  gsize last_len;

  *out_len = 0;
  *finished = FALSE;

  g_return_val_if_fail (len <= PHOTOSEAL_BATCH_CHUNKS * PHOTOSEAL_SEALED_CHUNK_SIZE, FALSE);

  if (self->finished)
    return len == 0 || payload_error (error, _("there is data after the end"));
  if (len == 0)
    return payload_error (error, self->counter == 0 ? "the payload is missing"
                                                    : _("the file is truncated"));

  batch.key = self->key;
  batch.counter = self->counter;
  batch.in = in;
  batch.in_len = len;
  batch.out = out;
  batch.n_chunks = (len + PHOTOSEAL_SEALED_CHUNK_SIZE - 1) / PHOTOSEAL_SEALED_CHUNK_SIZE;
  last_len = chunk_in_size (&batch, batch.n_chunks - 1);
  batch.last_is_final = last_len < PHOTOSEAL_SEALED_CHUNK_SIZE;
  batch.seal = FALSE;

  if (batch.last_is_final && !at_end)
    return payload_error (error, _("a chunk is short"));

  run_parallel (&batch, crypt_range);

  for (guint i = 0; i < batch.n_chunks; i++)
    {
      gsize chunk_len = chunk_in_size (&batch, i);
      gboolean final = batch.last_is_final && i == batch.n_chunks - 1;

      if (chunk_len < PHOTOSEAL_TAG_SIZE)
        return payload_error (error, _("the last chunk is truncated"));
      if (final && chunk_len == PHOTOSEAL_TAG_SIZE && self->counter > 0)
        return payload_error (error, _("the last chunk is empty"));
      if (!batch.ok[i] && !final)
        final = batch.ok[i] = crypt_chunk (&batch, i, TRUE);
      if (!batch.ok[i])
        return payload_error (error, _("a chunk failed authentication"));

      self->counter++;
      *out_len += chunk_len - PHOTOSEAL_TAG_SIZE;
      if (final)
        {
          self->finished = *finished = TRUE;
          if (i + 1 < batch.n_chunks || !at_end)
            return payload_error (error, _("there is data after the end"));
          return TRUE;
        }
    }

  if (at_end)
    return payload_error (error, _("the file is truncated"));
  return TRUE;
}
