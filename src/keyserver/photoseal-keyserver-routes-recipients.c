/* photoseal-keyserver-routes-recipients.c: POST /v1/recipients/lookup
 *
 * Tells a signed-in sender, before sealing, which addresses have an
 * account, so that a typo is caught while it can still be fixed. It is a
 * directory of the organisation's users, so it needs a token, is throttled
 * per account and per client address, and can be switched off
 * (directory=off): then every address is answered "unknown".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <string.h>

#include "photoseal-address.h"
#include "photoseal-keyserver-routes.h"
#include "photoseal-validate.h"

#define MAX_LOOKUP 100
/* Lookups per hour: a compose window asks as addresses are typed, and a
 * whole ward may sit behind one client address. */
#define LOOKUPS_PER_ACCOUNT 600
#define LOOKUPS_PER_CLIENT 6000
#define LOOKUP_WINDOW 3600

/* What a sealed key's recipient without an account can expect. */
const char *
photoseal_keyserver_no_account_state (PhotosealKeyserver *server)
{
  PhotosealKeyserverOptions *options = photoseal_keyserver_get_options (server);

  return photoseal_keyserver_get_mailer (server) != NULL
           && g_strcmp0 (options->registration, "verified") == 0
         ? "invitable" : "no_account";
}

static gboolean
directory_on (PhotosealKeyserver *server)
{
  return g_strcmp0 (photoseal_keyserver_get_options (server)->directory, "on") == 0;
}

static void
add_entry (PhotosealRequest *request,
           JsonBuilder      *builder,
           const char       *given)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = photoseal_address_normalize (given, &error);
  g_autoptr(PhotosealAccount) account = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email ? email : given);
  json_builder_set_member_name (builder, "state");
  if (email == NULL)
    {
      json_builder_add_string_value (builder, "invalid");
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, error->message);
    }
  else if (!directory_on (request->server))
    {
      json_builder_add_string_value (builder, "unknown");
      json_builder_set_member_name (builder, "account");
      json_builder_add_null_value (builder);
    }
  else if ((account = photoseal_store_find_account (store, email, NULL)) && !account->disabled)
    {
      json_builder_add_string_value (builder, "account");
      json_builder_set_member_name (builder, "account");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, account->name);
    }
  else
    {
      json_builder_add_string_value (builder, photoseal_keyserver_no_account_state (
                                                request->server));
      json_builder_set_member_name (builder, "account");
      json_builder_add_boolean_value (builder, FALSE);
    }
  json_builder_end_object (builder);
}

/* Counts this lookup; sets a 429 reply when either budget is spent. */
static gboolean
lookup_throttled (PhotosealRequest *request,
                  gint64            account_id)
{
  PhotosealStore *store = photoseal_keyserver_get_store (request->server);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *per_account = g_strdup_printf ("lookup:%" G_GINT64_FORMAT, account_id);
  g_autofree char *per_client = g_strconcat ("lookup-client:", request->address, NULL);

  if (photoseal_store_add_failure (store, per_account, now, LOOKUP_WINDOW, NULL)
        <= LOOKUPS_PER_ACCOUNT
      && photoseal_store_add_failure (store, per_client, now, LOOKUP_WINDOW, NULL)
           <= LOOKUPS_PER_CLIENT)
    return FALSE;
  photoseal_request_fail (request, 429, "throttled", "Too many recipient lookups; try again "
                          "later");
  request->retry_after = LOOKUP_WINDOW / 4;
  return TRUE;
}

static void
lookup (PhotosealRequest *request)
{
  g_autoptr(PhotosealSession) session = photoseal_keyserver_authenticate (request->server,
                                                                          request);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonArray *emails = json_object_get_array_member (request->body, "emails");

  if (session == NULL || lookup_throttled (request, session->account_id))
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (emails); i++)
    add_entry (request, builder, json_array_get_string_element (emails, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  photoseal_request_reply (request, 200, json_builder_get_root (builder));
}

/* A list of at most MAX_LOOKUP strings of bounded length; whether each is
 * an address is answered per entry. */
static gboolean
check_emails (PhotosealRequest *request)
{
  JsonNode *node = json_object_get_member (request->body, "emails");
  JsonArray *array = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  if (array == NULL || json_array_get_length (array) > MAX_LOOKUP)
    {
      photoseal_request_fail (request, 400, "invalid", "“emails” must be a list of at most %u "
                              "addresses", MAX_LOOKUP);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element)
          || json_node_get_value_type (element) != G_TYPE_STRING
          || strlen (json_node_get_string (element)) > PHOTOSEAL_EMAIL_MAX_LENGTH * 4)
        {
          photoseal_request_fail (request, 400, "invalid",
                                  "“emails” entry %u is not an address", i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

void
photoseal_route_lookup_recipients (PhotosealRequest *request)
{
  static const char * const fields[] = { "emails", NULL };
  g_autoptr(PhotosealRequest) owned = request;

  if (photoseal_request_parse_body (request)
           && photoseal_request_check_fields (request, request->body, fields)
           && check_emails (request))
    {
      photoseal_keyserver_run (request->server, g_steal_pointer (&owned), PHOTOSEAL_WORK_STORE,
                               lookup);
      return;
    }
  photoseal_request_send (request);
}
