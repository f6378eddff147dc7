/* photoseal-keyserver-options.c
 *
 * A GKeyFile config ([keyserver] listen=, data-dir=, tls-cert=, tls-key=,
 * registration=, master-key-file=, database=, max-connections=,
 * max-connections-per-address=, trusted-proxies=, smtp-url=, smtp-user=,
 * smtp-password-file=, mail-from=, allowed-domains=, directory=,
 * invitations-per-day=) fills in
 * whatever the command line left unset: the command line wins.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <string.h>

#include "photoseal-address.h"
#include "photoseal-keyserver-options.h"

#define GROUP "keyserver"
#define DEFAULT_INVITATIONS_PER_DAY 50

void
photoseal_keyserver_options_clear (PhotosealKeyserverOptions *options)
{
  g_clear_pointer (&options->listen, g_free);
  g_clear_pointer (&options->data_dir, g_free);
  g_clear_pointer (&options->tls_cert, g_free);
  g_clear_pointer (&options->tls_key, g_free);
  g_clear_pointer (&options->tls_priority, g_free);
  g_clear_pointer (&options->registration, g_free);
  g_clear_pointer (&options->master_key_file, g_free);
  g_clear_pointer (&options->config, g_free);
  g_clear_pointer (&options->database, g_free);
  g_clear_pointer (&options->trusted_proxies, g_free);
  g_clear_pointer (&options->smtp_url, g_free);
  g_clear_pointer (&options->smtp_user, g_free);
  g_clear_pointer (&options->smtp_password_file, g_free);
  g_clear_pointer (&options->mail_from, g_free);
  g_clear_pointer (&options->allowed_domains, g_free);
  g_clear_pointer (&options->directory, g_free);
}

static void
take_unset (GKeyFile   *file,
            const char *key,
            char      **field)
{
  if (*field == NULL)
    *field = g_key_file_get_string (file, GROUP, key, NULL);
}

static gboolean
take_unset_int (GKeyFile   *file,
                const char *key,
                int        *field,
                GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  int value;

  if (*field != 0 || !g_key_file_has_key (file, GROUP, key, NULL))
    return TRUE;
  value = g_key_file_get_integer (file, GROUP, key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", key);
      return FALSE;
    }
  *field = value;
  return TRUE;
}

gboolean
photoseal_keyserver_options_load_config (PhotosealKeyserverOptions *options,
                                         GError                   **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  static const char * const known[] = { "listen", "data-dir", "tls-cert", "tls-key", "tls-priority",
                                        "registration", "master-key-file", "database",
                                        "max-connections", "max-connections-per-address",
                                        "trusted-proxies", "smtp-url", "smtp-user",
                                        "smtp-password-file", "mail-from", "allowed-domains",
                                        "directory", "invitations-per-day", NULL };
  g_auto(GStrv) keys = NULL;

  if (options->config == NULL)
    return TRUE;
  if (!g_key_file_load_from_file (file, options->config, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", options->config);
      return FALSE;
    }

  keys = g_key_file_get_keys (file, GROUP, NULL, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    if (!g_strv_contains (known, keys[i]))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                     "%s: unknown setting “%s” in [" GROUP "]", options->config, keys[i]);
        return FALSE;
      }

  take_unset (file, "listen", &options->listen);
  take_unset (file, "data-dir", &options->data_dir);
  take_unset (file, "tls-cert", &options->tls_cert);
  take_unset (file, "tls-key", &options->tls_key);
  take_unset (file, "tls-priority", &options->tls_priority);
  take_unset (file, "registration", &options->registration);
  take_unset (file, "master-key-file", &options->master_key_file);
  take_unset (file, "database", &options->database);
  take_unset (file, "trusted-proxies", &options->trusted_proxies);
  take_unset (file, "smtp-url", &options->smtp_url);
  take_unset (file, "smtp-user", &options->smtp_user);
  take_unset (file, "smtp-password-file", &options->smtp_password_file);
  take_unset (file, "mail-from", &options->mail_from);
  take_unset (file, "allowed-domains", &options->allowed_domains);
  take_unset (file, "directory", &options->directory);
  return take_unset_int (file, "max-connections", &options->max_connections, error)
         && take_unset_int (file, "invitations-per-day", &options->invitations_per_day, error)
         && take_unset_int (file, "max-connections-per-address",
                            &options->max_connections_per_address, error);
}

/**
 * photoseal_keyserver_options_parse_proxies:
 * @text: (nullable): addresses and networks, separated by commas or spaces
 *
 * Returns: (transfer full) (element-type GInetAddressMask): the masks, or
 *   %NULL on a malformed entry
 */
GPtrArray *
photoseal_keyserver_options_parse_proxies (const char *text,
                                           GError    **error)
{
  g_autoptr(GPtrArray) masks = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) parts = g_strsplit_set (text ? text : "", ", \t", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      GInetAddressMask *mask;

      if (*parts[i] == '\0')
        continue;
      mask = g_inet_address_mask_new_from_string (parts[i], NULL);
      if (mask == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "trusted-proxies: “%s” is not an IP address or network "
                       "such as 10.0.0.0/8",
                       parts[i]);
          return NULL;
        }
      g_ptr_array_add (masks, mask);
    }
  return g_steal_pointer (&masks);
}

/* Whether @address (text) is one of @proxies. */
gboolean
photoseal_keyserver_proxies_match (GPtrArray  *proxies,
                                   const char *address)
{
  g_autoptr(GInetAddress) parsed = address ? g_inet_address_new_from_string (address) : NULL;

  for (guint i = 0; parsed != NULL && proxies != NULL && i < proxies->len; i++)
    if (g_inet_address_mask_matches (g_ptr_array_index (proxies, i), parsed))
      return TRUE;
  return FALSE;
}

/**
 * photoseal_keyserver_options_get_allowed_domains:
 *
 * Returns: (transfer full): the domains sign-up is limited to, normalised
 *   (IDNA A-labels, lower case); empty for any domain, %NULL if one is not
 *   a domain
 */
GStrv
photoseal_keyserver_options_get_allowed_domains (PhotosealKeyserverOptions *options)
{
  g_auto(GStrv) parts = g_strsplit_set (options->allowed_domains ? options->allowed_domains : "",
                                        ", \t", -1);
  g_autoptr(GStrvBuilder) domains = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *probe = NULL;
      g_autofree char *normal = NULL;

      if (*parts[i] == '\0')
        continue;
      probe = g_strconcat ("x@", parts[i], NULL);
      if (!(normal = photoseal_address_normalize (probe, NULL)))
        return NULL;
      g_strv_builder_add (domains, strchr (normal, '@') + 1);
    }
  return g_strv_builder_end (domains);
}

/* Whether @email (normalised) may sign up under allowed-domains=. */
gboolean
photoseal_keyserver_options_domain_allowed (PhotosealKeyserverOptions *options,
                                            const char                *email)
{
  g_auto(GStrv) domains = photoseal_keyserver_options_get_allowed_domains (options);
  const char *at = strrchr (email, '@');

  return domains != NULL && at != NULL
         && (domains[0] == NULL || g_strv_contains ((const char * const *) domains, at + 1));
}

static gboolean
validate_identity (PhotosealKeyserverOptions *options,
                   GError                   **error)
{
  g_auto(GStrv) domains = NULL;
  const char *problem = NULL;

  if (options->directory == NULL)
    options->directory = g_strdup ("on");
  if (options->invitations_per_day == 0)
    options->invitations_per_day = DEFAULT_INVITATIONS_PER_DAY;
  if (!(domains = photoseal_keyserver_options_get_allowed_domains (options)))
    problem = "allowed-domains takes domain names separated by commas, like example.org";
  else if (g_strcmp0 (options->directory, "on") != 0
           && g_strcmp0 (options->directory, "off") != 0)
    problem = "directory must be on or off";
  else if (options->invitations_per_day < 0 || options->invitations_per_day > 100000)
    problem = "invitations-per-day must be between 1 and 100000";
  else if ((options->smtp_url == NULL) != (options->mail_from == NULL))
    problem = "--smtp-url and --mail-from go together";
  else if (g_strcmp0 (options->registration, "verified") == 0 && options->smtp_url == NULL)
    problem = "--registration verified mails codes: give --smtp-url and --mail-from";
  if (problem != NULL)
    g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, problem);
  return problem == NULL;
}

gboolean
photoseal_keyserver_options_validate (PhotosealKeyserverOptions *options,
                                      GError                   **error)
{
  g_autoptr(GPtrArray) proxies = NULL;

  if (options->listen == NULL)
    options->listen = g_strdup (PHOTOSEAL_KEYSERVER_DEFAULT_LISTEN);
  if (options->data_dir == NULL)
    options->data_dir = g_build_filename (g_get_user_data_dir (), "photoseal-keyserver", NULL);
  if (options->registration == NULL)
    options->registration = g_strdup ("closed");
  if (options->tls_priority == NULL)
    options->tls_priority = g_strdup (PHOTOSEAL_KEYSERVER_DEFAULT_TLS_PRIORITY);
  if (options->max_connections == 0)
    options->max_connections = PHOTOSEAL_KEYSERVER_DEFAULT_MAX_CONNECTIONS;
  if (options->max_connections_per_address == 0)
    options->max_connections_per_address = PHOTOSEAL_KEYSERVER_DEFAULT_MAX_PER_ADDRESS;

  if (!(proxies = photoseal_keyserver_options_parse_proxies (options->trusted_proxies, error)))
    return FALSE;
  if (options->max_connections < 1 || options->max_connections_per_address < 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--max-connections and --max-connections-per-address must be at least 1");
      return FALSE;
    }

  if (g_strcmp0 (options->registration, "open") != 0
      && g_strcmp0 (options->registration, "closed") != 0
      && g_strcmp0 (options->registration, "verified") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--registration must be closed, verified or open");
      return FALSE;
    }
  if (!validate_identity (options, error))
    return FALSE;
  if (options->database != NULL && !g_str_has_prefix (options->database, "postgresql://")
      && !g_str_has_prefix (options->database, "postgres://"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--database takes a postgresql:// URI (without it, SQLite in the data "
                   "folder is used)");
      return FALSE;
    }
  if ((options->tls_cert == NULL) != (options->tls_key == NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--tls-cert and --tls-key go together");
      return FALSE;
    }
  return TRUE;
}
