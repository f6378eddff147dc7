/* photoseal-origin.c
 *
 * An origin is "https://host[:port]", or "http://" for a loopback host only:
 * nothing else may carry a token or a wrapped key, so nothing else is
 * accepted in a file or on a command line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-origin"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "photoseal-error.h"
#include "photoseal-origin.h"

gboolean
photoseal_origin_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * photoseal_origin_normalize:
 * @text: "https://keys.example.org" or "http://127.0.0.1:8443"
 *
 * Returns: (transfer full): the origin in canonical form (lower-case scheme
 *   and host, default port omitted), or %NULL with
 *   %PHOTOSEAL_FORMAT_ERROR_INVALID_KEY
 */
char *
photoseal_origin_normalize (const char *text,
                            GError    **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  const char *why = NULL;
  int port;

  g_return_val_if_fail (text != NULL, NULL);

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    why = "it is not a URL with a host";
  else if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL
           || g_uri_get_fragment (uri) != NULL
           || (*g_uri_get_path (uri) != '\0' && g_strcmp0 (g_uri_get_path (uri), "/") != 0))
    why = "an origin has no user, path, query or fragment";
  else if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0
           && !(g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0
                && photoseal_origin_is_loopback_host (g_uri_get_host (uri))))
    why = "it must be https:// (plain http:// only to this computer)";

  if (why != NULL)
    {
      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY,
                   "“%s” is not a key server origin: %s", text, why);
      return NULL;
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (strchr (host, ':') != NULL)
    {
      char *bracketed = g_strdup_printf ("[%s]", host);
      g_free (host);
      host = bracketed;
    }

  port = g_uri_get_port (uri);
  if (port == -1 || (port == 443 && g_str_equal (scheme, "https"))
      || (port == 80 && g_str_equal (scheme, "http")))
    return g_strdup_printf ("%s://%s", scheme, host);
  return g_strdup_printf ("%s://%s:%d", scheme, host, port);
}
