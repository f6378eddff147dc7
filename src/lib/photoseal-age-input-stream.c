/* photoseal-age-input-stream.c
 *
 * Decrypts an age file as it is read. Creating the stream reads the header,
 * unwraps the file key with the first identity that matches, and checks the
 * header MAC; reads then return authenticated plaintext, a batch of chunks
 * at a time. After the first batch a stage thread reads and decrypts the
 * next batches (spread over the cores) while the caller uses this one.
 * Plaintext that authenticated before an error is returned first, then the
 * error, as age's own reader does: callers that must not act on partial
 * data (extraction) commit only after reading to the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-age-input-stream"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <sodium.h>

#include "photoseal-age-input-stream.h"
#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-identity.h"
#include "photoseal-payload.h"
#include "photoseal-pipeline.h"
#include "photoseal-scrypt-recipient.h"

#define SEALED_CAPACITY (PHOTOSEAL_BATCH_CHUNKS * PHOTOSEAL_SEALED_CHUNK_SIZE)
#define PLAIN_CAPACITY (PHOTOSEAL_BATCH_CHUNKS * PHOTOSEAL_CHUNK_SIZE)
/* One being read by the caller, two read and decrypted ahead. */
#define N_SLOTS 3

typedef struct
{
  guint8 *sealed;
  guint8 *plain;
  gsize plain_len;
  gsize plain_pos;
  /* What ends this slot's plaintext: an error, or the end of the file. */
  GError *error;
  gboolean finished;
} Slot;

/* The reading side, used by one thread at a time: the caller for the
 * first batch, then the stage thread. */
typedef struct
{
  GInputStream *base;
  PhotosealPayloadCipher *cipher;
  GCancellable *cancellable;
  /* One byte read past a full batch to learn whether it was the last. */
  guint8 lookahead;
  gboolean has_lookahead;
  /* Where the next batch starts in the file, to line the buffer up. */
  guint64 position;
  gboolean finished;
} Stage;

struct _PhotosealAgeInputStream
{
  GFilterInputStream parent_instance;

  PhotosealAgeHeader *header;
  Stage stage;
  PhotosealPipeline *pipeline;
  Slot slots[N_SLOTS];
  Slot *current;
  gboolean started;
};

G_DEFINE_FINAL_TYPE (PhotosealAgeInputStream, photoseal_age_input_stream,
                     G_TYPE_FILTER_INPUT_STREAM)

/* Reads the next batch of sealed chunks and decrypts it. */
static gboolean
fill_slot (gpointer  data,
           gpointer  user_data,
           GError  **unused)
{
  Slot *slot = data;
  Stage *stage = user_data;
  guint8 *sealed = slot->sealed + PHOTOSEAL_IO_SHIFT (stage->position);
  gsize len = 0;
  gsize got = 0;
  gboolean at_end = FALSE;
  gboolean finished = FALSE;

  slot->plain_len = slot->plain_pos = 0;
  g_clear_error (&slot->error);
  if (stage->finished)
    return FALSE;

  if (stage->has_lookahead)
    {
      sealed[len++] = stage->lookahead;
      stage->has_lookahead = FALSE;
    }
  if (g_input_stream_read_all (stage->base, sealed + len, SEALED_CAPACITY - len, &got,
                               stage->cancellable, &slot->error))
    {
      len += got;
      stage->position += len;
      at_end = len < SEALED_CAPACITY;
    }
  if (slot->error == NULL && !at_end)
    {
      gsize peeked = 0;

      if (g_input_stream_read_all (stage->base, &stage->lookahead, 1, &peeked,
                                   stage->cancellable, &slot->error))
        {
          stage->has_lookahead = peeked == 1;
          at_end = peeked == 0;
        }
    }

  if (slot->error == NULL)
    photoseal_payload_cipher_open (stage->cipher, sealed, len, at_end, slot->plain,
                                   &slot->plain_len, &finished, &slot->error);
  stage->finished = slot->finished = finished || slot->error != NULL;
  return !stage->finished;
}

/* The slot to read from next; the first batch is read at once, so that a
 * small file never starts a thread. */
static Slot *
next_slot (PhotosealAgeInputStream *self,
           GCancellable            *cancellable,
           GError                 **error)
{
  if (!self->started)
    {
      self->started = TRUE;
      self->current = &self->slots[0];
      fill_slot (self->current, &self->stage, NULL);
      if (!self->current->finished)
        for (guint i = 1; i < N_SLOTS; i++)
          photoseal_pipeline_push (self->pipeline, &self->slots[i]);
      return self->current;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  /* A wait that was cancelled left no current slot: wait again. */
  if (self->current != NULL)
    photoseal_pipeline_push (self->pipeline, g_steal_pointer (&self->current));
  return self->current = photoseal_pipeline_pop (self->pipeline, cancellable, error);
}

/* The current slot with plaintext left in it, or %NULL at the end (with
 * no error) or on an error. */
static Slot *
readable_slot (PhotosealAgeInputStream *self,
               GCancellable            *cancellable,
               GError                 **error)
{
  Slot *slot = self->current;

  while (slot == NULL || slot->plain_pos == slot->plain_len)
    {
      if (slot != NULL && slot->error != NULL)
        {
          g_propagate_error (error, g_error_copy (slot->error));
          return NULL;
        }
      if (slot != NULL && slot->finished)
        return NULL;
      if (!(slot = next_slot (self, cancellable, error)))
        return NULL;
    }

  return slot;
}

static gssize
photoseal_age_input_stream_read_fn (GInputStream *stream,
                                    void         *buffer,
                                    gsize         count,
                                    GCancellable *cancellable,
                                    GError      **error)
{
  PhotosealAgeInputStream *self = PHOTOSEAL_AGE_INPUT_STREAM (stream);
  g_autoptr(GError) local_error = NULL;
  Slot *slot = readable_slot (self, cancellable, &local_error);
  gsize n;

  if (slot == NULL)
    {
      if (local_error == NULL)
        return 0;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }

  n = MIN (count, slot->plain_len - slot->plain_pos);
  memcpy (buffer, slot->plain + slot->plain_pos, n);
  slot->plain_pos += n;
  return n;
}

/**
 * photoseal_age_input_stream_read_block:
 * @data: (out) (transfer none): the plaintext, valid until the next read
 * @len: (out): its length; 0 at the end
 *
 * Like g_input_stream_read() without the copy: hands out the rest of the
 * current batch in place.
 */
gboolean
photoseal_age_input_stream_read_block (PhotosealAgeInputStream  *self,
                                       const guint8            **data,
                                       gsize                    *len,
                                       GCancellable             *cancellable,
                                       GError                  **error)
{
  g_autoptr(GError) local_error = NULL;
  Slot *slot;

  g_return_val_if_fail (PHOTOSEAL_IS_AGE_INPUT_STREAM (self), FALSE);

  *data = NULL;
  *len = 0;
  if (!g_input_stream_set_pending (G_INPUT_STREAM (self), error))
    return FALSE;
  slot = readable_slot (self, cancellable, &local_error);
  g_input_stream_clear_pending (G_INPUT_STREAM (self));

  if (slot == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  *data = slot->plain + slot->plain_pos;
  *len = slot->plain_len - slot->plain_pos;
  slot->plain_pos = slot->plain_len;
  return TRUE;
}

static gboolean
photoseal_age_input_stream_close_fn (GInputStream  *stream,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  PhotosealAgeInputStream *self = PHOTOSEAL_AGE_INPUT_STREAM (stream);

  g_clear_pointer (&self->pipeline, photoseal_pipeline_free);
  return G_INPUT_STREAM_CLASS (photoseal_age_input_stream_parent_class)->close_fn (stream,
                                                                                   cancellable,
                                                                                   error);
}

static void
photoseal_age_input_stream_finalize (GObject *object)
{
  PhotosealAgeInputStream *self = (PhotosealAgeInputStream *) object;

  g_clear_pointer (&self->pipeline, photoseal_pipeline_free);
  g_clear_pointer (&self->header, photoseal_age_header_unref);
  g_clear_pointer (&self->stage.cipher, photoseal_payload_cipher_free);
  for (guint i = 0; i < N_SLOTS; i++)
    {
      g_clear_error (&self->slots[i].error);
      sodium_memzero (self->slots[i].plain, PLAIN_CAPACITY);
      g_aligned_free (self->slots[i].plain);
      g_aligned_free (self->slots[i].sealed);
    }

  G_OBJECT_CLASS (photoseal_age_input_stream_parent_class)->finalize (object);
}

static void
photoseal_age_input_stream_class_init (PhotosealAgeInputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = photoseal_age_input_stream_finalize;
  stream_class->read_fn = photoseal_age_input_stream_read_fn;
  stream_class->close_fn = photoseal_age_input_stream_close_fn;
}

static void
photoseal_age_input_stream_init (PhotosealAgeInputStream *self)
{
  self->pipeline = photoseal_pipeline_new (fill_slot, &self->stage);
  self->stage.cancellable = photoseal_pipeline_get_cancellable (self->pipeline);
  for (guint i = 0; i < N_SLOTS; i++)
    {
      self->slots[i].sealed = g_aligned_alloc (1, SEALED_CAPACITY + PHOTOSEAL_IO_LINE,
                                               PHOTOSEAL_IO_ALIGNMENT);
      self->slots[i].plain = g_aligned_alloc (1, PLAIN_CAPACITY, PHOTOSEAL_IO_ALIGNMENT);
    }
}

/* Tries every identity on every stanza; the first that unwraps wins. */
static gboolean
unwrap_file_key (PhotosealAgeHeader *header,
                 GPtrArray          *identities,
                 guint8             *file_key,
                 GError            **error)
{
  GPtrArray *stanzas = photoseal_age_header_get_stanzas (header);

  for (guint i = 0; i < stanzas->len; i++)
    {
      const PhotosealStanza *stanza = g_ptr_array_index (stanzas, i);

      if (g_strcmp0 (stanza->type, PHOTOSEAL_SCRYPT_STANZA_TYPE) == 0 && stanzas->len != 1)
        {
          g_set_error_literal (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_HEADER,
                               _("The file header is damaged: a passphrase stanza must be alone"));
          return FALSE;
        }
    }

  for (guint i = 0; i < stanzas->len; i++)
    for (guint j = 0; j < identities->len; j++)
      switch (photoseal_identity_unwrap (g_ptr_array_index (identities, j),
                                         g_ptr_array_index (stanzas, i), file_key, error))
        {
        case PHOTOSEAL_UNWRAP_OK:
          return TRUE;
        case PHOTOSEAL_UNWRAP_ERROR:
          return FALSE;
        case PHOTOSEAL_UNWRAP_NOT_MINE:
        default:
          break;
        }

  g_set_error_literal (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_NO_MATCH,
                       _("None of your keys can open this file"));
  return FALSE;
}

/**
 * photoseal_age_input_stream_new:
 * @base_stream: an age file
 * @identities: (element-type PhotosealIdentity): keys to try
 *
 * Returns: (transfer full): a stream of the plaintext, or %NULL with a
 *   %PHOTOSEAL_FORMAT_ERROR: _HEADER, _UNSUPPORTED, _NO_MATCH or _HEADER_MAC
 */
GInputStream *
photoseal_age_input_stream_new (GInputStream *base_stream,
                                GPtrArray    *identities,
                                GCancellable *cancellable,
                                GError      **error)
{
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(PhotosealAgeHeader) header = NULL;

  g_return_val_if_fail (G_IS_INPUT_STREAM (base_stream), NULL);
  g_return_val_if_fail (identities != NULL, NULL);

  if (G_IS_BUFFERED_INPUT_STREAM (base_stream))
    buffered = g_object_ref (base_stream);
  else
    buffered = g_buffered_input_stream_new (base_stream);

  header = photoseal_age_header_read (G_BUFFERED_INPUT_STREAM (buffered), cancellable, error);
  if (header == NULL)
    return NULL;
  return photoseal_age_input_stream_new_after_header (G_BUFFERED_INPUT_STREAM (buffered), header,
                                                      identities, cancellable, error);
}

/**
 * photoseal_age_input_stream_new_after_header:
 * @stream: an age file, just past the header photoseal_age_header_read()
 *   read from it
 * @header: that header
 * @identities: (element-type PhotosealIdentity): keys to try
 *
 * For a caller that needs the header to choose its keys (the key server a
 * stanza names): the file is still read once, front to back, so it may
 * come through a pipe.
 *
 * Returns: (transfer full): a stream of the plaintext, or %NULL as for
 *   photoseal_age_input_stream_new()
 */
GInputStream *
photoseal_age_input_stream_new_after_header (GBufferedInputStream *stream,
                                             PhotosealAgeHeader   *header,
                                             GPtrArray            *identities,
                                             GCancellable         *cancellable,
                                             GError              **error)
{
  g_autoptr(PhotosealAgeInputStream) self = NULL;
  guint8 file_key[PHOTOSEAL_FILE_KEY_SIZE];
  guint8 nonce[PHOTOSEAL_PAYLOAD_NONCE_SIZE];
  gsize nonce_len = 0;
  gboolean mac_ok;

  g_return_val_if_fail (G_IS_BUFFERED_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (identities != NULL, NULL);

  photoseal_crypto_init ();

  if (!unwrap_file_key (header, identities, file_key, error))
    return NULL;

  mac_ok = photoseal_age_header_verify_mac (header, file_key);
  if (mac_ok && g_input_stream_read_all (G_INPUT_STREAM (stream), nonce, sizeof nonce,
                                         &nonce_len, cancellable, error)
      && nonce_len == sizeof nonce)
    {
      self = g_object_new (PHOTOSEAL_TYPE_AGE_INPUT_STREAM, "base-stream", stream, NULL);
      self->stage.base = G_INPUT_STREAM (stream);
      self->stage.cipher = photoseal_payload_cipher_new (file_key, nonce);
      self->stage.position = photoseal_age_header_get_size (header) + sizeof nonce;
    }
  sodium_memzero (file_key, sizeof file_key);

  if (!mac_ok)
    g_set_error_literal (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_HEADER_MAC,
                         _("The file header was altered after it was sealed"));
  else if (self == NULL && nonce_len < sizeof nonce && (error == NULL || *error == NULL))
    g_set_error_literal (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_HEADER,
                         _("The file is damaged: it ends before the payload"));
  if (self == NULL)
    return NULL;

  self->header = photoseal_age_header_ref (header);
  return G_INPUT_STREAM (g_steal_pointer (&self));
}

/**
 * photoseal_age_input_stream_get_header:
 *
 * Returns: (transfer none): the parsed header
 */
PhotosealAgeHeader *
photoseal_age_input_stream_get_header (PhotosealAgeInputStream *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_AGE_INPUT_STREAM (self), NULL);

  return self->header;
}
