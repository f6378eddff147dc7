/* make-hostile-file.c: writes one crafted .psf, for the shell tests
 *
 *   make-hostile-file KIND AGE-RECIPIENT OUT.psf
 *   make-hostile-file --list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "hostile-files.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PhotosealX25519Recipient) recipient = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new ();
  g_autoptr(GBytes) psf = NULL;
  g_autoptr(GError) error = NULL;

  photoseal_crypto_init ();
  if (argc == 2 && g_str_equal (argv[1], "--list"))
    {
      for (guint i = 0; hostile_psf_kinds[i]; i++)
        g_print ("%s\n", hostile_psf_kinds[i]);
      return 0;
    }
  if (argc != 4)
    {
      g_printerr ("usage: %s KIND AGE-RECIPIENT OUT.psf | --list\n", argv[0]);
      return 2;
    }

  if (!(recipient = photoseal_x25519_recipient_parse (argv[2], &error)))
    g_error ("%s", error->message);
  g_ptr_array_add (recipients, recipient);
  if (!(psf = hostile_psf (argv[1], recipients, &error))
      || !g_file_set_contents (argv[3], g_bytes_get_data (psf, NULL), g_bytes_get_size (psf),
                               &error))
    g_error ("%s", error->message);
  return 0;
}
