/* photoseal-master-key.c
 *
 * A 32-byte file, mode 0600, made on the first start of an empty database. Each server_key is
 * stored as XChaCha20-Poly1305 under it with the key id as associated
 * data, so a copied database alone gives nothing away, and a row moved to
 * another key id does not decrypt. The key lives in guarded, locked memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-keyserver"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <sodium.h>

#include "photoseal-master-key.h"

#define KEY_SIZE crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define NONCE_SIZE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_SIZE crypto_aead_xchacha20poly1305_ietf_ABYTES

struct _PhotosealMasterKey
{
  guint8 key[KEY_SIZE];
};

static gboolean
errno_error (GError    **error,
             const char *what,
             const char *path)
{
  int saved = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "Could not %s the master key “%s”: %s", what, path, g_strerror (saved));
  return FALSE;
}

/**
 * photoseal_master_key_create:
 * @path: where to write a new random key, mode 0600; must not exist
 */
gboolean
photoseal_master_key_create (const char *path,
                             GError    **error)
{
  guint8 key[KEY_SIZE];
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  gboolean ok;

  if (fd == -1)
    return errno_error (error, "create", path);

  randombytes_buf (key, sizeof key);
  ok = write (fd, key, sizeof key) == sizeof key && fsync (fd) == 0;
  sodium_memzero (key, sizeof key);
  if (!ok)
    {
      errno_error (error, "write", path);
      close (fd);
      unlink (path);
      return FALSE;
    }
  close (fd);

  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd != -1)
    {
      fsync (fd);
      close (fd);
    }
  return TRUE;
}

/**
 * photoseal_master_key_load:
 * @path: the key file
 *
 * Refuses a key file that is not 32 bytes, not owned by this process's
 * user, or that anyone else could read. @path may be a symlink, as
 * Kubernetes secrets and systemd credentials are: what counts is the
 * file it leads to.
 */
PhotosealMasterKey *
photoseal_master_key_load (const char *path,
                           GError    **error)
{
  PhotosealMasterKey *self;
  struct stat st;
  ssize_t n;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd == -1)
    return errno_error (error, "open", path), NULL;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != geteuid ()
      || (st.st_mode & 077) != 0 || st.st_size != KEY_SIZE)
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "The master key “%s” must be a 32-byte file owned by the server's user, "
                   "that only it can read (chmod 600 or 400)", path);
      return NULL;
    }

  self = sodium_malloc (sizeof *self);
  g_assert (self != NULL);
  sodium_mlock (self, sizeof *self);
  n = read (fd, self->key, sizeof self->key);
  close (fd);
  if (n != (ssize_t) sizeof self->key)
    {
      photoseal_master_key_free (self);
      return errno_error (error, "read", path), NULL;
    }
  return self;
}

void
photoseal_master_key_free (PhotosealMasterKey *self)
{
  if (self != NULL)
    {
      sodium_munlock (self, sizeof *self);
      sodium_free (self);
    }
}

/* Returns nonce ‖ ciphertext ‖ tag. */
GBytes *
photoseal_master_key_seal (PhotosealMasterKey *self,
                           const guint8       *server_key,
                           const char         *key_id)
{
  guint8 *sealed = g_malloc (NONCE_SIZE + PHOTOSEAL_SERVER_KEY_BYTES + TAG_SIZE);

  randombytes_buf (sealed, NONCE_SIZE);
  crypto_aead_xchacha20poly1305_ietf_encrypt (sealed + NONCE_SIZE, NULL, server_key,
                                              PHOTOSEAL_SERVER_KEY_BYTES,
                                              (const guint8 *) key_id, strlen (key_id), NULL,
                                              sealed, self->key);
  return g_bytes_new_take (sealed, NONCE_SIZE + PHOTOSEAL_SERVER_KEY_BYTES + TAG_SIZE);
}

gboolean
photoseal_master_key_open (PhotosealMasterKey *self,
                           GBytes             *sealed,
                           const char         *key_id,
                           guint8             *server_key)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (sealed, &len);

  return len == NONCE_SIZE + PHOTOSEAL_SERVER_KEY_BYTES + TAG_SIZE
         && crypto_aead_xchacha20poly1305_ietf_decrypt (server_key, NULL, NULL, data + NONCE_SIZE,
                                                        len - NONCE_SIZE,
                                                        (const guint8 *) key_id, strlen (key_id),
                                                        data, self->key) == 0;
}

/**
 * photoseal_master_key_derive:
 * @context: 8 characters naming what the subkey is for
 * @subkey: (out caller-allocates): 32 bytes
 *
 * A key for one purpose, derived with crypto_kdf: the master key itself
 * is only ever used to seal server keys.
 */
void
photoseal_master_key_derive (PhotosealMasterKey *self,
                             const char         *context,
                             guint8             *subkey)
{
  G_STATIC_ASSERT (KEY_SIZE == crypto_kdf_KEYBYTES);
  g_return_if_fail (strlen (context) == crypto_kdf_CONTEXTBYTES);
  crypto_kdf_derive_from_key (subkey, 32, 1, context, self->key);
}
