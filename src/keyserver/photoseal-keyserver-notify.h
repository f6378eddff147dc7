/* photoseal-keyserver-notify.h: the systemd notification protocol, by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void photoseal_keyserver_notify         (const char *state);
void photoseal_keyserver_start_watchdog (void);

G_END_DECLS
