/* photoseal-age-header.c
 *
 * The header grammar of the C2SP age spec, with every strictness rule:
 * LF line ends only, arguments of visible ASCII separated by one space,
 * canonical unpadded base64, body lines of exactly 64 columns but the last,
 * and a MAC line "--- " followed by 43 base64 characters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-age-header"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "photoseal-age-header.h"
#include "photoseal-crypto.h"
#include "photoseal-error.h"
#include "photoseal-server-key-identity.h"

#define COLUMNS 64
#define MAX_LINE (64 * 1024)
#define MAX_HEADER (1024 * 1024)
#define MAX_STANZAS 1024

struct _PhotosealAgeHeader
{
  gatomicrefcount ref_count;
  GPtrArray *stanzas;
  /* The exact bytes from the version line through "---", as read: the MAC
   * is computed over these, never over a re-encoding. */
  GBytes *mac_input;
  guint8 mac[PHOTOSEAL_AGE_MAC_SIZE];
  gsize size;
};

G_DEFINE_BOXED_TYPE (PhotosealAgeHeader, photoseal_age_header,
                     photoseal_age_header_ref, photoseal_age_header_unref)

PhotosealAgeHeader *
photoseal_age_header_new (void)
{
  PhotosealAgeHeader *self = g_new0 (PhotosealAgeHeader, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->stanzas = g_ptr_array_new_with_free_func ((GDestroyNotify) photoseal_stanza_free);
  return self;
}

PhotosealAgeHeader *
photoseal_age_header_ref (PhotosealAgeHeader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
photoseal_age_header_unref (PhotosealAgeHeader *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_ptr_array_unref (self->stanzas);
      g_clear_pointer (&self->mac_input, g_bytes_unref);
      g_free (self);
    }
}

/**
 * photoseal_age_header_add_stanza:
 * @stanza: (transfer full): the stanza to append
 */
void
photoseal_age_header_add_stanza (PhotosealAgeHeader *self,
                                 PhotosealStanza    *stanza)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (stanza != NULL);

  g_ptr_array_add (self->stanzas, stanza);
}

/**
 * photoseal_age_header_get_stanzas:
 *
 * Returns: (transfer none) (element-type PhotosealStanza): the stanzas in file order
 */
GPtrArray *
photoseal_age_header_get_stanzas (PhotosealAgeHeader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->stanzas;
}

static gboolean
header_error (GError    **error,
              const char *why)
{
  g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_HEADER,
               _("The file header is damaged: %s"), why);
  return FALSE;
}

/* A cursor over the header text; lines end at LF and never include it. */
typedef struct
{
  const char *data;
  gsize len;
  gsize pos;
} Cursor;

static gboolean
next_line (Cursor      *cursor,
           const char **line,
           gsize       *line_len)
{
  const char *start = cursor->data + cursor->pos;
  const char *nl = memchr (start, '\n', cursor->len - cursor->pos);

  if (nl == NULL)
    return FALSE;

  *line = start;
  *line_len = nl - start;
  cursor->pos += *line_len + 1;
  return TRUE;
}

static PhotosealStanza *
parse_stanza (Cursor     *cursor,
              const char *line,
              gsize       line_len,
              GError    **error)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_auto(GStrv) args = NULL;
  g_autofree char *arg_text = NULL;

  /* Arguments are visible ASCII separated by single spaces: checking the
   * raw bytes first also keeps NULs out of the split below. */
  for (gsize i = 3; i < line_len; i++)
    {
      gboolean space = line[i] == ' ';

      if (!space && (line[i] < 33 || line[i] > 126))
        return header_error (error, _("a stanza argument has invalid characters")), NULL;
      if (space && (i == 3 || i == line_len - 1 || line[i - 1] == ' '))
        return header_error (error, _("a stanza argument is empty")), NULL;
    }
  arg_text = g_strndup (line + 3, line_len - 3);
  args = g_strsplit (arg_text, " ", -1);

  for (;;)
    {
      guint8 decoded[COLUMNS];
      gsize decoded_len = 0;

      if (!next_line (cursor, &line, &line_len))
        return header_error (error, _("a stanza body is not terminated")), NULL;
      if (line_len > COLUMNS)
        return header_error (error, _("a stanza body line is longer than 64 columns")), NULL;
      if (!photoseal_base64_decode (line, line_len, decoded, sizeof decoded, &decoded_len))
        return header_error (error, _("a stanza body is not canonical base64")), NULL;
      g_byte_array_append (body, decoded, decoded_len);
      if (line_len < COLUMNS)
        break;
    }

  return photoseal_stanza_new (args[0], (const char * const *) &args[1], body->data, body->len);
}

/**
 * photoseal_age_header_parse:
 * @data: the start of an age file
 * @header_len: (out): how many bytes of @data the header took
 *
 * Parses a complete header from memory. Returns %NULL with
 * %PHOTOSEAL_FORMAT_ERROR_HEADER (or _UNSUPPORTED for another version) if
 * @data does not start with a valid header.
 */
PhotosealAgeHeader *
photoseal_age_header_parse (const guint8 *data,
                            gsize         len,
                            gsize        *header_len,
                            GError      **error)
{
  g_autoptr(PhotosealAgeHeader) self = photoseal_age_header_new ();
  Cursor cursor = { (const char *) data, len, 0 };
  const char *line;
  gsize line_len;

  if (!next_line (&cursor, &line, &line_len))
    return header_error (error, _("it is not an age file")), NULL;
  if (line_len != strlen (PHOTOSEAL_AGE_VERSION_LINE)
      || memcmp (line, PHOTOSEAL_AGE_VERSION_LINE, line_len) != 0)
    {
      if (line_len > 19 && memcmp (line, "age-encryption.org/", 19) == 0)
        g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_UNSUPPORTED,
                     _("This file uses an age version this program does not know"));
      else
        header_error (error, _("it is not an age v1 file"));
      return NULL;
    }

  for (;;)
    {
      PhotosealStanza *stanza;

      if (!next_line (&cursor, &line, &line_len))
        return header_error (error, _("it ends before the MAC line")), NULL;
      if (line_len >= 3 && memcmp (line, "---", 3) == 0)
        break;
      if (line_len < 4 || memcmp (line, "-> ", 3) != 0)
        return header_error (error, _("a line is neither a stanza nor the MAC")), NULL;
      if (self->stanzas->len >= MAX_STANZAS)
        return header_error (error, _("it has too many stanzas")), NULL;
      if (!(stanza = parse_stanza (&cursor, line, line_len, error)))
        return NULL;
      g_ptr_array_add (self->stanzas, stanza);
    }

  if (self->stanzas->len == 0)
    return header_error (error, _("it names no recipient")), NULL;

  {
    gsize mac_len = 0;

    if (line_len != 4 + 43 || line[3] != ' '
        || !photoseal_base64_decode (line + 4, 43, self->mac, sizeof self->mac, &mac_len)
        || mac_len != sizeof self->mac)
      return header_error (error, _("the MAC line is malformed")), NULL;
  }

  self->mac_input = g_bytes_new (data, (line - (const char *) data) + 3);
  *header_len = self->size = cursor.pos;
  return g_steal_pointer (&self);
}

/* Parses the @len buffered bytes and consumes exactly the header. */
static PhotosealAgeHeader *
read_parsed (GBufferedInputStream *stream,
             const char           *buf,
             gsize                 len,
             GCancellable         *cancellable,
             GError              **error)
{
  g_autoptr(PhotosealAgeHeader) header = NULL;
  gsize header_len = 0;

  header = photoseal_age_header_parse ((const guint8 *) buf, len, &header_len, error);
  if (header == NULL)
    return NULL;
  if (!g_input_stream_skip (G_INPUT_STREAM (stream), header_len, cancellable, error))
    return NULL;
  return g_steal_pointer (&header);
}

/**
 * photoseal_age_header_read:
 * @stream: a buffered stream positioned at the start of an age file
 *
 * Reads the header and leaves @stream positioned at the payload nonce. The
 * stream's buffer grows as needed, up to 1 MiB of header.
 */
PhotosealAgeHeader *
photoseal_age_header_read (GBufferedInputStream *stream,
                           GCancellable         *cancellable,
                           GError              **error)
{
  gsize scanned = 0;
  gsize line_start = 0;

  g_return_val_if_fail (G_IS_BUFFERED_INPUT_STREAM (stream), NULL);

  if (g_buffered_input_stream_get_buffer_size (stream) < MAX_LINE)
    g_buffered_input_stream_set_buffer_size (stream, MAX_LINE);

  /* Fill until the buffer holds the MAC line (the first line starting with
   * "---"), then parse the whole header from memory. */
  for (;;)
    {
      gsize available = 0;
      const char *buf = g_buffered_input_stream_peek_buffer (stream, &available);
      gssize n;

      for (; scanned < available; scanned++)
        {
          if (buf[scanned] != '\n')
            continue;
          if (scanned - line_start >= 3 && memcmp (buf + line_start, "---", 3) == 0)
            return read_parsed (stream, buf, scanned + 1, cancellable, error);
          line_start = scanned + 1;
        }

      if (available >= MAX_HEADER)
        return header_error (error, _("it is larger than 1 MiB")), NULL;
      if (g_buffered_input_stream_get_buffer_size (stream) <= available)
        g_buffered_input_stream_set_buffer_size (stream, MIN (available * 2, MAX_HEADER));

      n = g_buffered_input_stream_fill (stream, -1, cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        return read_parsed (stream, buf, available, cancellable, error);
    }
}

static void
compute_mac (const guint8 *text,
             gsize         text_len,
             const guint8 *file_key,
             guint8       *mac)
{
  guint8 hmac_key[32];

  photoseal_hkdf_sha256 (hmac_key, sizeof hmac_key, file_key, PHOTOSEAL_FILE_KEY_SIZE,
                         NULL, 0, "header");
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init (&state, hmac_key, sizeof hmac_key);
  crypto_auth_hmacsha256_update (&state, text, text_len);
  crypto_auth_hmacsha256_final (&state, mac);
  sodium_memzero (&state, sizeof state);
  sodium_memzero (hmac_key, sizeof hmac_key);
}

/**
 * photoseal_age_header_get_size:
 *
 * Returns: the header's length in bytes, once parsed or encoded
 */
gsize
photoseal_age_header_get_size (PhotosealAgeHeader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

gboolean
photoseal_age_header_verify_mac (PhotosealAgeHeader *self,
                                 const guint8       *file_key)
{
  guint8 mac[PHOTOSEAL_AGE_MAC_SIZE];
  gsize len;
  const guint8 *text;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->mac_input != NULL, FALSE);

  text = g_bytes_get_data (self->mac_input, &len);
  compute_mac (text, len, file_key, mac);
  return sodium_memcmp (mac, self->mac, sizeof mac) == 0;
}

static void
append_stanza (GString               *text,
               const PhotosealStanza *stanza)
{
  gsize body_len;
  const guint8 *body = g_bytes_get_data (stanza->body, &body_len);
  g_autofree char *encoded = photoseal_base64_encode (body, body_len);
  gsize encoded_len = strlen (encoded);
  gsize pos = 0;

  g_string_append_printf (text, "-> %s", stanza->type);
  for (guint i = 0; stanza->args[i] != NULL; i++)
    g_string_append_printf (text, " %s", stanza->args[i]);
  g_string_append_c (text, '\n');

  /* A body whose encoding fills its last line exactly gets an empty line
   * after it, so that the reader can tell where it ends. */
  do
    {
      gsize n = MIN (COLUMNS, encoded_len - pos);

      g_string_append_len (text, encoded + pos, n);
      g_string_append_c (text, '\n');
      pos += n;
      if (n < COLUMNS)
        break;
    }
  while (TRUE);
}

/**
 * photoseal_age_header_encode:
 *
 * Encodes the header with a MAC keyed from @file_key.
 *
 * Returns: (transfer full): the header bytes, ending in the MAC line's LF
 */
GBytes *
photoseal_age_header_encode (PhotosealAgeHeader *self,
                             const guint8       *file_key)
{
  GString *text = g_string_new (PHOTOSEAL_AGE_VERSION_LINE "\n");
  g_autofree char *mac_text = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->stanzas->len > 0, NULL);

  for (guint i = 0; i < self->stanzas->len; i++)
    append_stanza (text, g_ptr_array_index (self->stanzas, i));
  g_string_append (text, "---");

  compute_mac ((const guint8 *) text->str, text->len, file_key, self->mac);
  mac_text = photoseal_base64_encode (self->mac, sizeof self->mac);
  g_string_append_printf (text, " %s\n", mac_text);
  self->size = text->len;

  return g_string_free_to_bytes (text);
}

/**
 * photoseal_age_header_read_file:
 *
 * Reads only the age header of @file: enough to tell who can open it.
 * Blocking; call it from a worker in an app.
 */
PhotosealAgeHeader *
photoseal_age_header_read_file (GFile         *file,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GInputStream) buffered = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!(in = g_file_read (file, cancellable, error)))
    return NULL;
  buffered = g_buffered_input_stream_new (G_INPUT_STREAM (in));
  return photoseal_age_header_read (G_BUFFERED_INPUT_STREAM (buffered), cancellable, error);
}

/**
 * photoseal_age_header_find_photoseal_stanza:
 *
 * Finds the photoseal stanza and checks its shape.
 *
 * Returns: (transfer full) (nullable): which key, on which server; %NULL
 *   with %PHOTOSEAL_FORMAT_ERROR_NO_MATCH when the file was not sealed
 *   through a key server, or %PHOTOSEAL_FORMAT_ERROR_HEADER when the
 *   stanza is malformed
 */
PhotosealServerKeyRef *
photoseal_age_header_find_photoseal_stanza (PhotosealAgeHeader  *self,
                                            GError             **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->stanzas->len; i++)
    {
      const PhotosealStanza *stanza = g_ptr_array_index (self->stanzas, i);
      g_autofree char *key_id = NULL;
      g_autofree char *origin = NULL;

      if (g_strcmp0 (stanza->type, PHOTOSEAL_SERVER_KEY_STANZA_TYPE) != 0)
        continue;
      if (!photoseal_server_key_stanza_parse (stanza, &key_id, &origin, error))
        return NULL;
      return photoseal_server_key_ref_new (key_id, origin);
    }
  g_set_error_literal (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_NO_MATCH,
                       _("This file was not sealed through a key server"));
  return NULL;
}
