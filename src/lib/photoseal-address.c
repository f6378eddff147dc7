/* photoseal-address.c
 *
 * An email address decides who can open a file, so two spellings of one
 * address must become one string, and an address that only looks like
 * another must be refused, not matched. The rules:
 *
 * - the local part is ASCII (RFC 5322 dot-atom) and is lower-cased: "ſam"
 *   (U+017F) or "Kim" with the Kelvin sign are not "sam" and "kim" in
 *   disguise, they are refused;
 * - the domain may be written in Unicode and is stored as IDNA A-labels,
 *   lower-cased ("bücher.example" is "xn--bcher-kva.example");
 * - an invisible character (zero-width space, joiners, soft hyphen, any
 *   format or control character) is refused wherever it is, since IDNA
 *   would silently drop it and show the address as another;
 * - a domain label may not mix alphabets (Latin "а" from Cyrillic in
 *   "exаmple"), apart from the mixes Japanese, Chinese and Korean use.
 *
 * The recipient-list parser takes what people paste: addresses separated by
 * commas, semicolons, spaces or new lines, "Name <email>", and Outlook's
 * "Doe, Jane" <jane@…>; lists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-address"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "photoseal-address.h"
#include "photoseal-text.h"
#include "photoseal-validate.h"

#define LABEL_MAX 63
#define DOMAIN_MAX 253
#define LOCAL_MAX 64

static gboolean fail (GError     **error,
                      const char  *format,
                      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError     **error,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (PHOTOSEAL_VALIDATION_ERROR,
                                                PHOTOSEAL_VALIDATION_ERROR_EMAIL, format, args));
  va_end (args);
  return FALSE;
}

static gboolean
is_invisible (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_SPACE_SEPARATOR:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      /* Combining grapheme joiner and variation selectors are marks that
       * draw nothing. */
      return c == 0x034F || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF)
             || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0;
    }
}

static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static gboolean
local_part_is_valid (const char *local,
                     gsize       length)
{
  if (length == 0 || length > LOCAL_MAX || local[0] == '.' || local[length - 1] == '.')
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!(is_atext (local[i]) || (local[i] == '.' && local[i + 1] != '.')))
      return FALSE;
  return TRUE;
}

/* The scripts Japanese, Chinese and Korean names mix with each other and
 * with Latin; any other mix within one label is a look-alike risk. */
static gboolean
scripts_may_mix (guint64 scripts)
{
#define BIT(script) ((guint64) 1 << (script))
  const guint64 allowed[] = {
    BIT (G_UNICODE_SCRIPT_LATIN) | BIT (G_UNICODE_SCRIPT_HAN) | BIT (G_UNICODE_SCRIPT_HIRAGANA)
      | BIT (G_UNICODE_SCRIPT_KATAKANA),
    BIT (G_UNICODE_SCRIPT_LATIN) | BIT (G_UNICODE_SCRIPT_HAN) | BIT (G_UNICODE_SCRIPT_HANGUL),
    BIT (G_UNICODE_SCRIPT_LATIN) | BIT (G_UNICODE_SCRIPT_HAN) | BIT (G_UNICODE_SCRIPT_BOPOMOFO),
  };

  if ((scripts & (scripts - 1)) == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    if ((scripts & ~allowed[i]) == 0)
      return TRUE;
  return FALSE;
#undef BIT
}

static gboolean
domain_mixes_scripts (const char *domain)
{
  guint64 scripts = 0;

  for (const char *p = domain; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeScript script = g_unichar_get_script (c);

      if (c == '.')
        {
          if (!scripts_may_mix (scripts))
            return TRUE;
          scripts = 0;
        }
      else if (script != G_UNICODE_SCRIPT_COMMON && script != G_UNICODE_SCRIPT_INHERITED
               && script >= 0 && script < 64)
        scripts |= (guint64) 1 << script;
    }
  return !scripts_may_mix (scripts);
}

static gboolean
domain_is_valid (const char *ascii)
{
  g_auto(GStrv) labels = g_strsplit (ascii, ".", -1);

  if (strlen (ascii) > DOMAIN_MAX)
    return FALSE;
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize length = strlen (labels[i]);

      if (length == 0 || length > LABEL_MAX || labels[i][0] == '-' || labels[i][length - 1] == '-')
        return FALSE;
      for (gsize j = 0; j < length; j++)
        if (!g_ascii_isalnum (labels[i][j]) && labels[i][j] != '-')
          return FALSE;
    }
  return TRUE;
}

/**
 * photoseal_address_normalize:
 * @address: an email address as a person typed it
 *
 * Returns: (transfer full) (nullable): the one spelling stored and matched
 *   (ASCII local part lower-cased, domain as lower-case IDNA A-labels), or
 *   %NULL with %PHOTOSEAL_VALIDATION_ERROR_EMAIL saying what is wrong
 */
char *
photoseal_address_normalize (const char  *address,
                             GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *ascii = NULL;
  g_autofree char *shown = NULL;
  const char *at;

  if (address == NULL || !g_utf8_validate (address, -1, NULL))
    return fail (error, "%s", _("An email address must be text")), NULL;
  trimmed = g_strstrip (g_strdup (address));
  shown = photoseal_text_escape_controls (trimmed, -1);
  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    if (is_invisible (g_utf8_get_char (p)))
      return fail (error, _("“%s” holds an invisible or space character"), shown), NULL;

  at = strrchr (trimmed, '@');
  if (at == NULL || at == trimmed || at[1] == '\0' || strlen (trimmed) > PHOTOSEAL_EMAIL_MAX_LENGTH)
    return fail (error, _("“%s” is not an email address"), shown), NULL;
  local = g_strndup (trimmed, at - trimmed);
  domain = g_strdup (at + 1);
  if (!g_str_is_ascii (local))
    return fail (error, _("In “%s”, the part before @ must be plain Latin letters, "
                          "digits and . _ + -"), shown), NULL;
  if (!local_part_is_valid (local, strlen (local)))
    return fail (error, _("“%s” is not an email address"), shown), NULL;
  if (domain_mixes_scripts (domain))
    return fail (error, _("The domain of “%s” mixes alphabets, as look-alike "
                          "addresses do"), shown), NULL;
  if (!(ascii = g_hostname_to_ascii (domain)) || !domain_is_valid (ascii))
    return fail (error, _("“%s” is not an email address"), shown), NULL;

  {
    g_autofree char *lower_local = g_ascii_strdown (local, -1);
    g_autofree char *lower_domain = g_ascii_strdown (ascii, -1);

    return g_strdup_printf ("%s@%s", lower_local, lower_domain);
  }
}

void
photoseal_named_address_free (PhotosealNamedAddress *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->email);
  g_free (self);
}

/* Splits on , ; and line ends that are outside quotes and angle brackets. */
static GPtrArray *
split_entries (const char *text)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func (g_free);
  GString *entry = g_string_new (NULL);
  gboolean quoted = FALSE, bracketed = FALSE;

  for (const char *p = text; ; p++)
    {
      if (*p == '\0' || (!quoted && !bracketed && strchr (",;\r\n", *p) != NULL))
        {
          g_ptr_array_add (entries, g_strstrip (g_string_free (g_steal_pointer (&entry), FALSE)));
          if (*p == '\0')
            break;
          entry = g_string_new (NULL);
          continue;
        }
      if (*p == '"' && !bracketed)
        quoted = !quoted;
      else if (*p == '<' && !quoted)
        bracketed = TRUE;
      else if (*p == '>' && !quoted)
        bracketed = FALSE;
      g_string_append_c (entry, *p);
    }
  return entries;
}

static gboolean
list_fail (GError     **error,
           guint        position,
           const char  *entry,
           const char  *why)
{
  g_autofree char *shown = photoseal_text_escape_controls (entry, -1);

  /* Translators: the first %u counts the entries of a recipient list from 1. */
  g_set_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS,
               _("Recipient %u (“%s”): %s"), position, shown, why);
  return FALSE;
}

static gboolean
add_address (GPtrArray   *list,
             GHashTable  *seen,
             guint        position,
             const char  *entry,
             const char  *name,
             const char  *email,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *normalized = photoseal_address_normalize (email, &local_error);
  PhotosealNamedAddress *address;

  if (normalized == NULL)
    return list_fail (error, position, entry, local_error->message);
  if (!g_hash_table_add (seen, g_strdup (normalized)))
    return TRUE;
  address = g_new0 (PhotosealNamedAddress, 1);
  address->name = name && *name ? g_strdup (name) : NULL;
  address->email = g_steal_pointer (&normalized);
  g_ptr_array_add (list, address);
  return TRUE;
}

static gboolean
parse_entry (GPtrArray   *list,
             GHashTable  *seen,
             guint        position,
             const char  *entry,
             GError     **error)
{
  const char *open = strchr (entry, '<');

  if (open != NULL)
    {
      const char *close = strchr (open, '>');
      g_autofree char *name = g_strndup (entry, open - entry);
      g_autofree char *email = NULL;

      if (close == NULL || *g_strchug ((char *) close + 1) != '\0')
        return list_fail (error, position, entry, _("write it as Name <address>"));
      email = g_strndup (open + 1, close - open - 1);
      g_strstrip (name);
      if (name[0] == '"' && strlen (name) >= 2 && name[strlen (name) - 1] == '"')
        {
          memmove (name, name + 1, strlen (name) - 2);
          name[strlen (name) - 2] = '\0';
        }
      return add_address (list, seen, position, entry, name, email, error);
    }

  /* Several bare addresses may share an entry, separated by spaces. */
  {
    g_auto(GStrv) words = g_strsplit_set (entry, " \t", -1);

    for (guint i = 0; words[i] != NULL; i++)
      if (words[i][0] != '\0'
          && !add_address (list, seen, position, entry, NULL, words[i], error))
        return FALSE;
  }
  return TRUE;
}

/**
 * photoseal_address_parse_list:
 * @text: what a person typed or pasted: addresses separated by commas,
 *   semicolons, spaces or new lines, each bare or as Name <address>
 *
 * The same address twice counts once; empty entries are skipped.
 *
 * Returns: (transfer full) (element-type PhotosealNamedAddress) (nullable):
 *   the addresses, normalised, or %NULL with
 *   %PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS naming the entry and why
 */
GPtrArray *
photoseal_address_parse_list (const char  *text,
                              GError     **error)
{
  g_autoptr(GPtrArray) entries = split_entries (text ? text : "");
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (
    (GDestroyNotify) photoseal_named_address_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint position = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      char *entry = entries->pdata[i];

      if (entry[0] == '\0')
        continue;
      /* Outlook without quotes: "Doe, Jane <jane@…>" splits at the comma. */
      if (strchr (entry, '@') == NULL && i + 1 < entries->len
          && strchr (entries->pdata[i + 1], '<') != NULL)
        {
          char *joined = g_strdup_printf ("%s, %s", entry, (char *) entries->pdata[i + 1]);

          g_free (entries->pdata[i + 1]);
          entries->pdata[i + 1] = joined;
          continue;
        }
      if (!parse_entry (list, seen, ++position, entry, error))
        return NULL;
    }
  if (list->len > PHOTOSEAL_MAX_RECIPIENTS)
    {
      g_set_error (error, PHOTOSEAL_VALIDATION_ERROR, PHOTOSEAL_VALIDATION_ERROR_RECIPIENTS,
                   _("Name at most %u recipients"), PHOTOSEAL_MAX_RECIPIENTS);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Edits between @a and @b (insert, delete, replace, or swap two
 * neighbours: "exmaple" is one swap from "example"), counting no further
 * than @limit + 1. */
static guint
edit_distance (const char *a,
               const char *b,
               guint       limit)
{
  gsize m = strlen (a), n = strlen (b);
  g_autofree guint *rows = NULL;
  guint *before, *previous, *current;
  guint result;

  if ((m > n ? m - n : n - m) > limit)
    return limit + 1;
  rows = g_new0 (guint, 3 * (n + 1));
  before = rows;
  previous = rows + n + 1;
  current = rows + 2 * (n + 1);
  for (gsize j = 0; j <= n; j++)
    previous[j] = j;
  for (gsize i = 1; i <= m; i++)
    {
      current[0] = i;
      for (gsize j = 1; j <= n; j++)
        {
          guint cost = a[i - 1] != b[j - 1];

          current[j] = MIN (MIN (previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
          if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
            current[j] = MIN (current[j], before[j - 2] + 1);
        }
      before = previous;
      previous = current;
      current = rows + (current - rows + n + 1) % (3 * (n + 1));
    }
  result = previous[n];
  return MIN (result, limit + 1);
}

/**
 * photoseal_address_suggest:
 * @address: an address as typed
 * @known: (array zero-terminated=1) (nullable): addresses the sender has
 *   used or knows, in order of preference
 *
 * The known address @address was probably meant to be: one that differs
 * from it by one or two typing slips (a letter added, dropped, changed, or
 * two swapped), compared in their normalised spelling. A typo'd recipient
 * gets no account and no file, so the app asks "Did you mean …?" before
 * sealing.
 *
 * Returns: (transfer full) (nullable): the closest known address as
 *   given in @known (the first of equals), or %NULL when @address is
 *   itself known, is not an address, or nothing is that close
 */
char *
photoseal_address_suggest (const char         *address,
                           const char * const *known)
{
  g_autofree char *typed = photoseal_address_normalize (address, NULL);
  const char *best = NULL;
  guint best_distance = 3;

  if (typed == NULL)
    return NULL;
  for (guint i = 0; known != NULL && known[i] != NULL; i++)
    {
      g_autofree char *candidate = photoseal_address_normalize (known[i], NULL);
      guint distance;

      if (candidate == NULL)
        continue;
      distance = edit_distance (typed, candidate, 2);
      if (distance == 0)
        return NULL;
      if (distance < best_distance)
        {
          best = known[i];
          best_distance = distance;
        }
    }
  return g_strdup (best);
}
