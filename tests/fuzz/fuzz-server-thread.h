/* fuzz-server-thread.h: a server for a harness, on a thread of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

/* Sets up a server on the global default main context, returns its URL. */
typedef char *(*FuzzServeFunc) (void);

char *fuzz_server_thread_start (FuzzServeFunc serve);
