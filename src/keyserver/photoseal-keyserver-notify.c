/* photoseal-keyserver-notify.c
 *
 * sd_notify(3) without libsystemd: one datagram per state change to the
 * socket named in $NOTIFY_SOCKET ("@" for the abstract namespace), and
 * "WATCHDOG=1" every half $WATCHDOG_USEC from the main loop, so that
 * systemd restarts a server whose main loop has stopped turning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>

#include "photoseal-keyserver-notify.h"

/* Does nothing outside systemd, or when systemd is not listening. */
void
photoseal_keyserver_notify (const char *state)
{
  const char *path = g_getenv ("NOTIFY_SOCKET");
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  if (path == NULL || (path[0] != '/' && path[0] != '@') || strlen (path) < 2)
    return;
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_DEFAULT,
                         NULL);
  if (path[0] == '@')
    address = g_unix_socket_address_new_with_type (path + 1, -1, G_UNIX_SOCKET_ADDRESS_ABSTRACT);
  else
    address = g_unix_socket_address_new (path);
  if (socket != NULL)
    g_socket_send_to (socket, address, state, strlen (state), NULL, NULL);
}

static gboolean
feed_watchdog (gpointer data)
{
  photoseal_keyserver_notify ("WATCHDOG=1");
  return G_SOURCE_CONTINUE;
}

/* $WATCHDOG_PID, when set, names the process meant. */
void
photoseal_keyserver_start_watchdog (void)
{
  const char *usec_text = g_getenv ("WATCHDOG_USEC");
  const char *pid_text = g_getenv ("WATCHDOG_PID");
  guint64 usec = 0;
  guint64 pid = 0;

  if (usec_text == NULL || !g_ascii_string_to_unsigned (usec_text, 10, 1, G_MAXUINT64, &usec, NULL))
    return;
  if (pid_text != NULL
      && (!g_ascii_string_to_unsigned (pid_text, 10, 1, G_MAXUINT64, &pid, NULL)
          || pid != (guint64) getpid ()))
    return;
  g_timeout_add (MAX (1, usec / 2000), feed_watchdog, NULL);
}
