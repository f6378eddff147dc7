/* photoseal-bech32.c
 *
 * Bech32 as in BIP 173, with the 90-character limit lifted as age does
 * (age identities are longer), and mixed case refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-bech32"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-bech32.h"

static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static guint32
polymod_step (guint32 chk,
              guint8  value)
{
  static const guint32 generator[5] = {
    0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3,
  };
  guint8 top = chk >> 25;

  chk = ((chk & 0x1ffffff) << 5) ^ value;
  for (guint i = 0; i < 5; i++)
    if ((top >> i) & 1)
      chk ^= generator[i];
  return chk;
}

static guint32
hrp_checksum (const char *hrp,
              gsize       hrp_len)
{
  guint32 chk = 1;

  for (gsize i = 0; i < hrp_len; i++)
    chk = polymod_step (chk, g_ascii_tolower (hrp[i]) >> 5);
  chk = polymod_step (chk, 0);
  for (gsize i = 0; i < hrp_len; i++)
    chk = polymod_step (chk, g_ascii_tolower (hrp[i]) & 31);
  return chk;
}

/* Regroups bits; with @pad FALSE, leftover bits must be zero padding. */
static gboolean
convert_bits (GByteArray   *out,
              const guint8 *in,
              gsize         in_len,
              guint         from,
              guint         to,
              gboolean      pad)
{
  guint32 acc = 0;
  guint bits = 0;
  guint32 max = (1u << to) - 1;

  for (gsize i = 0; i < in_len; i++)
    {
      acc = (acc << from) | in[i];
      bits += from;
      while (bits >= to)
        {
          guint8 v;

          bits -= to;
          v = (acc >> bits) & max;
          g_byte_array_append (out, &v, 1);
        }
    }

  if (pad)
    {
      if (bits > 0)
        {
          guint8 v = (acc << (to - bits)) & max;

          g_byte_array_append (out, &v, 1);
        }
    }
  else if (bits >= from || ((acc << (to - bits)) & max) != 0)
    {
      return FALSE;
    }

  return TRUE;
}

char *
photoseal_bech32_encode (const char   *hrp,
                         const guint8 *data,
                         gsize         len,
                         gboolean      upper)
{
  g_autoptr(GByteArray) words = g_byte_array_new ();
  gsize hrp_len = strlen (hrp);
  GString *text;
  guint32 chk;

  convert_bits (words, data, len, 8, 5, TRUE);

  chk = hrp_checksum (hrp, hrp_len);
  for (guint i = 0; i < words->len; i++)
    chk = polymod_step (chk, words->data[i]);
  for (guint i = 0; i < 6; i++)
    chk = polymod_step (chk, 0);
  chk ^= 1;

  text = g_string_new (NULL);
  for (gsize i = 0; i < hrp_len; i++)
    g_string_append_c (text, g_ascii_tolower (hrp[i]));
  g_string_append_c (text, '1');
  for (guint i = 0; i < words->len; i++)
    g_string_append_c (text, charset[words->data[i]]);
  for (guint i = 0; i < 6; i++)
    g_string_append_c (text, charset[(chk >> (5 * (5 - i))) & 31]);

  if (upper)
    for (gsize i = 0; i < text->len; i++)
      text->str[i] = g_ascii_toupper (text->str[i]);

  sodium_memzero (words->data, words->len);
  return g_string_free (text, FALSE);
}

/**
 * photoseal_bech32_decode:
 * @hrp: (out): the human-readable part, lower case
 *
 * Decodes @text into at most @data_max bytes. Returns %FALSE for anything
 * that is not a valid Bech32 string.
 */
gboolean
photoseal_bech32_decode (const char  *text,
                         char       **hrp,
                         guint8      *data,
                         gsize        data_max,
                         gsize       *data_len)
{
  g_autoptr(GByteArray) words = g_byte_array_new ();
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gboolean has_lower = FALSE, has_upper = FALSE;
  gsize len = strlen (text);
  const char *sep = strrchr (text, '1');
  gsize hrp_len;
  guint32 chk;
  gboolean ok = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] < 33 || text[i] > 126)
        return FALSE;
      has_lower |= g_ascii_islower (text[i]);
      has_upper |= g_ascii_isupper (text[i]);
    }
  if ((has_lower && has_upper) || sep == NULL)
    return FALSE;

  hrp_len = sep - text;
  if (hrp_len < 1 || len - hrp_len - 1 < 6)
    return FALSE;

  chk = hrp_checksum (text, hrp_len);
  for (const char *p = sep + 1; *p; p++)
    {
      const char *pos = strchr (charset, g_ascii_tolower (*p));
      guint8 v;

      if (pos == NULL)
        return FALSE;
      v = pos - charset;
      chk = polymod_step (chk, v);
      g_byte_array_append (words, &v, 1);
    }
  if (chk != 1)
    return FALSE;

  g_byte_array_set_size (words, words->len - 6);
  if (convert_bits (bytes, words->data, words->len, 5, 8, FALSE) && bytes->len <= data_max)
    {
      memcpy (data, bytes->data, bytes->len);
      *data_len = bytes->len;
      *hrp = g_ascii_strdown (text, hrp_len);
      ok = TRUE;
    }

  sodium_memzero (words->data, words->len);
  sodium_memzero (bytes->data, bytes->len);
  return ok;
}
