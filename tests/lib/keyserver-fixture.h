/* keyserver-fixture.h: a real photoseal-keyserver process for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  char *data_dir;
  char *log_path;
  char *base_url;
  GSubprocess *process;
  SoupSession *session;
  /* Kept to start the server again the same way. */
  char *registration;
  GStrv extra_args;
  /* The server's --database (a postgresql:// URI), or NULL for SQLite in
   * the data dir; the fixture that made the database drops it. */
  char *database;
  char *database_name;
  /* RLIMIT_NOFILE for the server process, or 0 to inherit the test's. */
  int nofile_limit;
} KeyserverFixture;

typedef struct
{
  guint status;
  JsonNode *json;
  char *text;
  char *content_type;
  char *retry_after;
} Reply;

void   keyserver_fixture_start      (KeyserverFixture   *fixture,
                                     const char         *registration);
void   keyserver_fixture_start_full (KeyserverFixture   *fixture,
                                     const char         *registration,
                                     const char * const *extra_args);
void   keyserver_fixture_start_node (KeyserverFixture   *node,
                                     KeyserverFixture   *first);
void   keyserver_fixture_restart    (KeyserverFixture   *fixture);
void   keyserver_fixture_stop       (KeyserverFixture   *fixture);
char  *keyserver_fixture_read_log   (KeyserverFixture   *fixture);
int    keyserver_fixture_admin      (KeyserverFixture   *fixture,
                                     const char         *password,
                                     ...) G_GNUC_NULL_TERMINATED;

void   keyserver_fixture_sql        (KeyserverFixture   *fixture,
                                     const char         *sqlite_sql,
                                     const char         *postgresql_sql);
gboolean keyserver_fixture_uses_postgresql (void);

char  *keyserver_test_database_new  (char              **name);
void   keyserver_test_database_exec (const char         *name,
                                     const char         *sql);
void   keyserver_test_database_drop (const char         *name);

void   keyserver_remove_tree        (const char         *path);
void   keyserver_make_certificates (const char         *dir);

Reply *keyserver_request            (KeyserverFixture   *fixture,
                                     const char         *method,
                                     const char         *path,
                                     const char         *token,
                                     const char         *body);
Reply *keyserver_session_request    (SoupSession        *session,
                                     const char         *base_url,
                                     const char         *method,
                                     const char         *path,
                                     const char         *token,
                                     const char         *body,
                                     GError            **error);
Reply *keyserver_request_signed_by  (KeyserverFixture   *fixture,
                                     const char         *method,
                                     const char         *path,
                                     const char         *token,
                                     const char         *body,
                                     const guint8       *device_secret,
                                     gint64              timestamp_shift);
void   reply_free                   (Reply              *reply);
void   keyserver_remember_device_key (const char        *token,
                                      const guint8      *device_secret);
void   keyserver_sign_request       (SoupMessage        *msg,
                                     const char         *target,
                                     GBytes             *body,
                                     const guint8       *device_secret,
                                     gint64              timestamp_shift);
const char *reply_error_code        (Reply              *reply);
const char *reply_string            (Reply              *reply,
                                     const char         *member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* GTestFixtureFunc set-up and tear-down, for g_test_add (). */
void   keyserver_fixture_set_up_open   (KeyserverFixture *fixture,
                                        gconstpointer     data);
void   keyserver_fixture_set_up_closed (KeyserverFixture *fixture,
                                        gconstpointer     data);
void   keyserver_fixture_tear_down     (KeyserverFixture *fixture,
                                        gconstpointer     data);

typedef void (*KeyserverTestFunc) (KeyserverFixture *fixture,
                                   gconstpointer     data);

void   keyserver_test_add              (const char        *path,
                                        KeyserverTestFunc  test);

G_END_DECLS
