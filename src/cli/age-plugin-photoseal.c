/* age-plugin-photoseal.c: opens .psf files for the real age CLI
 *
 *   age -d -i photoseal-identity.txt photos.psf | tar x
 *
 * An age plugin (C2SP age-plugin, identity-v1 state machine). The identity,
 * printed by "psf identity", names a key-server origin; this plugin finds
 * the session "psf login" saved for that origin in the keyring, asks the
 * server to release the file's key, and hands age the file key. Like psf
 * open, it asks only servers the identity names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "age-plugin-photoseal"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "photoseal.h"

#define IDENTITY_HRP "AGE-PLUGIN-PHOTOSEAL-"
#define MAX_ORIGIN 1024

typedef struct
{
  char *type;
  char **args;
  GBytes *body;
} Command;

static void
command_free (Command *command)
{
  g_free (command->type);
  g_strfreev (command->args);
  g_clear_pointer (&command->body, g_bytes_unref);
  g_free (command);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Command, command_free)

typedef struct
{
  guint file;
  guint index;
  PhotosealStanza *stanza;
} Received;

static void
received_free (Received *received)
{
  photoseal_stanza_free (received->stanza);
  g_free (received);
}

/* Reads "-> TYPE ARGS…" and its base64 body, framed as age stanzas. */
static Command *
read_command (GDataInputStream *in,
              GError          **error)
{
  g_autoptr(Command) command = g_new0 (Command, 1);
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, error);
  g_auto(GStrv) words = NULL;

  if (line == NULL || !g_str_has_prefix (line, "-> "))
    {
      if (error && !*error)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("malformed message from age"));
      return NULL;
    }
  words = g_strsplit (line + 3, " ", -1);
  command->type = g_strdup (words[0]);
  command->args = g_strdupv (words + 1);

  for (;;)
    {
      g_autofree char *text = g_data_input_stream_read_line (in, NULL, NULL, error);
      guint8 chunk[48];
      gsize len = 0;

      if (text == NULL || strlen (text) > 64
          || !photoseal_base64_decode (text, strlen (text), chunk, sizeof chunk, &len))
        {
          if (error && !*error)
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _("malformed body from age"));
          return NULL;
        }
      g_byte_array_append (body, chunk, len);
      if (strlen (text) < 64)
        break;
    }
  command->body = g_byte_array_free_to_bytes (g_steal_pointer (&body));
  return g_steal_pointer (&command);
}

static void
send_command (GOutputStream *out,
              const char    *header,
              const guint8  *body,
              gsize          len)
{
  g_autofree char *encoded = photoseal_base64_encode (body, len);
  GString *text = g_string_new (NULL);
  gsize encoded_len = strlen (encoded);
  gsize pos = 0;

  g_string_append_printf (text, "-> %s\n", header);
  do
    {
      gsize n = MIN (64, encoded_len - pos);

      g_string_append_len (text, encoded + pos, n);
      g_string_append_c (text, '\n');
      pos += n;
      if (n < 64)
        break;
    }
  while (TRUE);

  g_output_stream_write_all (out, text->str, text->len, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  sodium_memzero (text->str, text->len);
  g_string_free (text, TRUE);
}

/* Phase 2 commands all get an answer; we need none of their contents. */
static void
send_and_wait (GDataInputStream *in,
               GOutputStream    *out,
               const char       *header,
               const guint8     *body,
               gsize             len)
{
  g_autoptr(Command) reply = NULL;

  send_command (out, header, body, len);
  reply = read_command (in, NULL);
}

static void
send_error (GDataInputStream *in,
            GOutputStream    *out,
            const Received   *received,
            const char       *message)
{
  g_autofree char *header = g_strdup_printf ("error stanza %u %u", received->file, received->index);

  send_and_wait (in, out, header, (const guint8 *) message, strlen (message));
}

static char *
origin_from_identity (const char *identity)
{
  guint8 data[MAX_ORIGIN];
  g_autofree char *hrp = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  if (!photoseal_bech32_decode (identity, &hrp, data, sizeof data, &len)
      || g_ascii_strcasecmp (hrp, IDENTITY_HRP) != 0)
    return NULL;
  text = g_strndup ((const char *) data, len);
  return photoseal_origin_normalize (text, NULL);
}

/* Unwraps one photoseal stanza through its server, or explains why not. */
static gboolean
unwrap (const PhotosealStanza *stanza,
        guint8                *file_key,
        char                 **why)
{
  g_autoptr(PhotosealKeyserverClient) client = NULL;
  g_autoptr(PhotosealSealedKey) key = NULL;
  g_autoptr(PhotosealServerKeyIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *origin = NULL;

  if (!photoseal_server_key_stanza_parse (stanza, &key_id, &origin, &error)
      || !(client = photoseal_keyring_load (origin, NULL, NULL, &error)))
    {
      *why = error ? g_strdup (error->message)
                   : g_strdup_printf (_("You are not signed in to %s: run psf login"), origin);
      return FALSE;
    }
  if (!(key = photoseal_keyserver_client_release (client, key_id, NULL, NULL, &error)))
    {
      *why = g_strdup (error->message);
      return FALSE;
    }
  identity = photoseal_server_key_identity_new (key->key_id, key->server_key);
  if (photoseal_identity_unwrap (PHOTOSEAL_IDENTITY (identity), stanza, file_key, &error)
      != PHOTOSEAL_UNWRAP_OK)
    {
      *why = g_strdup (_("The key server's key does not open this file"));
      return FALSE;
    }
  return TRUE;
}

/* Phase 1: identities and stanzas from age, up to its "done". Identities
 * that are not ours are kept as NULL origins, to be reported in phase 2. */
static gboolean
read_identities_and_stanzas (GDataInputStream *in,
                             GPtrArray        *origins,
                             GPtrArray        *stanzas)
{
  g_autoptr(GError) error = NULL;
  guint next_index = 0;
  gint last_file = -1;

  for (;;)
    {
      g_autoptr(Command) command = read_command (in, &error);

      if (command == NULL)
        {
          g_printerr ("age-plugin-photoseal: %s\n", error ? error->message : _("no input"));
          return FALSE;
        }
      if (g_str_equal (command->type, "done"))
        return TRUE;
      if (g_str_equal (command->type, "add-identity") && command->args[0] != NULL)
        g_ptr_array_add (origins, origin_from_identity (command->args[0]));
      else if (g_str_equal (command->type, "recipient-stanza") && command->args[0]
               && command->args[1])
        {
          Received *received = g_new0 (Received, 1);
          gint file = atoi (command->args[0]);

          if (file != last_file)
            next_index = 0;
          last_file = file;
          received->file = file;
          received->index = next_index++;
          received->stanza = photoseal_stanza_new (command->args[1],
                                                   (const char * const *) command->args + 2,
                                                   g_bytes_get_data (command->body, NULL),
                                                   g_bytes_get_size (command->body));
          g_ptr_array_add (stanzas, received);
        }
    }
}

/* An identity that is not ours ends the session with an error for it. */
static gboolean
refuse_foreign_identity (GDataInputStream *in,
                         GOutputStream    *out,
                         GPtrArray        *origins)
{
  for (guint i = 0; i < origins->len; i++)
    if (g_ptr_array_index (origins, i) == NULL)
      {
        g_autofree char *header = g_strdup_printf ("error identity %u", i);
        const char *message = _("not a photoseal identity; make one with psf identity");

        send_and_wait (in, out, header, (const guint8 *) message, strlen (message));
        return TRUE;
      }
  return FALSE;
}

static gboolean
origin_is_named (GPtrArray  *origins,
                 const char *origin)
{
  gboolean named = FALSE;

  for (guint j = 0; j < origins->len; j++)
    named |= g_strcmp0 (g_ptr_array_index (origins, j), origin) == 0;
  return named;
}

/* Phase 2: one request per file whose photoseal stanza names a server one
 * of the identities names; a file key or an error for each. */
static void
answer_stanzas (GDataInputStream *in,
                GOutputStream    *out,
                GPtrArray        *origins,
                GPtrArray        *stanzas)
{
  g_autoptr(GHashTable) done_files = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < stanzas->len; i++)
    {
      Received *received = g_ptr_array_index (stanzas, i);
      g_autofree char *origin = NULL;
      g_autofree char *why = NULL;
      guint8 file_key[PHOTOSEAL_FILE_KEY_SIZE];

      if (g_strcmp0 (received->stanza->type, PHOTOSEAL_SERVER_KEY_STANZA_TYPE) != 0
          || g_hash_table_contains (done_files, GUINT_TO_POINTER (received->file + 1)))
        continue;
      if (!photoseal_server_key_stanza_parse (received->stanza, NULL, &origin, NULL))
        {
          send_error (in, out, received, _("malformed photoseal stanza"));
          continue;
        }
      if (!origin_is_named (origins, origin))
        continue;

      g_hash_table_add (done_files, GUINT_TO_POINTER (received->file + 1));
      if (unwrap (received->stanza, file_key, &why))
        {
          g_autofree char *header = g_strdup_printf ("file-key %u", received->file);

          send_and_wait (in, out, header, file_key, sizeof file_key);
        }
      else
        send_error (in, out, received, why);
      sodium_memzero (file_key, sizeof file_key);
    }
}

static int
run_identity_v1 (void)
{
  g_autoptr(GInputStream) raw_in = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (raw_in);
  g_autoptr(GOutputStream) out = g_unix_output_stream_new (1, FALSE);
  g_autoptr(GPtrArray) origins = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) stanzas = g_ptr_array_new_with_free_func ((GDestroyNotify) received_free);

  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_LF);
  if (!read_identities_and_stanzas (in, origins, stanzas))
    return 1;
  if (!refuse_foreign_identity (in, out, origins))
    answer_stanzas (in, out, origins, stanzas);
  send_command (out, "done", (const guint8 *) "", 0);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  /* Error messages reach people through age, which shows them as they
   * are; the plugin protocol's own words are never translated. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  photoseal_crypto_init ();

  if (argc == 2 && g_str_equal (argv[1], "--age-plugin=identity-v1"))
    return run_identity_v1 ();

  g_printerr (_("age-plugin-photoseal is run by age to open .psf files:\n"
                "  psf identity --server ORIGIN > photoseal-identity.txt\n"
                "  age -d -i photoseal-identity.txt FILE.psf | tar x\n"));
  return 2;
}
