/* photoseal-user.c: the person using the app, and their key-server session
 *
 * The session (token and device key) lives in the desktop keyring through
 * libphotoseal's PhotosealKeyring; the chosen server is a GSettings key. The
 * password is only ever held for the length of one sign-in request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-user"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "photoseal-user.h"

struct _PhotosealUser
{
  GObject parent_instance;

  GSettings *settings;
  PhotosealKeyserverClient *client;
  char *email;
  char *name;
  gboolean ready;
};

G_DEFINE_FINAL_TYPE (PhotosealUser, photoseal_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_READY,
  PROP_SIGNED_IN,
  PROP_ORIGIN,
  PROP_EMAIL,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
photoseal_user_set_session (PhotosealUser            *self,
                            PhotosealKeyserverClient *client,
                            const char               *email)
{
  g_set_object (&self->client, client);
  g_free (self->email);
  self->email = g_strdup (email);
  g_clear_pointer (&self->name, g_free);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIGIN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

static void
me_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(PhotosealUser) self = user_data;
  g_autoptr(PhotosealAccountInfo) account = NULL;

  g_assert (PHOTOSEAL_IS_USER (self));

  account = photoseal_keyserver_client_get_account_finish (PHOTOSEAL_KEYSERVER_CLIENT (object),
                                                           result, NULL);
  /* The name is only a nicety for the manifest's sender: without it the
   * email is used, so a failure here is not worth a message. */
  if (account == NULL || self->client != PHOTOSEAL_KEYSERVER_CLIENT (object)
      || photoseal_account_info_get_name (account) == NULL)
    return;
  g_free (self->name);
  self->name = g_strdup (photoseal_account_info_get_name (account));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

static void
photoseal_user_fetch_name (PhotosealUser *self)
{
  photoseal_keyserver_client_get_account_async (self->client, NULL, me_cb, g_object_ref (self));
}

static void
photoseal_user_finalize (GObject *object)
{
  PhotosealUser *self = (PhotosealUser *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (photoseal_user_parent_class)->finalize (object);
}

static void
photoseal_user_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PhotosealUser *self = PHOTOSEAL_USER (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, photoseal_user_get_signed_in (self));
      break;
    case PROP_ORIGIN:
      g_value_set_string (value, photoseal_user_get_origin (self));
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_NAME:
      g_value_set_string (value, photoseal_user_get_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_user_class_init (PhotosealUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = photoseal_user_finalize;
  object_class->get_property = photoseal_user_get_property;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORIGIN] =
    g_param_spec_string ("origin", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
photoseal_user_init (PhotosealUser *self)
{
}

PhotosealUser *
photoseal_user_new (GSettings *settings)
{
  PhotosealUser *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (PHOTOSEAL_TYPE_USER, NULL);
  self->settings = g_object_ref (settings);
  return self;
}

/* Whether the session saved in the keyring (if any) has been restored. */
gboolean
photoseal_user_get_ready (PhotosealUser *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_USER (self), FALSE);

  return self->ready;
}

static void
photoseal_user_set_ready (PhotosealUser *self)
{
  if (self->ready)
    return;
  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

gboolean
photoseal_user_get_signed_in (PhotosealUser *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_USER (self), FALSE);

  return self->client != NULL;
}

/**
 * photoseal_user_get_origin:
 *
 * The key server signed in to, or the one last chosen when signed out.
 */
const char *
photoseal_user_get_origin (PhotosealUser *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_USER (self), NULL);

  if (self->client != NULL)
    return photoseal_keyserver_client_get_origin (self->client);
  return NULL;
}

const char *
photoseal_user_get_email (PhotosealUser *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_USER (self), NULL);

  return self->email;
}

/* The account's name when the server told it, else the email. */
const char *
photoseal_user_get_name (PhotosealUser *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_USER (self), NULL);

  return self->name ? self->name : self->email;
}

PhotosealKeyserverClient *
photoseal_user_get_client (PhotosealUser *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_USER (self), NULL);

  return self->client;
}

typedef struct
{
  PhotosealKeyserverClient *client;
  char *email;
} LoadedSession;

static void
loaded_session_free (LoadedSession *loaded)
{
  g_clear_object (&loaded->client);
  g_free (loaded->email);
  g_free (loaded);
}

/* Runs in a worker: the Secret Service answers over D-Bus, and unlocking a
 * keyring may wait on a prompt. */
static void
load_session_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  const char *origin = task_data;
  g_autoptr(GError) error = NULL;
  LoadedSession *loaded = g_new0 (LoadedSession, 1);

  loaded->client = photoseal_keyring_load (origin, &loaded->email, cancellable, &error);
  if (error != NULL)
    {
      loaded_session_free (loaded);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_session_free);
}

static void
load_session_async (PhotosealUser       *self,
                    const char          *origin,
                    gpointer             source_tag,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_strdup (origin), g_free);
  g_task_run_in_thread (task, load_session_thread);
}

/**
 * photoseal_user_restore_async:
 *
 * Signs back in with the session the keyring holds for the chosen server.
 * Finishes with %FALSE and no error when there is none. Without a chosen
 * server there is nothing to ask the keyring, and the user is ready before
 * this returns: a window made next shows the sign-in page in its first
 * frame, not the loading page cross-fading into it.
 */
void
photoseal_user_restore_async (PhotosealUser       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *origin = NULL;

  g_return_if_fail (PHOTOSEAL_IS_USER (self));

  origin = g_settings_get_string (self->settings, "server");
  if (*origin == '\0')
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, photoseal_user_restore_async);
      photoseal_user_set_ready (self);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  load_session_async (self, origin, photoseal_user_restore_async, cancellable, callback,
                      user_data);
}

gboolean
photoseal_user_restore_finish (PhotosealUser  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  LoadedSession *loaded;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL || loaded->client == NULL)
    {
      g_clear_pointer (&loaded, loaded_session_free);
      photoseal_user_set_ready (self);
      return FALSE;
    }
  photoseal_user_set_session (self, loaded->client, loaded->email);
  photoseal_user_fetch_name (self);
  loaded_session_free (loaded);
  photoseal_user_set_ready (self);
  return TRUE;
}

typedef struct
{
  PhotosealKeyserverClient *client;
  char *email;
  char *password;
  char *register_name;
  char *code;
  gboolean make_current;
  gboolean replace;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->client);
  g_free (sign_in->email);
  if (sign_in->password != NULL)
    sodium_memzero (sign_in->password, strlen (sign_in->password));
  g_free (sign_in->password);
  g_free (sign_in->register_name);
  if (sign_in->code != NULL)
    sodium_memzero (sign_in->code, strlen (sign_in->code));
  g_free (sign_in->code);
  g_free (sign_in);
}

static void
save_session_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SignIn *sign_in = task_data;
  GError *error = NULL;

  /* A new session replaces the one kept for this server. Debian 12's
   * gnome-keyring daemon died replacing it in place after a password
   * change (tests/app/test-app-identity.c, cause not pinned down);
   * removing the old item first avoids it. */
  if (sign_in->replace)
    photoseal_keyring_forget (photoseal_keyserver_client_get_origin (sign_in->client),
                              cancellable, NULL);
  if (photoseal_keyring_save (sign_in->client, sign_in->email, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  GError *error = NULL;

  if (!photoseal_keyserver_client_sign_in_finish (sign_in->client, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, save_session_thread);
}

static void
registered_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(PhotosealAccountInfo) account = NULL;
  GError *error = NULL;

  account = photoseal_keyserver_client_sign_up_finish (sign_in->client, result, &error);
  if (account == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  photoseal_keyserver_client_sign_in_async (sign_in->client, sign_in->email, sign_in->password,
                                            g_get_host_name (), cancellable,
                                            signed_in_cb, g_object_ref (task));
}

/* The task of a sign-in, a sign-up or a password change: each ends with
 * a new session saved in the keyring, finished by
 * photoseal_user_sign_in_finish(). */
static GTask *
sign_in_task_new (PhotosealUser       *self,
                  gpointer             source_tag,
                  const char          *origin,
                  const char          *email,
                  const char          *password,
                  gboolean             make_current,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  SignIn *sign_in = g_new0 (SignIn, 1);

  g_task_set_source_tag (task, source_tag);
  sign_in->email = g_strstrip (g_strdup (email));
  sign_in->password = g_strdup (password);
  sign_in->make_current = make_current || self->client == NULL;
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  if (!(sign_in->client = photoseal_keyserver_client_new (origin, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_clear_object (&task);
    }
  return task;
}

/**
 * photoseal_user_sign_in_async:
 * @make_current: whether @origin becomes the server this app seals with;
 *   %FALSE when signing in only to open a file from another server. When
 *   no one is signed in here yet, the account is the app's all the same:
 *   a recipient who installs Photoseal to open a file, and signs in or up
 *   from it, is then signed in to the app too.
 *
 * Signs in to @origin, enrols this device and keeps the session in the
 * keyring.
 */
void
photoseal_user_sign_in_async (PhotosealUser       *self,
                              const char          *origin,
                              const char          *email,
                              const char          *password,
                              gboolean             make_current,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  SignIn *sign_in;

  g_return_if_fail (PHOTOSEAL_IS_USER (self));

  task = sign_in_task_new (self, photoseal_user_sign_in_async, origin, email, password,
                           make_current, cancellable, callback, user_data);
  if (task == NULL)
    return;
  sign_in = g_task_get_task_data (task);
  photoseal_keyserver_client_sign_in_async (sign_in->client, sign_in->email, password,
                                            g_get_host_name (), cancellable, signed_in_cb, task);
}

/**
 * photoseal_user_sign_up_async:
 * @code: (nullable): the code mailed to @email, for a sign-up or in an
 *   invitation; %NULL on a server whose registration is open
 * @name: the name recipients will see
 *
 * Creates the account, then signs in as photoseal_user_sign_in_async()
 * does. Finish with photoseal_user_sign_in_finish().
 */
void
photoseal_user_sign_up_async (PhotosealUser       *self,
                              const char          *origin,
                              const char          *email,
                              const char          *code,
                              const char          *password,
                              const char          *name,
                              gboolean             make_current,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  SignIn *sign_in;

  g_return_if_fail (PHOTOSEAL_IS_USER (self));
  g_return_if_fail (name != NULL);

  task = sign_in_task_new (self, photoseal_user_sign_up_async, origin, email, password,
                           make_current, cancellable, callback, user_data);
  if (task == NULL)
    return;
  sign_in = g_task_get_task_data (task);
  sign_in->register_name = g_strstrip (g_strdup (name));
  sign_in->code = code && *code ? g_strstrip (g_strdup (code)) : NULL;
  photoseal_keyserver_client_sign_up_async (sign_in->client, sign_in->email, sign_in->code,
                                            password, sign_in->register_name, cancellable,
                                            registered_cb, task);
}

static void
password_reset_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  GError *error = NULL;

  if (!photoseal_keyserver_client_reset_password_finish (sign_in->client, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The reset ended every session, this one too: sign in with the new
   * password so the person stays signed in. */
  photoseal_keyserver_client_sign_in_async (sign_in->client, sign_in->email, sign_in->password,
                                            g_get_host_name (), g_task_get_cancellable (task),
                                            signed_in_cb, g_object_ref (task));
}

/**
 * photoseal_user_change_password_async:
 * @code: the code photoseal_user_request_code_async() had mailed for a
 *   password change
 *
 * Sets a new password for the signed-in account. The server ends every
 * session of the account; this device signs in again with @password and
 * keeps the new session. Finish with photoseal_user_sign_in_finish().
 */
void
photoseal_user_change_password_async (PhotosealUser       *self,
                                      const char          *code,
                                      const char          *password,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  SignIn *sign_in;

  g_return_if_fail (PHOTOSEAL_IS_USER (self));
  g_return_if_fail (self->client != NULL);

  task = sign_in_task_new (self, photoseal_user_change_password_async,
                           photoseal_keyserver_client_get_origin (self->client), self->email,
                           password, TRUE, cancellable, callback, user_data);
  if (task == NULL)
    return;
  sign_in = g_task_get_task_data (task);
  sign_in->code = g_strstrip (g_strdup (code));
  sign_in->replace = TRUE;
  photoseal_keyserver_client_reset_password_async (sign_in->client, sign_in->email,
                                                   sign_in->code, password, cancellable,
                                                   password_reset_cb, task);
}

gboolean
photoseal_user_sign_in_finish (PhotosealUser  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  SignIn *sign_in;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  sign_in = g_task_get_task_data (G_TASK (result));
  if (!sign_in->make_current)
    return TRUE;
  g_settings_set_string (self->settings, "server",
                         photoseal_keyserver_client_get_origin (sign_in->client));
  photoseal_user_set_session (self, sign_in->client, sign_in->email);
  photoseal_user_set_ready (self);
  if (sign_in->register_name != NULL)
    self->name = g_strdup (sign_in->register_name);
  else
    photoseal_user_fetch_name (self);
  return TRUE;
}

static void
code_requested_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhotosealKeyserverClient *client = PHOTOSEAL_KEYSERVER_CLIENT (object);
  GError *error = NULL;
  gboolean done;

  if (g_task_get_source_tag (task) == photoseal_user_request_code_async)
    done = photoseal_keyserver_client_request_code_finish (client, result, &error);
  else
    done = photoseal_keyserver_client_request_password_reset_finish (client, result, &error);
  if (done)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * photoseal_user_request_code_async:
 * @purpose: %PHOTOSEAL_USER_CODE_SIGN_UP to prove @email before creating
 *   an account on @origin; %PHOTOSEAL_USER_CODE_PASSWORD for a password
 *   change of the signed-in account (@origin and @email are then ignored)
 *
 * Asks the key server to mail a code. The server answers alike whether or
 * not it mails one, so success only means the request was well-formed.
 */
void
photoseal_user_request_code_async (PhotosealUser        *self,
                                   PhotosealUserCode     purpose,
                                   const char           *origin,
                                   const char           *email,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PHOTOSEAL_IS_USER (self));
  g_return_if_fail (purpose == PHOTOSEAL_USER_CODE_SIGN_UP || self->client != NULL);

  g_task_set_source_tag (task, purpose == PHOTOSEAL_USER_CODE_SIGN_UP
                               ? (gpointer) photoseal_user_request_code_async
                               : (gpointer) photoseal_user_request_code_finish);
  if (purpose == PHOTOSEAL_USER_CODE_PASSWORD)
    {
      photoseal_keyserver_client_request_password_reset_async (self->client, self->email,
                                                               cancellable, code_requested_cb,
                                                               g_steal_pointer (&task));
      return;
    }
  if (!(client = photoseal_keyserver_client_new (origin, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  photoseal_keyserver_client_request_code_async (client, email, cancellable, code_requested_cb,
                                                 g_steal_pointer (&task));
}

gboolean
photoseal_user_request_code_finish (PhotosealUser  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
forget_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (!photoseal_keyring_forget (task_data, cancellable, &error))
    g_warning ("Could not remove the session from the keyring: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
logged_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  /* Best effort: the session is gone from this device either way. */
  photoseal_keyserver_client_sign_out_finish (PHOTOSEAL_KEYSERVER_CLIENT (object), result, NULL);
}

/**
 * photoseal_user_sign_out:
 *
 * Ends the session on the server (best effort) and removes it from the
 * keyring. The chosen server stays, ready for the next sign-in.
 */
void
photoseal_user_sign_out (PhotosealUser *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PHOTOSEAL_IS_USER (self));

  if (self->client == NULL)
    return;

  photoseal_keyserver_client_sign_out_async (self->client, NULL, logged_out_cb, NULL);
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_source_tag (task, photoseal_user_sign_out);
  g_task_set_task_data (task, g_strdup (photoseal_keyserver_client_get_origin (self->client)),
                        g_free);
  g_task_run_in_thread (task, forget_thread);
  photoseal_user_set_session (self, NULL, NULL);
}

/**
 * photoseal_user_client_for_async:
 *
 * A signed-in client for @origin: the current session when it is that
 * server, else one the keyring holds for it. Finishes with %NULL and no
 * error when this device has no session there; nothing is sent to @origin
 * either way.
 */
void
photoseal_user_client_for_async (PhotosealUser       *self,
                                 const char          *origin,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_USER (self));
  g_return_if_fail (origin != NULL);

  if (self->client != NULL
      && g_strcmp0 (photoseal_keyserver_client_get_origin (self->client), origin) == 0)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
      LoadedSession *loaded = g_new0 (LoadedSession, 1);

      loaded->client = g_object_ref (self->client);
      loaded->email = g_strdup (self->email);
      g_task_set_source_tag (task, photoseal_user_client_for_async);
      g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_session_free);
      return;
    }
  load_session_async (self, origin, photoseal_user_client_for_async, cancellable, callback,
                      user_data);
}

PhotosealKeyserverClient *
photoseal_user_client_for_finish (PhotosealUser  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  LoadedSession *loaded;
  PhotosealKeyserverClient *client;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(loaded = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;
  client = g_steal_pointer (&loaded->client);
  loaded_session_free (loaded);
  return client;
}

/**
 * photoseal_user_describe_error:
 *
 * Words a person can act on, for the errors signing in, signing up,
 * asking for a code or changing the password can meet.
 *
 * Returns: (transfer full): the message
 */
char *
photoseal_user_describe_error (const GError *error)
{
  if (error->domain != PHOTOSEAL_KEYSERVER_ERROR)
    return g_strdup (error->message);

  switch ((PhotosealKeyserverError) error->code)
    {
    case PHOTOSEAL_KEYSERVER_ERROR_BAD_CREDENTIALS:
      return g_strdup (_("The email or password is not right."));
    case PHOTOSEAL_KEYSERVER_ERROR_THROTTLED:
      return g_strdup (_("Too many attempts. Wait a few minutes, then try again."));
    case PHOTOSEAL_KEYSERVER_ERROR_ACCOUNT_DISABLED:
      return g_strdup (_("This account is disabled. Ask the key server’s administrator."));
    case PHOTOSEAL_KEYSERVER_ERROR_REGISTRATION_CLOSED:
      return g_strdup (_("This key server does not take new accounts. Ask its administrator "
                         "for one."));
    case PHOTOSEAL_KEYSERVER_ERROR_EMAIL_TAKEN:
      return g_strdup (_("There is already an account with this email. Sign in instead."));
    case PHOTOSEAL_KEYSERVER_ERROR_BAD_CODE:
      return g_strdup (_("The code is not right, or it has expired. Check the mail, or send a "
                         "new code."));
    case PHOTOSEAL_KEYSERVER_ERROR_LOCKED:
      return g_strdup (_("Too many wrong codes. Send a new code."));
    case PHOTOSEAL_KEYSERVER_ERROR_DOMAIN_NOT_ALLOWED:
      return g_strdup (_("This key server takes accounts only for its organisation’s own "
                         "addresses."));
    case PHOTOSEAL_KEYSERVER_ERROR_UNREACHABLE:
      return g_strdup_printf (_("The key server could not be reached. Check the address and "
                                "your connection. (%s)"), error->message);
    default:
      return g_strdup (error->message);
    }
}
