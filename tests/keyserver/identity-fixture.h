/* identity-fixture.h: a key server in verified registration, mailing
 * through a real SMTP server, for the identity and recipient tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "keyserver-fixture.h"
#include "keyserver-test-client.h"
#include "photoseal.h"
#include "smtp-fixture.h"

G_BEGIN_DECLS

typedef struct
{
  Relay relay;
  KeyserverFixture server;
} Identity;

void       identity_start         (Identity         *identity,
                                   const char       *first_extra,
                                   ...);
void       identity_stop          (Identity         *identity);
void       identity_start_default (Identity         *identity);
void       add_alice              (Identity         *identity);

GPtrArray *wait_for_mail          (Relay            *relay,
                                   guint             count);
char      *mailed_code            (Relay            *relay,
                                   guint             count,
                                   const char       *to);

Reply     *sign_up                (KeyserverFixture *server,
                                   const char       *email,
                                   const char       *code);
User      *sign_in                (KeyserverFixture *server,
                                   const char       *email,
                                   const char       *password,
                                   char            **device_id);
guint      status_of              (KeyserverFixture *server,
                                   const char       *method,
                                   const char       *path,
                                   const char       *token,
                                   const char       *body);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Identity, identity_stop)

G_END_DECLS
