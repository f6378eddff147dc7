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

/* A DNS name in ASCII (IDNA A-labels): letters, digits and inner hyphens,
 * and not ending in a number, which would be a malformed IPv4 address. */
static gboolean
is_hostname (const char *host)
{
  g_auto(GStrv) labels = NULL;
  const char *last = strrchr (host, '.');

  last = last ? last + 1 : host;
  if (strlen (host) > 253 || strspn (last, "0123456789") == strlen (last))
    return FALSE;
  labels = g_strsplit (host, ".", -1);
  for (guint i = 0; labels[i]; i++)
    {
      gsize len = strlen (labels[i]);

      if (len == 0 || len > 63 || labels[i][0] == '-' || labels[i][len - 1] == '-')
        return FALSE;
      for (const char *p = labels[i]; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '-')
          return FALSE;
    }
  return TRUE;
}

/* An IP address literal with nothing GInetAddress would also tolerate,
 * such as an IPv6 zone ("%eth0") or IPv4 in a shortened form. */
static gboolean
is_address (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  gboolean v6 = strchr (host, ':') != NULL;

  if (strspn (host, v6 ? "0123456789abcdefABCDEF:." : "0123456789.") != strlen (host))
    return FALSE;
  if (!v6)
    {
      g_auto(GStrv) parts = g_strsplit (host, ".", -1);

      if (g_strv_length (parts) != 4)
        return FALSE;
    }
  address = g_inet_address_new_from_string (host);
  return address != NULL;
}

/* Why @uri is not an origin, or %NULL. Parsed with G_URI_FLAGS_ENCODED so
 * that percent-escapes stay visible here instead of being decoded into
 * spaces, quotes or control characters. */
static const char *
why_not_origin (GUri *uri)
{
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  const char *path = uri ? g_uri_get_path (uri) : NULL;

  if (host == NULL || *host == '\0')
    return "it is not a URL with a host";
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL || (*path != '\0' && strcmp (path, "/") != 0))
    return "an origin has no user, path, query or fragment";
  if (!is_address (host) && (strchr (host, ':') != NULL || !is_hostname (host)))
    return "the host is not a host name or an IP address";
  if (g_uri_get_port (uri) == 0)
    return "port 0 is not a port";
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0
      && !(g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0
           && photoseal_origin_is_loopback_host (host)))
    return "it must be https:// (plain http:// only to this computer)";
  return NULL;
}

/**
 * photoseal_origin_normalize:
 * @text: "https://keys.example.org" or "http://127.0.0.1:8443"
 *
 * Accepts host names in ASCII (IDNA A-labels), IPv4 addresses and bracketed
 * IPv6 addresses; never percent-escapes. Normalising a normalised origin
 * gives it back unchanged.
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
  const char *why;
  int port;

  g_return_val_if_fail (text != NULL, NULL);

  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED | G_URI_FLAGS_NON_DNS, NULL);
  if ((why = why_not_origin (uri)) != NULL)
    {
      g_autofree char *shown = g_strescape (text, NULL);

      g_set_error (error, PHOTOSEAL_FORMAT_ERROR, PHOTOSEAL_FORMAT_ERROR_INVALID_KEY,
                   "“%s” is not a key server origin: %s", shown, why);
      return NULL;
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (strchr (host, ':') != NULL)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);
      g_autofree char *canonical = g_inet_address_to_string (address);

      g_free (host);
      host = g_strdup_printf ("[%s]", canonical);
    }

  port = g_uri_get_port (uri);
  if (port == -1 || (port == 443 && g_str_equal (scheme, "https"))
      || (port == 80 && g_str_equal (scheme, "http")))
    return g_strdup_printf ("%s://%s", scheme, host);
  return g_strdup_printf ("%s://%s:%d", scheme, host, port);
}

/**
 * photoseal_origin_host:
 * @origin: (nullable): a key server's origin, "https://host[:port]"
 *
 * Returns: (transfer full) (nullable): its host name, as people are shown
 *   it ("keys.example.org"); @origin itself when it does not parse
 */
char *
photoseal_origin_host (const char *origin)
{
  g_autoptr(GUri) uri = NULL;

  if (origin == NULL)
    return NULL;
  uri = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
  return g_strdup (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : origin);
}
