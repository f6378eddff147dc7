/* fuzz-server-thread.h: a server for a harness, on a thread of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

/* Sets up a server on the thread-default @context and returns its URL. */
typedef char *(*FuzzServeFunc) (GMainContext *context);

char *fuzz_server_thread_start (FuzzServeFunc serve);
