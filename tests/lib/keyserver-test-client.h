/* keyserver-test-client.h: a key-server client for tests, one per thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sodium.h>

#include "keyserver-fixture.h"

G_BEGIN_DECLS

/* One thread's way to the server: sessions are not shared between threads. */
typedef struct
{
  SoupSession *session;
  char *base_url;
} Client;

typedef struct
{
  char *email;
  char *token;
  guint8 device_public[crypto_sign_PUBLICKEYBYTES];
  guint8 device_secret[crypto_sign_SECRETKEYBYTES];
} User;

typedef struct
{
  char *key_id;
  guint8 server_key[32];
} Key;

Client     *client_new        (const char   *base_url);
void        client_free       (Client       *client);
void        user_free         (User         *user);
void        key_free          (Key          *key);

Reply      *client_request    (Client       *client,
                               const char   *method,
                               const char   *path,
                               const char   *token,
                               const char   *body,
                               GError      **error);
Reply      *client_request_ok (Client       *client,
                               const char   *method,
                               const char   *path,
                               const char   *token,
                               const char   *body);
const char *error_code        (Reply        *reply);

char       *device_body       (const char   *email,
                               const char   *password,
                               const guint8 *device_public);
User       *make_user         (Client       *client,
                               const char   *email);
Reply      *create_key        (Client       *client,
                               User         *owner,
                               const char   *recipients_json,
                               Key          *key,
                               GError      **error);
Key        *create_key_ok     (Client       *client,
                               User         *owner,
                               const char   *recipients_json);
Reply      *release_signed    (Client       *client,
                               User         *user,
                               const char   *key_id,
                               guint8       *server_key,
                               GError      **error);
char       *release_body      (User         *user,
                               const char   *key_id,
                               guint8       *pk,
                               guint8       *sk);
void        release_open      (Reply        *reply,
                               const guint8 *pk,
                               const guint8 *sk,
                               guint8       *server_key);
Reply      *release_with_access_code (Client     *client,
                                      const char *key_id,
                                      const char *code,
                                      guint8     *server_key,
                                      GError    **error);
guint       count_events      (Client       *client,
                               User         *owner,
                               const char   *key_id,
                               const char   *action);

/* A thread creating keys until @stop is set or an answer is not a key:
 * every key in @keys was answered 201, a promise that it is on disk. */
typedef struct
{
  char *base_url;
  User *owner;
  gint *stop;
  GPtrArray *keys;      /* Key */
  gint64 last_ok;       /* when the last 201 came */
  char *failure;        /* the answer that was not a key */
  gint64 failed_at;     /* when it came, or 0 */
} KeyWriter;

gpointer    key_writer_run    (gpointer      key_writer);
void        key_writer_clear  (KeyWriter    *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (User, user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Key, key_free)

G_END_DECLS
