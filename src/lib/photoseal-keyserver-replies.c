/* photoseal-keyserver-replies.c
 *
 * The only place that reads the key server's JSON answers field by field.
 * Types are checked strictly: a field of the wrong type makes the whole
 * answer a protocol error, not a half-filled object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "photoseal-error.h"
#include "photoseal-keyserver-replies.h"

static gboolean
protocol_error (GError **error)
{
  g_set_error_literal (error, PHOTOSEAL_KEYSERVER_ERROR, PHOTOSEAL_KEYSERVER_ERROR_PROTOCOL,
                       _("The key server gave an answer this app does not understand"));
  return FALSE;
}

static JsonObject *
as_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
as_array (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* A string member: required ones must be there; optional ones may be
 * missing or null, and are then NULL. */
static gboolean
get_string (JsonObject  *object,
            const char  *name,
            gboolean     required,
            const char **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (holds (node, G_TYPE_STRING))
    *out = json_node_get_string (node);
  else if (required || (node != NULL && !JSON_NODE_HOLDS_NULL (node)))
    return FALSE;
  return TRUE;
}

/* An ISO-8601 time, or null when @required is false. */
static gboolean
get_time (JsonObject  *object,
          const char  *name,
          gboolean     required,
          GDateTime  **out)
{
  const char *text = NULL;

  *out = NULL;
  if (!get_string (object, name, required, &text))
    return FALSE;
  if (text != NULL && !(*out = g_date_time_new_from_iso8601 (text, NULL)))
    return FALSE;
  return TRUE;
}

static gboolean
get_strv (JsonObject   *object,
          const char   *name,
          char       ***out)
{
  JsonArray *array = as_array (json_object_get_member (object, name));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  *out = NULL;
  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!holds (element, G_TYPE_STRING))
        return FALSE;
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
get_boolean (JsonObject *object,
             const char *name,
             gboolean   *out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = holds (node, G_TYPE_BOOLEAN) && json_node_get_boolean (node);
  return node == NULL || holds (node, G_TYPE_BOOLEAN);
}

static gboolean
get_count (JsonObject *object,
           const char *name,
           gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = holds (node, G_TYPE_INT64) ? json_node_get_int (node) : 0;
  return (node == NULL || holds (node, G_TYPE_INT64)) && *out >= 0;
}

/**
 * photoseal_account_info_from_reply:
 * @reply: `{"account":{"email","name","created"}}`
 */
PhotosealAccountInfo *
photoseal_account_info_from_reply (JsonNode  *reply,
                                   GError   **error)
{
  JsonObject *root = as_object (reply);
  JsonObject *account = root ? as_object (json_object_get_member (root, "account")) : NULL;
  g_autoptr(GDateTime) created = NULL;
  const char *email = NULL;
  const char *name = NULL;

  if (account == NULL || !get_string (account, "email", TRUE, &email)
      || !get_string (account, "name", FALSE, &name)
      || !get_time (account, "created", FALSE, &created))
    return protocol_error (error), NULL;
  return g_object_new (PHOTOSEAL_TYPE_ACCOUNT_INFO, "email", email, "name", name,
                       "created", created, NULL);
}

static PhotosealRecipientInfo *
recipient_from_object (JsonObject *recipient)
{
  PhotosealRecipientState state;
  const char *email = NULL;
  const char *state_text = NULL;
  const char *name = NULL;
  const char *message = NULL;

  if (recipient == NULL || !get_string (recipient, "email", TRUE, &email)
      || !get_string (recipient, "state", TRUE, &state_text)
      || !get_string (recipient, "name", FALSE, &name)
      || !get_string (recipient, "message", FALSE, &message)
      || !photoseal_recipient_state_from_string (state_text, &state))
    return NULL;
  return g_object_new (PHOTOSEAL_TYPE_RECIPIENT_INFO, "email", email, "name", name,
                       "state", state, "message", message, NULL);
}

/* The states in @recipients, or %FALSE when it is not an array of them. */
static gboolean
recipients_from_array (JsonArray   *recipients,
                       GListModel **out)
{
  g_autoptr(GListStore) store = g_list_store_new (PHOTOSEAL_TYPE_RECIPIENT_INFO);

  if (recipients == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (recipients); i++)
    {
      g_autoptr(PhotosealRecipientInfo) info = NULL;

      info = recipient_from_object (as_object (json_array_get_element (recipients, i)));
      if (info == NULL)
        return FALSE;
      g_list_store_append (store, info);
    }
  *out = G_LIST_MODEL (g_steal_pointer (&store));
  return TRUE;
}

static PhotosealKeyInfo *
key_info_from_object (JsonObject *key)
{
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) revoked = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autoptr(GListModel) states = NULL;
  JsonNode *states_node = key ? json_object_get_member (key, "recipient_states") : NULL;
  const char *key_id = NULL;
  const char *status = NULL;
  gboolean access_code;
  gint64 releases;

  /* A change's answer says what it did for each recipient. */
  if (states_node != NULL && !recipients_from_array (as_array (states_node), &states))
    return NULL;
  if (key == NULL || !get_string (key, "key_id", TRUE, &key_id)
      || !get_string (key, "status", TRUE, &status)
      || !get_time (key, "created", FALSE, &created)
      || !get_time (key, "expires", FALSE, &expires)
      || !get_time (key, "revoked", FALSE, &revoked)
      || !get_strv (key, "recipients", &recipients)
      || !get_boolean (key, "access_code", &access_code)
      || !get_count (key, "releases", &releases))
    return NULL;
  return g_object_new (PHOTOSEAL_TYPE_KEY_INFO, "key-id", key_id, "status", status,
                       "created", created, "expires", expires, "revoked", revoked,
                       "recipients", recipients, "has-access-code", access_code,
                       "releases", releases, "recipient-states", states, NULL);
}

/**
 * photoseal_key_info_from_reply:
 * @reply: one key: `{"key_id","status","created","expires","revoked",
 *   "recipients","access_code":bool,"releases"}`
 */
PhotosealKeyInfo *
photoseal_key_info_from_reply (JsonNode  *reply,
                               GError   **error)
{
  PhotosealKeyInfo *info = key_info_from_object (as_object (reply));

  if (info == NULL)
    protocol_error (error);
  return info;
}

/**
 * photoseal_key_list_from_reply:
 * @reply: `{"keys":[key…]}`
 *
 * Returns: (transfer full): a list of #PhotosealKeyInfo
 */
GListModel *
photoseal_key_list_from_reply (JsonNode  *reply,
                               GError   **error)
{
  JsonObject *root = as_object (reply);
  JsonArray *keys = root ? as_array (json_object_get_member (root, "keys")) : NULL;
  g_autoptr(GListStore) store = g_list_store_new (PHOTOSEAL_TYPE_KEY_INFO);

  if (keys == NULL)
    return protocol_error (error), NULL;
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      g_autoptr(PhotosealKeyInfo) info = NULL;

      info = key_info_from_object (as_object (json_array_get_element (keys, i)));
      if (info == NULL)
        return protocol_error (error), NULL;
      g_list_store_append (store, info);
    }
  return G_LIST_MODEL (g_steal_pointer (&store));
}

static PhotosealAuditEvent *
event_from_object (JsonObject *event)
{
  g_autoptr(GDateTime) at = NULL;
  const char *action = NULL;
  const char *actor = NULL;
  const char *address = NULL;

  if (event == NULL || !get_time (event, "at", TRUE, &at)
      || !get_string (event, "action", TRUE, &action)
      || !get_string (event, "actor", FALSE, &actor)
      || !get_string (event, "address", FALSE, &address))
    return NULL;
  return g_object_new (PHOTOSEAL_TYPE_AUDIT_EVENT, "at", at, "action", action, "actor", actor,
                       "address", address, NULL);
}

/**
 * photoseal_event_list_from_reply:
 * @reply: `[{"at","action","actor","address"}…]`
 *
 * Returns: (transfer full): a list of #PhotosealAuditEvent, oldest first
 */
GListModel *
photoseal_event_list_from_reply (JsonNode  *reply,
                                 GError   **error)
{
  JsonArray *events = as_array (reply);
  g_autoptr(GListStore) store = g_list_store_new (PHOTOSEAL_TYPE_AUDIT_EVENT);

  if (events == NULL)
    return protocol_error (error), NULL;
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      g_autoptr(PhotosealAuditEvent) event = NULL;

      event = event_from_object (as_object (json_array_get_element (events, i)));
      if (event == NULL)
        return protocol_error (error), NULL;
      g_list_store_append (store, event);
    }
  return G_LIST_MODEL (g_steal_pointer (&store));
}

/**
 * photoseal_recipient_list_from_reply:
 * @reply: `{"recipients":[{"email","state","name"?,"message"?}…]}`, from a
 *   recipient lookup or a key's creation or change
 *
 * Returns: (transfer full): a list of #PhotosealRecipientInfo, in the
 *   order asked; an empty one when @reply has no "recipients" and
 *   @required is %FALSE (a key answer from an older server)
 */
GListModel *
photoseal_recipient_list_from_reply (JsonNode  *reply,
                                     gboolean   required,
                                     GError   **error)
{
  JsonObject *root = as_object (reply);
  JsonNode *node = root ? json_object_get_member (root, "recipients") : NULL;
  GListModel *recipients = NULL;

  if (root == NULL || (node == NULL && required))
    return protocol_error (error), NULL;
  if (node == NULL)
    return G_LIST_MODEL (g_list_store_new (PHOTOSEAL_TYPE_RECIPIENT_INFO));
  if (!recipients_from_array (as_array (node), &recipients))
    return protocol_error (error), NULL;
  return recipients;
}

static PhotosealDeviceInfo *
device_from_object (JsonObject *device)
{
  g_autoptr(GDateTime) expires = NULL;
  const char *id = NULL;
  const char *name = NULL;
  gboolean current;

  if (device == NULL || !get_string (device, "id", TRUE, &id)
      || !get_string (device, "name", FALSE, &name)
      || !get_time (device, "expires", FALSE, &expires)
      || !get_boolean (device, "current", &current))
    return NULL;
  return g_object_new (PHOTOSEAL_TYPE_DEVICE_INFO, "id", id, "name", name, "expires", expires,
                       "current", current, NULL);
}

/**
 * photoseal_device_list_from_reply:
 * @reply: `[{"id","name","expires","current":bool}…]`
 *
 * Returns: (transfer full): a list of #PhotosealDeviceInfo
 */
GListModel *
photoseal_device_list_from_reply (JsonNode  *reply,
                                  GError   **error)
{
  JsonArray *devices = as_array (reply);
  g_autoptr(GListStore) store = g_list_store_new (PHOTOSEAL_TYPE_DEVICE_INFO);

  if (devices == NULL)
    return protocol_error (error), NULL;
  for (guint i = 0; i < json_array_get_length (devices); i++)
    {
      g_autoptr(PhotosealDeviceInfo) device = NULL;

      device = device_from_object (as_object (json_array_get_element (devices, i)));
      if (device == NULL)
        return protocol_error (error), NULL;
      g_list_store_append (store, device);
    }
  return G_LIST_MODEL (g_steal_pointer (&store));
}
