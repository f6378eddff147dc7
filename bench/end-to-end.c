/* end-to-end.c: seal a 5 MB photo for Bob and open it as Bob, through a key server
 *
 *   end-to-end ORIGIN        (alice@example.org and bob@example.org must exist,
 *                             with the password in PHOTOSEAL_PASSWORD)
 *
 * Prints the median of 20 runs of the whole trip, and how much of it was
 * spent waiting for the key server (create the key, release it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "photoseal.h"

#define RUNS 20
#define PHOTO_SIZE (5 * 1000 * 1000)

static GOutputStream *
memory_begin (const PhotosealManifestItem *item,
              gpointer                     user_data,
              GError                     **error)
{
  return g_memory_output_stream_new_resizable ();
}

static gboolean
memory_end (const PhotosealManifestItem *item,
            GOutputStream               *stream,
            gpointer                     user_data,
            GError                     **error)
{
  return g_output_stream_close (stream, NULL, error);
}

static int
compare (const void *a,
         const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static PhotosealKeyserverClient *
sign_in (const char *origin,
         const char *email)
{
  g_autoptr(GError) error = NULL;
  PhotosealKeyserverClient *client = photoseal_keyserver_client_new (origin, &error);

  if (client == NULL
      || !photoseal_keyserver_client_sign_in (client, email, g_getenv ("PHOTOSEAL_PASSWORD"),
                                              "bench", NULL, &error))
    g_error ("%s: %s", email, error->message);
  return client;
}

int
main (int   argc,
      char *argv[])
{
  static const PhotosealItemSink sink = { memory_begin, memory_end };
  const char *recipients[] = { "bob@example.org", NULL };
  g_autoptr(PhotosealKeyserverClient) alice = NULL;
  g_autoptr(PhotosealKeyserverClient) bob = NULL;
  g_autofree char *dir = g_dir_make_tmp ("photoseal-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "photo.jpg", NULL);
  g_autofree guint8 *photo = g_malloc (PHOTO_SIZE);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  double total[RUNS], network[RUNS];

  if (argc != 2)
    g_error ("usage: %s ORIGIN", argv[0]);
  photoseal_crypto_init ();
  randombytes_buf (photo, PHOTO_SIZE);
  g_file_set_contents (path, (const char *) photo, PHOTO_SIZE, NULL);
  alice = sign_in (argv[1], "alice@example.org");
  bob = sign_in (argv[1], "bob@example.org");

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhotosealSealer) sealer = photoseal_sealer_new ();
      g_autoptr(GOutputStream) sealed = g_memory_output_stream_new_resizable ();
      g_autoptr(PhotosealSealedKey) key = NULL;
      g_autoptr(PhotosealSealedKey) released = NULL;
      g_autoptr(PhotosealServerKeyRecipient) recipient = NULL;
      g_autoptr(PhotosealServerKeyIdentity) identity = NULL;
      g_autoptr(GPtrArray) identities = g_ptr_array_new ();
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GInputStream) in = NULL;
      g_autoptr(PhotosealOpener) opener = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 waited;

      key = photoseal_keyserver_client_create_key (alice, recipients, NULL, FALSE, NULL, &error);
      waited = g_get_monotonic_time () - start;
      recipient = photoseal_server_key_recipient_new (key->key_id, argv[1], key->server_key,
                                                      &error);
      photoseal_sealer_add_recipient (sealer, PHOTOSEAL_RECIPIENT (recipient));
      photoseal_sealer_add_file (sealer, file);
      if (!photoseal_sealer_seal (sealer, sealed, NULL, &error))
        g_error ("seal: %s", error->message);
      g_output_stream_close (sealed, NULL, NULL);
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sealed));

      {
        gint64 before = g_get_monotonic_time ();

        released = photoseal_keyserver_client_release (bob, key->key_id, NULL, NULL, &error);
        waited += g_get_monotonic_time () - before;
      }
      if (released == NULL)
        g_error ("release: %s", error->message);
      identity = photoseal_server_key_identity_new (released->key_id, released->server_key);
      g_ptr_array_add (identities, identity);
      in = g_memory_input_stream_new_from_bytes (bytes);
      opener = photoseal_opener_new (in, identities, NULL, &error);
      if (opener == NULL || !photoseal_opener_read_items (opener, &sink, NULL, NULL, &error))
        g_error ("open: %s", error->message);

      total[run] = (g_get_monotonic_time () - start) / 1000.0;
      network[run] = waited / 1000.0;
    }

  qsort (total, RUNS, sizeof (double), compare);
  qsort (network, RUNS, sizeof (double), compare);
  g_print ("| seal + open of one 5 MB photo through the key server (median of %d) | %.1f ms |\n",
           RUNS, (total[RUNS / 2 - 1] + total[RUNS / 2]) / 2);
  g_print ("| of which waiting for the key server (create + release, median) "
           "| %.1f ms (%.0f %%) |\n",
           (network[RUNS / 2 - 1] + network[RUNS / 2]) / 2,
           100 * (network[RUNS / 2 - 1] + network[RUNS / 2])
             / (total[RUNS / 2 - 1] + total[RUNS / 2]));

  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
