/* photoseal-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <gio/gio.h>

#include "photoseal-error.h"

G_DEFINE_QUARK (photoseal-format-error-quark, photoseal_format_error)
G_DEFINE_QUARK (photoseal-keyserver-error-quark, photoseal_keyserver_error)

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
