/* photoseal-age-output-stream.c
 *
 * Encrypts everything written to it as the payload of an age file. The
 * header goes out when the stream is created; plaintext is gathered into
 * batches of chunks. A full batch is held back until more data arrives,
 * because only finish() knows which chunk is last; then a stage thread
 * seals it, spread over the cores, while a second one writes the batch
 * before and the caller fills the next. Writing into the page cache costs
 * about as much CPU as sealing, so on one thread with it the cores that
 * seal wait for each write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-age-output-stream"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <sodium.h>

#include "photoseal-age-header.h"
#include "photoseal-age-output-stream.h"
#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-payload.h"
#include "photoseal-pipeline.h"
#include "photoseal-recipient.h"

#define PLAIN_CAPACITY (PHOTOSEAL_BATCH_CHUNKS * PHOTOSEAL_CHUNK_SIZE)
#define SEALED_CAPACITY (PHOTOSEAL_BATCH_CHUNKS * PHOTOSEAL_SEALED_CHUNK_SIZE)
/* One being filled, one being sealed, one being written, one spare so
 * that the caller need not wait for the writer. */
#define N_SLOTS 4

typedef struct
{
  guint8 *plain;
  gsize plain_len;
  guint8 *sealed;
  gsize sealed_len;
  /* Where the sealed batch starts in the file, to line the buffer up. */
  guint64 position;
  gboolean final;
} Slot;

/* What the stage threads use; the stream itself stays with the caller.
 * Only the sealing stage uses the cipher, only the writing one the base. */
typedef struct
{
  GOutputStream *base;
  PhotosealPayloadCipher *cipher;
  GCancellable *cancellable;
} Stage;

struct _PhotosealAgeOutputStream
{
  GFilterOutputStream parent_instance;

  Stage stage;
  PhotosealPipeline *pipeline;
  Slot slots[N_SLOTS];
  Slot *current;
  guint64 position;
  gboolean finished;
};

G_DEFINE_FINAL_TYPE (PhotosealAgeOutputStream, photoseal_age_output_stream,
                     G_TYPE_FILTER_OUTPUT_STREAM)

static guint8 *
sealed_start (Slot *slot)
{
  return slot->sealed + PHOTOSEAL_IO_SHIFT (slot->position);
}

/* The stages run on their threads, or on the caller's for a file of one
 * batch. */
static gboolean
seal_slot (gpointer  data,
           gpointer  user_data,
           GError  **error)
{
  Slot *slot = data;
  Stage *stage = user_data;

  /* The plaintext is overwritten by the next batch and zeroed at the end:
   * zeroing it each time costs 3 % of a seal. */
  slot->sealed_len = photoseal_payload_cipher_seal (stage->cipher, slot->plain, slot->plain_len,
                                                    slot->final, sealed_start (slot));
  slot->plain_len = 0;
  return TRUE;
}

static gboolean
write_slot (gpointer  data,
            gpointer  user_data,
            GError  **error)
{
  Slot *slot = data;
  Stage *stage = user_data;

  return g_output_stream_write_all (stage->base, sealed_start (slot), slot->sealed_len, NULL,
                                    stage->cancellable, error);
}

/* Sends the current batch on and takes an empty one. The last batch is
 * sealed and written before this returns. */
static gboolean
hand_off (PhotosealAgeOutputStream *self,
          gboolean                  final,
          GCancellable             *cancellable,
          GError                  **error)
{
  Slot *slot = self->current;
  gsize n_chunks = MAX (1, (slot->plain_len + PHOTOSEAL_CHUNK_SIZE - 1) / PHOTOSEAL_CHUNK_SIZE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  slot->final = final;
  slot->position = self->position;
  self->position += slot->plain_len + n_chunks * PHOTOSEAL_TAG_SIZE;
  self->current = NULL;

  if (final && !photoseal_pipeline_is_running (self->pipeline))
    return seal_slot (slot, &self->stage, error) && write_slot (slot, &self->stage, error);

  photoseal_pipeline_push (self->pipeline, slot);
  if (final)
    {
      photoseal_pipeline_join (self->pipeline);
      return photoseal_pipeline_check (self->pipeline, error);
    }

  self->current = photoseal_pipeline_pop (self->pipeline, cancellable, error);
  if (self->current == NULL || photoseal_pipeline_check (self->pipeline, error))
    return self->current != NULL;
  /* Without a slot, later writes fail at once rather than fill batches
   * that the stages pass over. */
  self->current = NULL;
  return FALSE;
}

static gssize
photoseal_age_output_stream_write_fn (GOutputStream *stream,
                                      const void    *buffer,
                                      gsize          count,
                                      GCancellable  *cancellable,
                                      GError       **error)
{
  PhotosealAgeOutputStream *self = PHOTOSEAL_AGE_OUTPUT_STREAM (stream);
  const guint8 *data = buffer;
  gsize done = 0;

  if (self->finished || self->current == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _("The age payload was already finished or has failed"));
      return -1;
    }

  while (done < count)
    {
      Slot *slot = self->current;
      gsize n;

      if (slot->plain_len == PLAIN_CAPACITY)
        {
          if (!hand_off (self, FALSE, cancellable, error))
            return -1;
          continue;
        }

      n = MIN (count - done, PLAIN_CAPACITY - slot->plain_len);
      memcpy (slot->plain + slot->plain_len, data + done, n);
      slot->plain_len += n;
      done += n;
    }

  return count;
}

/**
 * photoseal_age_output_stream_finish:
 *
 * Seals the final chunk and waits until everything is written. Without
 * it, closing the stream (or dropping the last reference, which closes it)
 * leaves an incomplete file that every reader rejects, so an aborted seal
 * can never pass for a complete one.
 */
gboolean
photoseal_age_output_stream_finish (PhotosealAgeOutputStream *self,
                                    GCancellable             *cancellable,
                                    GError                  **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_AGE_OUTPUT_STREAM (self), FALSE);
  g_return_val_if_fail (!self->finished, FALSE);

  if (!g_output_stream_set_pending (G_OUTPUT_STREAM (self), error))
    return FALSE;
  /* Without a slot, an earlier write failed or was cancelled. */
  if (self->current == NULL)
    {
      if (photoseal_pipeline_check (self->pipeline, error))
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Sealing was cancelled");
    }
  else
    self->finished = hand_off (self, TRUE, cancellable, error);
  g_output_stream_clear_pending (G_OUTPUT_STREAM (self));
  return self->finished;
}

/* The base stream is the writing stage's until it has stopped. */
static gboolean
photoseal_age_output_stream_flush (GOutputStream *stream,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  PhotosealAgeOutputStream *self = PHOTOSEAL_AGE_OUTPUT_STREAM (stream);

  if (photoseal_pipeline_is_running (self->pipeline))
    return TRUE;
  return G_OUTPUT_STREAM_CLASS (photoseal_age_output_stream_parent_class)->flush (stream,
                                                                                  cancellable,
                                                                                  error);
}

static gboolean
photoseal_age_output_stream_close_fn (GOutputStream *stream,
                                      GCancellable  *cancellable,
                                      GError       **error)
{
  PhotosealAgeOutputStream *self = PHOTOSEAL_AGE_OUTPUT_STREAM (stream);

  g_clear_pointer (&self->pipeline, photoseal_pipeline_free);
  return G_OUTPUT_STREAM_CLASS (photoseal_age_output_stream_parent_class)->close_fn (stream,
                                                                                     cancellable,
                                                                                     error);
}

static void
photoseal_age_output_stream_finalize (GObject *object)
{
  PhotosealAgeOutputStream *self = (PhotosealAgeOutputStream *) object;

  g_clear_pointer (&self->pipeline, photoseal_pipeline_free);
  g_clear_pointer (&self->stage.cipher, photoseal_payload_cipher_free);
  for (guint i = 0; i < N_SLOTS; i++)
    {
      sodium_memzero (self->slots[i].plain, PLAIN_CAPACITY);
      g_aligned_free (self->slots[i].plain);
      g_aligned_free (self->slots[i].sealed);
    }

  G_OBJECT_CLASS (photoseal_age_output_stream_parent_class)->finalize (object);
}

static void
photoseal_age_output_stream_class_init (PhotosealAgeOutputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = photoseal_age_output_stream_finalize;
  stream_class->write_fn = photoseal_age_output_stream_write_fn;
  stream_class->flush = photoseal_age_output_stream_flush;
  stream_class->close_fn = photoseal_age_output_stream_close_fn;
}

static void
photoseal_age_output_stream_init (PhotosealAgeOutputStream *self)
{
  self->pipeline = photoseal_pipeline_new (seal_slot, &self->stage);
  photoseal_pipeline_add_stage (self->pipeline, write_slot, &self->stage);
  self->stage.cancellable = photoseal_pipeline_get_cancellable (self->pipeline);
  for (guint i = 0; i < N_SLOTS; i++)
    {
      Slot *slot = &self->slots[i];

      slot->plain = g_aligned_alloc (1, PLAIN_CAPACITY, PHOTOSEAL_IO_ALIGNMENT);
      slot->sealed = g_aligned_alloc (1, SEALED_CAPACITY + PHOTOSEAL_IO_LINE,
                                      PHOTOSEAL_IO_ALIGNMENT);
      if (i > 0)
        photoseal_pipeline_put_done (self->pipeline, slot);
    }
  self->current = &self->slots[0];
}

static PhotosealAgeHeader *
build_header (GPtrArray    *recipients,
              const guint8 *file_key,
              GError      **error)
{
  g_autoptr(PhotosealAgeHeader) header = photoseal_age_header_new ();

  for (guint i = 0; i < recipients->len; i++)
    {
      PhotosealRecipient *recipient = g_ptr_array_index (recipients, i);
      PhotosealStanza *stanza;

      if (photoseal_recipient_is_exclusive (recipient) && recipients->len > 1)
        {
          g_set_error_literal (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY,
                               _("A passphrase cannot be combined with other recipients"));
          return NULL;
        }
      if (!(stanza = photoseal_recipient_wrap (recipient, file_key, error)))
        return NULL;
      photoseal_age_header_add_stanza (header, stanza);
    }

  return g_steal_pointer (&header);
}

/**
 * photoseal_age_output_stream_new:
 * @base_stream: where the age file goes
 * @recipients: (element-type PhotosealRecipient): who can open it, at least one
 *
 * Writes the header and the payload nonce to @base_stream at once. Call
 * photoseal_age_output_stream_finish() after the last write, then close.
 *
 * Returns: (transfer full): the stream, or %NULL
 */
GOutputStream *
photoseal_age_output_stream_new (GOutputStream *base_stream,
                                 GPtrArray     *recipients,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(PhotosealAgeOutputStream) self = NULL;
  g_autoptr(PhotosealAgeHeader) header = NULL;
  g_autoptr(GBytes) header_bytes = NULL;
  guint8 file_key[PHOTOSEAL_FILE_KEY_SIZE];
  guint8 nonce[PHOTOSEAL_PAYLOAD_NONCE_SIZE];

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (base_stream), NULL);
  g_return_val_if_fail (recipients != NULL && recipients->len > 0, NULL);

  photoseal_crypto_init ();
  randombytes_buf (file_key, sizeof file_key);
  randombytes_buf (nonce, sizeof nonce);

  header = build_header (recipients, file_key, error);
  if (header != NULL)
    {
      header_bytes = photoseal_age_header_encode (header, file_key);
      self = g_object_new (PHOTOSEAL_TYPE_AGE_OUTPUT_STREAM, "base-stream", base_stream, NULL);
      self->stage.base = base_stream;
      self->stage.cipher = photoseal_payload_cipher_new (file_key, nonce);
    }
  sodium_memzero (file_key, sizeof file_key);
  if (header == NULL)
    return NULL;

  if (!g_output_stream_write_all (base_stream, g_bytes_get_data (header_bytes, NULL),
                                  g_bytes_get_size (header_bytes), NULL, cancellable, error)
      || !g_output_stream_write_all (base_stream, nonce, sizeof nonce, NULL, cancellable, error))
    return NULL;
  self->position = g_bytes_get_size (header_bytes) + sizeof nonce;

  return G_OUTPUT_STREAM (g_steal_pointer (&self));
}
