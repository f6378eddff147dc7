/* smtp-fixture.h: a real SMTP server for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "keyserver-fixture.h"

G_BEGIN_DECLS

typedef struct
{
  char *work;
  char *maildir;
  GSubprocess *server;
  char *url;
} Relay;

void       relay_start    (Relay      *relay,
                           const char *first_extra,
                           ...);
void       relay_stop     (Relay      *relay);
GPtrArray *relay_messages (Relay      *relay);
char      *message_body   (const char *message);
char      *mailed_code_in (const char *body);
void       keyserver_fixture_start_verified (KeyserverFixture *server,
                                             Relay            *relay);
char      *relay_wait_code (Relay      *relay,
                            const char *to,
                            guint       nth);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Relay, relay_stop)

G_END_DECLS
