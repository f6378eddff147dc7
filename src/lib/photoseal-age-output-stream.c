/* photoseal-age-output-stream.c
 *
 * Encrypts everything written to it as the payload of an age file. The
 * header goes out when the stream is created; plaintext is gathered into
 * batches of chunks that are sealed in parallel. A full batch is held back
 * until more data arrives, because only finish() knows which chunk is last.
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
#include "photoseal-recipient.h"

#define PLAIN_CAPACITY (PHOTOSEAL_BATCH_CHUNKS * PHOTOSEAL_CHUNK_SIZE)
#define SEALED_CAPACITY (PHOTOSEAL_BATCH_CHUNKS * PHOTOSEAL_SEALED_CHUNK_SIZE)

struct _PhotosealAgeOutputStream
{
  GFilterOutputStream parent_instance;

  PhotosealPayloadCipher *cipher;
  guint8 *plain;
  gsize plain_len;
  guint8 *sealed;
  guint64 position;
  gboolean finished;
};

G_DEFINE_FINAL_TYPE (PhotosealAgeOutputStream, photoseal_age_output_stream,
                     G_TYPE_FILTER_OUTPUT_STREAM)

static gboolean
seal_batch (PhotosealAgeOutputStream *self,
            gboolean                  final,
            GCancellable             *cancellable,
            GError                  **error)
{
  GOutputStream *base = g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (self));
  guint8 *sealed = self->sealed + PHOTOSEAL_IO_SHIFT (self->position);
  gsize sealed_len;

  sealed_len = photoseal_payload_cipher_seal (self->cipher, self->plain, self->plain_len,
                                              final, sealed);
  sodium_memzero (self->plain, self->plain_len);
  self->plain_len = 0;
  self->position += sealed_len;
  return g_output_stream_write_all (base, sealed, sealed_len, NULL, cancellable, error);
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

  if (self->finished)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _("The age payload was already finished"));
      return -1;
    }

  while (done < count)
    {
      gsize n;

      if (self->plain_len == PLAIN_CAPACITY
          && !seal_batch (self, FALSE, cancellable, error))
        return -1;

      n = MIN (count - done, PLAIN_CAPACITY - self->plain_len);
      memcpy (self->plain + self->plain_len, data + done, n);
      self->plain_len += n;
      done += n;
    }

  return count;
}

/**
 * photoseal_age_output_stream_finish:
 *
 * Seals the final chunk. Without it, closing the stream (or dropping the
 * last reference, which closes it) leaves an incomplete file that every
 * reader rejects, so an aborted seal can never pass for a complete one.
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
  self->finished = seal_batch (self, TRUE, cancellable, error);
  g_output_stream_clear_pending (G_OUTPUT_STREAM (self));
  return self->finished;
}

static void
photoseal_age_output_stream_finalize (GObject *object)
{
  PhotosealAgeOutputStream *self = (PhotosealAgeOutputStream *) object;

  g_clear_pointer (&self->cipher, photoseal_payload_cipher_free);
  sodium_memzero (self->plain, PLAIN_CAPACITY);
  g_aligned_free (self->plain);
  g_aligned_free (self->sealed);

  G_OBJECT_CLASS (photoseal_age_output_stream_parent_class)->finalize (object);
}

static void
photoseal_age_output_stream_class_init (PhotosealAgeOutputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = photoseal_age_output_stream_finalize;
  stream_class->write_fn = photoseal_age_output_stream_write_fn;
}

static void
photoseal_age_output_stream_init (PhotosealAgeOutputStream *self)
{
  self->plain = g_aligned_alloc (1, PLAIN_CAPACITY, PHOTOSEAL_IO_ALIGNMENT);
  self->sealed = g_aligned_alloc (1, SEALED_CAPACITY + PHOTOSEAL_IO_LINE, PHOTOSEAL_IO_ALIGNMENT);
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
      self->cipher = photoseal_payload_cipher_new (file_key, nonce);
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
