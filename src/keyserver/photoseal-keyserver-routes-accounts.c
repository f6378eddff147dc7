/* photoseal-keyserver-routes-accounts.c: POST /v1/accounts, GET /v1/accounts/me
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "photoseal-keyserver-routes.h"

#define MAX_NAME 200
#define MAX_CODE 64

static JsonNode *
account_reply (const PhotosealAccount *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = photoseal_keyserver_format_time (account->created);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "account");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, account->email);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, account->name);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* A mailed sign-up code, or the code of an invitation to this address.
 * An invitation may go to another organisation's address: its code signs
 * up whatever allowed-domains= says. */
static gboolean
check_signup_code (PhotosealRequest *request,
                   const char       *email)
{
  static const char * const any[] = { "invite", "verify", NULL };
  static const char * const invited[] = { "invite", NULL };
  PhotosealKeyserverOptions *options = photoseal_keyserver_get_options (request->server);
  const char *code = json_object_get_string_member (request->body, "code");

  if (photoseal_keyserver_options_domain_allowed (options, email))
    return photoseal_request_check_code (request, email, any, code);
  if (photoseal_request_check_code (request, email, invited, code))
    return TRUE;
  photoseal_request_fail (request, 403, "domain_not_allowed",
                          "This server takes accounts only for its organisation's domains");
  return FALSE;
}

static void
create_account (PhotosealRequest *request)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  const char *email = json_object_get_string_member (request->body, "email");
  const char *name = json_object_get_string_member (request->body, "name");
  const char *password = json_object_get_string_member (request->body, "password");
  char hash[crypto_pwhash_STRBYTES];
  g_autoptr(PhotosealAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  if (json_object_has_member (request->body, "code") && !check_signup_code (request, email))
    return;
  if (crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      photoseal_request_fail (request, 503, "busy", "The server is out of memory; try again");
      return;
    }

  account = photoseal_store_add_account (store, email, name, hash,
                                         g_get_real_time () / G_USEC_PER_SEC, &error);
  sodium_memzero (hash, sizeof hash);
  if (g_error_matches (error, PHOTOSEAL_STORE_ERROR, PHOTOSEAL_STORE_ERROR_EMAIL_TAKEN))
    photoseal_request_fail (request, 409, "email_taken", "An account with this email exists");
  else if (account == NULL)
    photoseal_request_fail (request, 500, "internal", "The account could not be saved");
  else
    photoseal_request_reply (request, 201, account_reply (account));
}

static gboolean
check_domain (PhotosealRequest          *request,
              PhotosealKeyserverOptions *options,
              const char                *email)
{
  if (photoseal_keyserver_options_domain_allowed (options, email))
    return TRUE;
  photoseal_request_fail (request, 403, "domain_not_allowed",
                          "This server takes accounts only for its organisation's domains");
  return FALSE;
}

void
photoseal_route_create_account (PhotosealRequest *request)
{
  static const char * const fields[] = { "email", "password", "name", NULL };
  static const char * const verified_fields[] = { "email", "password", "name", "code", NULL };
  g_autoptr(PhotosealRequest) owned = request;
  PhotosealKeyserverOptions *options = photoseal_keyserver_get_options (request->server);
  gboolean verified = g_strcmp0 (options->registration, "verified") == 0;
  const char *value;

  if (!verified && !photoseal_keyserver_registration_open (request->server))
    photoseal_request_fail (request, 403, "registration_closed",
                            "This server does not take new accounts; ask its administrator");
  else if (photoseal_request_parse_body (request)
           && photoseal_request_check_fields (request, request->body,
                                              verified ? verified_fields : fields)
           && photoseal_request_get_email (request, request->body, "email", &value)
           && (verified || check_domain (request, options, value))
           && (!verified || photoseal_request_get_string (request, request->body, "code", 1,
                                                          MAX_CODE, &value))
           && photoseal_request_get_string (request, request->body, "name", 1, MAX_NAME, &value)
           && photoseal_request_get_string (request, request->body, "password",
                                            PHOTOSEAL_MIN_PASSWORD, PHOTOSEAL_MAX_PASSWORD,
                                            &value))
    {
      photoseal_keyserver_run (request->server, g_steal_pointer (&owned), PHOTOSEAL_WORK_PASSWORD,
                               create_account);
      return;
    }

  photoseal_request_send (request);
}

static void
show_me (PhotosealRequest *request)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  g_autoptr(PhotosealSession) session = photoseal_keyserver_authenticate (request->server, request);
  g_autoptr(PhotosealAccount) account = NULL;

  if (session == NULL)
    return;
  account = photoseal_store_find_account_by_id (store, session->account_id, NULL);
  if (account == NULL)
    photoseal_request_fail (request, 401, "unauthorized", "The account no longer exists");
  else
    photoseal_request_reply (request, 200, account_reply (account));
}

void
photoseal_route_me (PhotosealRequest *request)
{
  photoseal_keyserver_run (request->server, request, PHOTOSEAL_WORK_STORE, show_me);
}
