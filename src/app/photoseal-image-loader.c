/* photoseal-image-loader.c: photos decoded off the main loop
 *
 * Decoding a 20-megapixel JPEG takes longer than a frame, so it happens in
 * a worker: gdk-pixbuf scales while it decodes (for thumbnails), the EXIF
 * orientation is applied, and oversized images are refused as soon as
 * their header is read, before any pixel memory is allocated. The workers
 * are a pool of their own, one per core and at a lower scheduling
 * priority: dropping twenty photos at once on GTask's default pool started
 * ten decoders at the main thread's priority, which starved the main loop
 * (it stalled for 150 ms on two cores).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-image-loader"

#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "photoseal-image-loader.h"

typedef struct
{
  GFile *file;
  GInputStream *stream;
  int max_size;
  gboolean too_large;
} ImageLoad;

static void
image_load_free (ImageLoad *load)
{
  g_clear_object (&load->file);
  g_clear_object (&load->stream);
  g_free (load);
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  ImageLoad *load = user_data;
  double scale;

  /* Known from the header alone. A size of 0×0 makes the loader stop
   * before it allocates the image, as gdk_pixbuf_get_file_info() does:
   * shrinking it instead did not help, as the PNG loader allocates the
   * full size whatever it is asked (a 60000×60000 PNG of 3.5 MB took
   * 7.6 GB). */
  if ((gint64) width * height > PHOTOSEAL_IMAGE_MAX_PIXELS)
    {
      load->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }
  if (load->max_size <= 0 || (width <= load->max_size && height <= load->max_size))
    return;
  scale = (double) load->max_size / MAX (width, height);
  gdk_pixbuf_loader_set_size (loader, MAX (1, width * scale), MAX (1, height * scale));
}

static gboolean
too_large_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       _("This image is too large to display"));
  return FALSE;
}

static gboolean
feed_loader (GdkPixbufLoader *loader,
             ImageLoad       *load,
             GCancellable    *cancellable,
             GError         **error)
{
  g_autoptr(GInputStream) in = NULL;
  g_autofree guint8 *buffer = NULL;
  gssize n;

  if (load->stream != NULL)
    in = g_object_ref (load->stream);
  else if (!(in = G_INPUT_STREAM (g_file_read (load->file, cancellable, error))))
    return FALSE;
  buffer = g_malloc (64 * 1024);
  while ((n = g_input_stream_read (in, buffer, 64 * 1024, cancellable, error)) > 0)
    {
      g_autoptr(GError) write_error = NULL;
      gboolean written = gdk_pixbuf_loader_write (loader, buffer, n, &write_error);

      /* The loader refuses the 0×0 size it was given: that is ours. */
      if (load->too_large)
        return too_large_error (error);
      if (!written)
        {
          g_propagate_error (error, g_steal_pointer (&write_error));
          return FALSE;
        }
    }
  return n == 0;
}

static void
image_load_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ImageLoad *load = task_data;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), load);
  if (!feed_loader (loader, load, cancellable, &error))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!gdk_pixbuf_loader_close (loader, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!(pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("This file is not an image Photoseal can show"));
      return;
    }
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (oriented), g_object_unref);
}

static void
decode_in_pool (gpointer data,
                gpointer user_data)
{
  static GPrivate lowered;
  g_autoptr(GTask) task = data;

  /* On Linux, nice applies to the calling thread alone. */
  if (!g_private_get (&lowered))
    {
      if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) != 0)
        g_debug ("Decoders keep the main thread's priority: %s", g_strerror (errno));
      g_private_set (&lowered, GINT_TO_POINTER (TRUE));
    }

  image_load_thread (task, NULL, g_task_get_task_data (task), g_task_get_cancellable (task));
}

static GThreadPool *
decoder_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (decode_in_pool, NULL,
                                                 g_get_num_processors (),
                                                 FALSE, NULL));
  return pool;
}

/**
 * photoseal_image_load_async:
 * @file: (nullable): the image file, or %NULL with @stream
 * @stream: (nullable): the image's bytes, read from a worker from now on
 * @max_size: the largest width or height wanted, or 0 for full size
 */
void
photoseal_image_load_async (GFile               *file,
                            GInputStream        *stream,
                            int                  max_size,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImageLoad *load;

  g_return_if_fail (file != NULL || stream != NULL);

  load = g_new0 (ImageLoad, 1);
  load->file = file ? g_object_ref (file) : NULL;
  load->stream = stream ? g_object_ref (stream) : NULL;
  load->max_size = max_size;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, photoseal_image_load_async);
  g_task_set_task_data (task, load, (GDestroyNotify) image_load_free);
  g_thread_pool_push (decoder_pool (), g_steal_pointer (&task), NULL);
}

GdkTexture *
photoseal_image_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
