/* photoseal-keyserver-options.h: settings from the command line and a config file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PHOTOSEAL_KEYSERVER_DEFAULT_LISTEN "127.0.0.1:8443"
/* GnuTLS's priority string: TLS 1.2 and 1.3, ephemeral key exchange
 * only (forward secrecy), AEAD ciphers only. */
#define PHOTOSEAL_KEYSERVER_DEFAULT_TLS_PRIORITY \
  "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:+DHE-RSA:" \
  "-CIPHER-ALL:+CHACHA20-POLY1305:+AES-256-GCM:+AES-128-GCM:-MAC-ALL:+AEAD"
#define PHOTOSEAL_KEYSERVER_DEFAULT_MAX_CONNECTIONS 4096
#define PHOTOSEAL_KEYSERVER_DEFAULT_MAX_PER_ADDRESS 128

typedef struct
{
  char *listen;
  char *data_dir;
  char *tls_cert;
  char *tls_key;
  char *tls_priority;
  char *registration;
  char *master_key_file;
  char *config;
  /* A postgresql:// URI, or NULL for SQLite in the data dir. */
  char *database;
  /* Connection caps; 0 until validated, then the defaults. */
  int max_connections;
  int max_connections_per_address;
  /* Addresses and networks ("10.0.0.0/8") whose X-Forwarded-For is
   * believed, separated by commas or spaces; NULL for none. */
  char *trusted_proxies;
  /* Identity (DESIGN §3 v1.1): the SMTP relay, who may sign up, and
   * whether signed-in users may look up which addresses have accounts. */
  char *smtp_url;
  char *smtp_user;
  char *smtp_password_file;
  char *mail_from;
  char *allowed_domains;
  char *directory;
  /* Invitation mails one sender may cause per 24 hours; 0 until
   * validated, then the default. */
  int invitations_per_day;
} PhotosealKeyserverOptions;

void     photoseal_keyserver_options_clear       (PhotosealKeyserverOptions *options);
gboolean photoseal_keyserver_options_load_config (PhotosealKeyserverOptions *options,
                                                  GError                   **error);
gboolean photoseal_keyserver_options_validate    (PhotosealKeyserverOptions *options,
                                                  GError                   **error);
GStrv      photoseal_keyserver_options_get_allowed_domains (PhotosealKeyserverOptions *options);
gboolean   photoseal_keyserver_options_domain_allowed (PhotosealKeyserverOptions *options,
                                                       const char                *email);
GPtrArray *photoseal_keyserver_options_parse_proxies (const char *text,
                                                      GError    **error);
gboolean   photoseal_keyserver_proxies_match         (GPtrArray  *proxies,
                                                      const char *address);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PhotosealKeyserverOptions, photoseal_keyserver_options_clear)

G_END_DECLS
