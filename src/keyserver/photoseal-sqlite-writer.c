/* photoseal-sqlite-writer.c
 *
 * Writes are group-committed: whatever writes arrive while a commit is
 * under way wait together and go in the next transaction, each in a
 * savepoint of its own, so one fsync makes a whole batch durable, and
 * each caller returns only once its batch is on disk.
 *
 * Checkpoints, which copy the WAL back into the database and fsync it,
 * run on a connection and a thread of their own instead of inside
 * whichever commit crossed the threshold, so that no batch waits for one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-sqlite-store"

#include "config.h"

#include "photoseal-sqlite-writer.h"

/* SQLite's own threshold for its automatic checkpoints. */
#define CHECKPOINT_PAGES 1000

struct _PhotosealSqliteWriter
{
  /* Held by whoever uses @db: a batch's leader, a backup. */
  GMutex mutex;
  PhotosealSqliteConnection *db;

  /* Writes wait in @pending while a batch commits (@committing); the
   * next thread to find none committing leads the next batch with all
   * of them. */
  GMutex batch_mutex;
  GCond batch_cond;
  GPtrArray *pending;
  gboolean committing;

  /* The WAL hook sets @checkpoint_wanted for @checkpoint_thread. */
  PhotosealSqliteConnection *checkpointer;
  GThread *checkpoint_thread;
  GMutex checkpoint_mutex;
  GCond checkpoint_cond;
  gboolean checkpoint_wanted;
  gboolean truncate_wanted;
  gboolean stopping;
};

/* A write waiting for its batch: @done once the batch committed or
 * failed, with @ok and @error its own outcome. */
typedef struct
{
  PhotosealSqliteWriteFunc func;
  gpointer data;
  gboolean done;
  gboolean ok;
  GError *error;
} Write;

#define run photoseal_sqlite_connection_run

/* A write that fails is undone alone, and the batch goes on: a replayed
 * nonce refuses that release, not its neighbours. Returns FALSE when the
 * transaction itself is lost. */
static gboolean
run_in_savepoint (PhotosealSqliteConnection *db,
                  Write                     *write,
                  GError                   **error)
{
  if (!run (db, "SAVEPOINT write", error))
    return FALSE;
  write->ok = write->func (db, write->data, &write->error);
  if (write->ok)
    return run (db, "RELEASE write", error);
  return run (db, "ROLLBACK TO write", error) && run (db, "RELEASE write", error);
}

/* One transaction and one fsync for the whole batch, in arrival order. */
static void
run_batch (PhotosealSqliteWriter *self,
           GPtrArray             *batch)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  PhotosealSqliteConnection *db = self->db;
  g_autoptr(GError) error = NULL;
  gboolean ok = run (db, "BEGIN IMMEDIATE", &error);

  for (guint i = 0; ok && i < batch->len; i++)
    ok = run_in_savepoint (db, g_ptr_array_index (batch, i), &error);
  if (ok && run (db, "COMMIT", &error))
    return;

  if (!sqlite3_get_autocommit (db->db))
    run (db, "ROLLBACK", NULL);
  /* Nothing of this batch reached the disk: every write in it failed. */
  for (guint i = 0; i < batch->len; i++)
    {
      Write *write = g_ptr_array_index (batch, i);

      write->ok = FALSE;
      if (write->error == NULL)
        write->error = g_error_copy (error);
    }
}

/* With the batch mutex held: takes every pending write, commits them
 * without the mutex, and wakes their threads. */
static void
lead_batch (PhotosealSqliteWriter *self)
{
  g_autoptr(GPtrArray) batch = g_steal_pointer (&self->pending);

  self->pending = g_ptr_array_new ();
  self->committing = TRUE;
  g_mutex_unlock (&self->batch_mutex);

  run_batch (self, batch);

  g_mutex_lock (&self->batch_mutex);
  for (guint i = 0; i < batch->len; i++)
    ((Write *) g_ptr_array_index (batch, i))->done = TRUE;
  self->committing = FALSE;
  g_cond_broadcast (&self->batch_cond);
}

/**
 * photoseal_sqlite_writer_run:
 *
 * Runs @func in the next batch; returns once that batch is committed
 * (with synchronous=FULL: on disk), or failed.
 */
gboolean
photoseal_sqlite_writer_run (PhotosealSqliteWriter    *self,
                             PhotosealSqliteWriteFunc  func,
                             gpointer                  data,
                             GError                  **error)
{
  Write write = { func, data, FALSE, FALSE, NULL };

  g_mutex_lock (&self->batch_mutex);
  g_ptr_array_add (self->pending, &write);
  while (!write.done)
    {
      if (self->committing)
        g_cond_wait (&self->batch_cond, &self->batch_mutex);
      else
        lead_batch (self);
    }
  g_mutex_unlock (&self->batch_mutex);

  if (write.ok)
    return TRUE;
  g_propagate_error (error, write.error);
  return FALSE;
}

/* The connection itself, outside any batch, until unlocked. */
PhotosealSqliteConnection *
photoseal_sqlite_writer_lock (PhotosealSqliteWriter *self)
{
  g_mutex_lock (&self->mutex);
  return self->db;
}

void
photoseal_sqlite_writer_unlock (PhotosealSqliteWriter *self)
{
  g_mutex_unlock (&self->mutex);
}

static gpointer
checkpoint_loop (gpointer data)
{
  PhotosealSqliteWriter *self = data;
  gboolean truncate;
  int rc;

  g_mutex_lock (&self->checkpoint_mutex);
  while (!self->stopping)
    {
      if (!self->checkpoint_wanted)
        {
          g_cond_wait (&self->checkpoint_cond, &self->checkpoint_mutex);
          continue;
        }
      truncate = self->truncate_wanted;
      self->checkpoint_wanted = self->truncate_wanted = FALSE;
      g_mutex_unlock (&self->checkpoint_mutex);
      /* Passive copies what no reader still needs and never waits;
       * truncating waits for readers (and holds writers) a moment. */
      rc = truncate ? sqlite3_wal_checkpoint_v2 (self->checkpointer->db, NULL,
                                                 SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL)
                    : sqlite3_wal_checkpoint_v2 (self->checkpointer->db, NULL,
                                                 SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      g_mutex_lock (&self->checkpoint_mutex);
      /* Another connection checkpointing at the same moment (the one at
       * shutdown, which truncates too) makes this one busy: it is tried
       * again on the next wake rather than given up. */
      if (truncate && (rc == SQLITE_BUSY || rc == SQLITE_LOCKED))
        self->truncate_wanted = TRUE;
      else if (truncate && rc != SQLITE_OK)
        g_warning ("The WAL could not be truncated after a revocation: %s",
                   sqlite3_errstr (rc));
    }
  g_mutex_unlock (&self->checkpoint_mutex);
  return NULL;
}

/* Called by the writer after each commit, with the WAL's length; it
 * replaces SQLite's automatic checkpoint, which would run right here. */
static int
on_wal_commit (gpointer    data,
               sqlite3    *db,
               const char *name,
               int         n_pages)
{
  PhotosealSqliteWriter *self = data;

  if (n_pages >= CHECKPOINT_PAGES)
    {
      g_mutex_lock (&self->checkpoint_mutex);
      self->checkpoint_wanted = TRUE;
      g_cond_signal (&self->checkpoint_cond);
      g_mutex_unlock (&self->checkpoint_mutex);
    }
  return SQLITE_OK;
}

/**
 * photoseal_sqlite_writer_shred_wal:
 *
 * Asks the checkpoint thread to copy the WAL into the database and
 * truncate it, so that bytes a revocation overwrote in the database (a
 * wrapped key, an access-code hash) do not live on in older WAL frames.
 */
void
photoseal_sqlite_writer_shred_wal (PhotosealSqliteWriter *self)
{
  g_mutex_lock (&self->checkpoint_mutex);
  self->checkpoint_wanted = self->truncate_wanted = TRUE;
  g_cond_signal (&self->checkpoint_cond);
  g_mutex_unlock (&self->checkpoint_mutex);
}

/**
 * photoseal_sqlite_writer_new:
 * @db: (transfer full): the writing connection, its schema up to date
 * @path: the database, for the checkpoint thread's own connection
 */
PhotosealSqliteWriter *
photoseal_sqlite_writer_new (PhotosealSqliteConnection *db,
                             const char                *path,
                             GError                   **error)
{
  PhotosealSqliteWriter *self = g_new0 (PhotosealSqliteWriter, 1);

  self->db = db;
  g_mutex_init (&self->mutex);
  g_mutex_init (&self->batch_mutex);
  g_cond_init (&self->batch_cond);
  self->pending = g_ptr_array_new ();
  g_mutex_init (&self->checkpoint_mutex);
  g_cond_init (&self->checkpoint_cond);

  if (!(self->checkpointer = photoseal_sqlite_connection_open (path, FALSE, error)))
    {
      photoseal_sqlite_writer_free (self);
      return NULL;
    }
  self->checkpoint_thread = g_thread_new ("sqlite-checkpoint", checkpoint_loop, self);
  sqlite3_wal_hook (db->db, on_wal_commit, self);
  return self;
}

/* Once nothing writes any more. Close the readers first: the writer
 * closes last, truncating and removing the WAL. */
void
photoseal_sqlite_writer_free (PhotosealSqliteWriter *self)
{
  if (self == NULL)
    return;
  if (self->checkpoint_thread != NULL)
    {
      g_mutex_lock (&self->checkpoint_mutex);
      self->stopping = TRUE;
      g_cond_signal (&self->checkpoint_cond);
      g_mutex_unlock (&self->checkpoint_mutex);
      g_thread_join (self->checkpoint_thread);
    }
  g_clear_pointer (&self->checkpointer, photoseal_sqlite_connection_close);
  sqlite3_wal_checkpoint_v2 (self->db->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  photoseal_sqlite_connection_close (self->db);
  g_mutex_clear (&self->mutex);
  g_mutex_clear (&self->batch_mutex);
  g_cond_clear (&self->batch_cond);
  g_ptr_array_unref (self->pending);
  g_mutex_clear (&self->checkpoint_mutex);
  g_cond_clear (&self->checkpoint_cond);
  g_free (self);
}
