/* photoseal-identity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "photoseal-error.h"
#include "photoseal-identity.h"
#include "photoseal-x25519-identity.h"

G_DEFINE_INTERFACE (PhotosealIdentity, photoseal_identity, G_TYPE_OBJECT)

static void
photoseal_identity_default_init (PhotosealIdentityInterface *iface)
{
}

/**
 * photoseal_identity_unwrap:
 * @stanza: one stanza of the header
 * @file_key: (out caller-allocates): 16 bytes, written only on success
 *
 * A malformed stanza of the identity's own type is an error
 * (%PHOTOSEAL_FORMAT_ERROR_HEADER), not a mismatch: age treats the header as
 * broken rather than letting a damaged stanza pass for someone else's.
 */
PhotosealUnwrapResult
photoseal_identity_unwrap (PhotosealIdentity     *self,
                           const PhotosealStanza *stanza,
                           guint8                *file_key,
                           GError               **error)
{
  g_return_val_if_fail (PHOTOSEAL_IS_IDENTITY (self), PHOTOSEAL_UNWRAP_ERROR);
  g_return_val_if_fail (stanza != NULL, PHOTOSEAL_UNWRAP_ERROR);
  g_return_val_if_fail (file_key != NULL, PHOTOSEAL_UNWRAP_ERROR);

  return PHOTOSEAL_IDENTITY_GET_IFACE (self)->unwrap (self, stanza, file_key, error);
}

/**
 * photoseal_identities_parse:
 * @text: the contents of an age identity file
 *
 * Reads one identity per line, skipping blank lines and "#" comments, as
 * age-keygen writes them.
 *
 * Returns: (transfer full) (element-type PhotosealIdentity): the identities,
 *   or %NULL with %PHOTOSEAL_FORMAT_ERROR_INVALID_KEY naming the line
 */
GPtrArray *
photoseal_identities_parse (const char *text,
                            GError    **error)
{
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      char *line = g_strstrip (lines[i]);
      PhotosealX25519Identity *identity;

      if (*line == '\0' || *line == '#')
        continue;
      identity = photoseal_x25519_identity_parse (line, &local_error);
      memset (line, 0, strlen (line));
      if (identity == NULL)
        {
          g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY,
                       _("line %u is not an age identity (AGE-SECRET-KEY-1…)"), i + 1);
          return NULL;
        }
      g_ptr_array_add (identities, identity);
    }

  if (identities->len == 0)
    {
      g_set_error_literal (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY,
                           _("it holds no identity"));
      return NULL;
    }
  return g_steal_pointer (&identities);
}
