/* fuzz-server-thread.c: a server for a harness, on a thread of its own
 *
 * The harnesses that talk HTTP keep the server in process, so that
 * libFuzzer's coverage guidance reaches it. It runs on its own thread,
 * which is the only one to run the global default main context (the key
 * server's timers are there, as in the daemon), while the harness makes
 * blocking requests on contexts of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-server-thread.h"

typedef struct
{
  GMutex mutex;
  GCond cond;
  FuzzServeFunc serve;
  char *url;
} Startup;

static gpointer
run (gpointer data)
{
  Startup *startup = data;
  char *url = startup->serve ();

  g_mutex_lock (&startup->mutex);
  startup->url = url;
  g_cond_signal (&startup->cond);
  g_mutex_unlock (&startup->mutex);

  /* The server lives as long as the fuzzer. */
  while (TRUE)
    g_main_context_iteration (NULL, TRUE);
  return NULL;
}

/* Returns: (transfer full): the URL the server on the new thread listens on */
char *
fuzz_server_thread_start (FuzzServeFunc serve)
{
  Startup startup = { .serve = serve };

  g_mutex_init (&startup.mutex);
  g_cond_init (&startup.cond);
  g_mutex_lock (&startup.mutex);
  g_thread_unref (g_thread_new ("server", run, &startup));
  while (startup.url == NULL)
    g_cond_wait (&startup.cond, &startup.mutex);
  g_mutex_unlock (&startup.mutex);
  g_mutex_clear (&startup.mutex);
  g_cond_clear (&startup.cond);
  return startup.url;
}
