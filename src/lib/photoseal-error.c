/* photoseal-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <gio/gio.h>

#include "photoseal-error.h"

G_DEFINE_QUARK (photoseal-format-error-quark, photoseal_format_error)

typedef struct
{
  int tries_left;
  GDateTime *expired_at;
} PhotosealKeyserverErrorPrivate;

static void
photoseal_keyserver_error_private_init (PhotosealKeyserverErrorPrivate *priv)
{
  priv->tries_left = -1;
}

static void
photoseal_keyserver_error_private_copy (const PhotosealKeyserverErrorPrivate *src,
                                        PhotosealKeyserverErrorPrivate       *dest)
{
  dest->tries_left = src->tries_left;
  dest->expired_at = src->expired_at ? g_date_time_ref (src->expired_at) : NULL;
}

static void
photoseal_keyserver_error_private_clear (PhotosealKeyserverErrorPrivate *priv)
{
  g_clear_pointer (&priv->expired_at, g_date_time_unref);
}

/* Extended, so a refusal carries what the server said beyond its code. */
G_DEFINE_EXTENDED_ERROR (PhotosealKeyserverError, photoseal_keyserver_error)

static PhotosealKeyserverErrorPrivate *
keyserver_private (const GError *error)
{
  if (error == NULL || error->domain != PHOTOSEAL_KEYSERVER_ERROR)
    return NULL;
  return photoseal_keyserver_error_get_private (error);
}

/**
 * photoseal_keyserver_error_get_tries_left:
 * @error: a #GError
 *
 * For %PHOTOSEAL_KEYSERVER_ERROR_BAD_ACCESS_CODE: how many more wrong
 * access codes the server takes before it locks the key.
 *
 * Returns: the number of tries left, or -1 when @error does not say
 */
int
photoseal_keyserver_error_get_tries_left (const GError *error)
{
  PhotosealKeyserverErrorPrivate *priv = keyserver_private (error);

  return priv ? priv->tries_left : -1;
}

/**
 * photoseal_keyserver_error_get_expired_at:
 * @error: a #GError
 *
 * For %PHOTOSEAL_KEYSERVER_ERROR_EXPIRED: when the key expired.
 *
 * Returns: (transfer none) (nullable): the time, or %NULL when @error does
 *   not say
 */
GDateTime *
photoseal_keyserver_error_get_expired_at (const GError *error)
{
  PhotosealKeyserverErrorPrivate *priv = keyserver_private (error);

  return priv ? priv->expired_at : NULL;
}

/* Set by the client from the server's answer. */
void
photoseal_keyserver_error_set_tries_left (GError *error,
                                          int     tries_left)
{
  PhotosealKeyserverErrorPrivate *priv = keyserver_private (error);

  g_return_if_fail (priv != NULL);
  priv->tries_left = tries_left;
}

void
photoseal_keyserver_error_set_expired_at (GError    *error,
                                          GDateTime *expired_at)
{
  PhotosealKeyserverErrorPrivate *priv = keyserver_private (error);

  g_return_if_fail (priv != NULL);
  g_clear_pointer (&priv->expired_at, g_date_time_unref);
  priv->expired_at = expired_at ? g_date_time_ref (expired_at) : NULL;
}

/**
 * photoseal_format_error_is_damage:
 * @error: a #GError
 *
 * Whether @error means the file itself is damaged or was tampered with, as
 * opposed to "not for you" or an I/O problem on this machine.
 */
gboolean
photoseal_format_error_is_damage (const GError *error)
{
  if (error == NULL || error->domain != PHOTOSEAL_FORMAT_ERROR)
    return FALSE;

  switch ((PhotosealFormatError) error->code)
    {
    case PHOTOSEAL_FORMAT_ERROR_HEADER:
    case PHOTOSEAL_FORMAT_ERROR_HEADER_MAC:
    case PHOTOSEAL_FORMAT_ERROR_PAYLOAD:
    case PHOTOSEAL_FORMAT_ERROR_BUNDLE:
    case PHOTOSEAL_FORMAT_ERROR_MANIFEST:
    case PHOTOSEAL_FORMAT_ERROR_LIMIT:
      return TRUE;

    case PHOTOSEAL_FORMAT_ERROR_UNSUPPORTED:
    case PHOTOSEAL_FORMAT_ERROR_NO_MATCH:
    case PHOTOSEAL_FORMAT_ERROR_INVALID_KEY:
    case PHOTOSEAL_FORMAT_ERROR_CHANGED:
    default:
      return FALSE;
    }
}

/**
 * photoseal_set_errno_error:
 * @what: the action, such as "create" or "write"
 *
 * Sets a G_IO_ERROR for a failed system call: "Could not WHAT “PATH”: why".
 *
 * Returns: %FALSE, to return straight from the caller
 */
gboolean
photoseal_set_errno_error (GError    **error,
                           int         saved_errno,
                           const char *what,
                           const char *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not %s “%s”: %s"), what, path, g_strerror (saved_errno));
  return FALSE;
}
