/* make-sealed-file.c: a real .psf made offline, for the MIME test
 *
 *   make-sealed-file OUT.psf PHOTO
 *
 * The photoseal stanza wraps a random server key that no key server holds:
 * the file has exactly the shape of one sealed through a server, which is
 * all that MIME detection looks at, and nobody can open it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sodium.h>

#include "photoseal.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PhotosealSealer) sealer = NULL;
  g_autoptr(PhotosealServerKeyRecipient) recipient = NULL;
  g_autoptr(GFile) output = NULL;
  g_autoptr(GFile) photo = NULL;
  g_autoptr(GError) error = NULL;
  guint8 server_key[32];

  if (argc != 3 || sodium_init () < 0)
    {
      g_printerr ("usage: make-sealed-file OUT.psf PHOTO\n");
      return 2;
    }

  randombytes_buf (server_key, sizeof server_key);
  recipient = photoseal_server_key_recipient_new ("AAAAAAAAAAAAAAAAAAAAAA",
                                                  "https://keys.example.org", server_key, &error);
  sodium_memzero (server_key, sizeof server_key);
  if (recipient == NULL)
    g_error ("%s", error->message);

  sealer = photoseal_sealer_new ();
  photoseal_manifest_set_sender (photoseal_sealer_get_manifest (sealer), "Test",
                                 "test@example.org");
  photoseal_sealer_add_recipient (sealer, PHOTOSEAL_RECIPIENT (recipient));
  photo = g_file_new_for_commandline_arg (argv[2]);
  photoseal_sealer_add_file (sealer, photo);
  output = g_file_new_for_commandline_arg (argv[1]);
  if (!photoseal_sealer_seal_to_file (sealer, output, NULL, &error))
    {
      g_printerr ("make-sealed-file: %s\n", error->message);
      return 1;
    }
  return 0;
}
