/* photoseal-heif-meta.c
 *
 * A HEIF (or AVIF) file keeps its metadata as items beside the image
 * items, all listed in one `meta` box: `iinf` names each item and its
 * type, `iloc` says where its bytes are, `iref` links items to each other
 * and `ipma` gives them properties. EXIF is an item of type `Exif`, XMP
 * one of type `mime` with the content type application/rdf+xml. Removing
 * them means dropping their entries from all four and blanking their
 * bytes, wherever they are.
 *
 * Nothing else may move, or every other item's offset in `iloc` would be
 * wrong; the rewritten meta box is followed by a `free` box as long as
 * what it lost, and the items' bytes are zeroed in place (within `idat`
 * here, elsewhere in the file by the scrubber, from @ranges). Every
 * count and size comes from an untrusted file and is checked against the
 * bytes that are really there before it is believed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-heif-meta"

#include "config.h"

#include <string.h>

#include "photoseal-heif-meta.h"

#define FOURCC(a, b, c, d) (((guint32) (a) << 24) | ((guint32) (b) << 16) | ((c) << 8) | (d))
#define TYPE_EXIF FOURCC ('E', 'x', 'i', 'f')
#define TYPE_FREE FOURCC ('f', 'r', 'e', 'e')
#define TYPE_IDAT FOURCC ('i', 'd', 'a', 't')
#define TYPE_IINF FOURCC ('i', 'i', 'n', 'f')
#define TYPE_ILOC FOURCC ('i', 'l', 'o', 'c')
#define TYPE_INFE FOURCC ('i', 'n', 'f', 'e')
#define TYPE_IPMA FOURCC ('i', 'p', 'm', 'a')
#define TYPE_IPRP FOURCC ('i', 'p', 'r', 'p')
#define TYPE_IREF FOURCC ('i', 'r', 'e', 'f')
#define TYPE_META FOURCC ('m', 'e', 't', 'a')
#define TYPE_MIME FOURCC ('m', 'i', 'm', 'e')
#define TYPE_PITM FOURCC ('p', 'i', 't', 'm')
#define TYPE_URI FOURCC ('u', 'r', 'i', ' ')

#define BOX_HEAD_SIZE 8
#define XMP_CONTENT_TYPE "application/rdf+xml"

/* A cursor over untrusted bytes: reading past the end sets @bad and
 * yields zeros, so a parser checks once, after a record. */
typedef struct
{
  const guint8 *data;
  gsize len;
  gsize pos;
  gboolean bad;
} Reader;

typedef struct
{
  guint32 type;
  gsize start;
  gsize payload;
  gsize end;
} Box;

typedef struct
{
  GHashTable *removed_ids;
  GHashTable *kept_ids;
  GArray *ranges;
  GArray *idat_ranges;
  PhotosealMetadata removed;
} Scrub;

static guint64
read_be (Reader *r,
         guint   size)
{
  guint64 value = 0;

  if (r->bad || r->len - r->pos < size)
    {
      r->bad = TRUE;
      return 0;
    }
  for (guint i = 0; i < size; i++)
    value = (value << 8) | r->data[r->pos++];
  return value;
}

/* Returns a NUL-terminated string's length and steps over it; a string
 * cut short by the end of its box ends there. */
static const char *
read_string (Reader *r,
             gsize  *len)
{
  const char *s = (const char *) r->data + r->pos;
  const guint8 *nul = memchr (r->data + r->pos, '\0', r->len - r->pos);

  *len = nul != NULL ? (gsize) (nul - (r->data + r->pos)) : r->len - r->pos;
  r->pos += nul != NULL ? *len + 1 : *len;
  return s;
}

static Reader
payload_reader (const Reader *r,
                const Box    *box)
{
  return (Reader) { r->data + box->payload, box->end - box->payload, 0, FALSE };
}

/* Steps over the next child box; FALSE at the end or, with @bad set, on
 * a box that does not fit its parent. A size of 0, "to the end of the
 * file", is for top-level boxes only: inside meta it would hide the
 * boxes after it. */
static gboolean
next_box (Reader *r,
          Box    *box)
{
  guint64 size;

  if (r->bad || r->pos == r->len)
    return FALSE;

  box->start = r->pos;
  size = read_be (r, 4);
  box->type = read_be (r, 4);
  if (size == 1)
    size = read_be (r, 8);
  box->payload = r->pos;
  if (r->bad || size < box->payload - box->start || size > r->len - box->start)
    {
      r->bad = TRUE;
      return FALSE;
    }
  box->end = box->start + size;
  r->pos = box->end;
  return TRUE;
}

static void
put_be (GByteArray *out,
        guint64     value,
        guint       size)
{
  for (guint i = size; i > 0; i--)
    {
      guint8 byte = value >> (8 * (i - 1));

      g_byte_array_append (out, &byte, 1);
    }
}

static void
patch_be (GByteArray *out,
          gsize       at,
          guint64     value,
          guint       size)
{
  for (guint i = 0; i < size; i++)
    out->data[at + i] = value >> (8 * (size - 1 - i));
}

static gsize
begin_box (GByteArray *out,
           guint32     type)
{
  gsize at = out->len;

  put_be (out, 0, 4);
  put_be (out, type, 4);
  return at;
}

static void
end_box (GByteArray *out,
         gsize       at)
{
  patch_be (out, at, out->len - at, 4);
}

static void
put_raw (GByteArray   *out,
         const Reader *r,
         gsize         start,
         gsize         end)
{
  g_byte_array_append (out, r->data + start, end - start);
}

static gboolean
is_removed (Scrub  *scrub,
            guint32 id)
{
  return g_hash_table_contains (scrub->removed_ids, GUINT_TO_POINTER (id));
}

static gboolean
fail (GError    **error,
      const char *box)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "its %s box is malformed", box);
  return FALSE;
}

/* Returns what an item holds that a recipient does not need, or
 * PHOTOSEAL_METADATA_NONE for an image or anything else that is kept.
 * Items described by version 0 or 1 have no type, so they cannot be
 * images; they go, like those that hold MIME content or a URI. */
static PhotosealMetadata
classify_item (Reader  *r,
               guint32 *id)
{
  guint version = read_be (r, 1);
  guint32 type = 0;
  const char *content_type = NULL;
  gsize len = 0;

  read_be (r, 3);
  *id = read_be (r, version == 3 ? 4 : 2);
  read_be (r, 2);
  if (version >= 2)
    type = read_be (r, 4);
  read_string (r, &len);
  if (version < 2 || type == TYPE_MIME)
    content_type = read_string (r, &len);

  if (type == TYPE_EXIF)
    return PHOTOSEAL_METADATA_EXIF;
  if (content_type != NULL && len == strlen (XMP_CONTENT_TYPE)
      && memcmp (content_type, XMP_CONTENT_TYPE, len) == 0)
    return PHOTOSEAL_METADATA_XMP;
  if (version < 2 || type == TYPE_MIME || type == TYPE_URI)
    return PHOTOSEAL_METADATA_OTHER;
  return PHOTOSEAL_METADATA_NONE;
}

/* Steps over one entry of a list box and says which item it is about;
 * @params are what the box's header says about its entries. */
typedef gboolean (*ReadEntry) (Scrub       *scrub,
                               Reader      *r,
                               const guint *params,
                               guint32     *id);

/* Copies a list box's header (@head_len bytes) and the entries of the
 * items that stay, under their new count. Bytes after the last entry
 * mean the count is wrong, and entries that count hides could be
 * metadata a reader still finds. */
static gboolean
filter_list (Scrub        *scrub,
             const Reader *parent,
             const Box    *box,
             gsize         head_len,
             guint         count_size,
             ReadEntry     read_entry,
             const guint  *params,
             GByteArray   *out,
             GError      **error)
{
  Reader r = payload_reader (parent, box);
  char name[5] = { box->type >> 24, box->type >> 16, box->type >> 8, box->type, 0 };
  gsize box_at = begin_box (out, box->type);
  guint64 count;
  gsize count_at;
  guint32 kept = 0;

  read_be (&r, head_len);
  count = read_be (&r, count_size);
  if (r.bad)
    return fail (error, name);
  put_raw (out, &r, 0, head_len);
  count_at = out->len;
  put_be (out, 0, count_size);

  for (guint64 i = 0; i < count; i++)
    {
      gsize start = r.pos;
      guint32 id;

      if (!read_entry (scrub, &r, params, &id) || r.bad)
        return fail (error, name);
      if (!is_removed (scrub, id))
        {
          put_raw (out, &r, start, r.pos);
          kept++;
        }
    }

  if (r.pos != r.len)
    return fail (error, name);
  patch_be (out, count_at, kept, count_size);
  end_box (out, box_at);
  return TRUE;
}

/* An iinf entry is an infe box; reading it decides whether its item
 * stays. */
static gboolean
read_item (Scrub       *scrub,
           Reader      *r,
           const guint *params,
           guint32     *id)
{
  Reader entry;
  PhotosealMetadata found;
  Box infe;

  if (!next_box (r, &infe) || infe.type != TYPE_INFE)
    return FALSE;
  entry = payload_reader (r, &infe);
  found = classify_item (&entry, id);
  if (entry.bad || g_hash_table_contains (scrub->kept_ids, GUINT_TO_POINTER (*id))
      || is_removed (scrub, *id))
    return FALSE;

  scrub->removed |= found;
  if (found)
    g_hash_table_insert (scrub->removed_ids, GUINT_TO_POINTER (*id), GUINT_TO_POINTER (found));
  else
    g_hash_table_add (scrub->kept_ids, GUINT_TO_POINTER (*id));
  return TRUE;
}

static guint
peek_version (const Reader *parent,
              const Box    *box)
{
  return box->end > box->payload ? parent->data[box->payload] : 0;
}

static gboolean
scrub_iinf (Scrub        *scrub,
            const Reader *parent,
            const Box    *iinf,
            GByteArray   *out,
            GError      **error)
{
  guint count_size = peek_version (parent, iinf) == 0 ? 2 : 4;

  return filter_list (scrub, parent, iinf, 4, count_size, read_item, NULL, out, error);
}

static gboolean
add_range (GArray            *ranges,
           guint64            base,
           guint64            offset,
           guint64            length,
           PhotosealMetadata  kind)
{
  PhotosealHeifRange range = { base + offset, length, kind };

  if (range.start < base)
    return FALSE;
  /* A length of 0 means "to the end of the file". */
  if (length == 0 || length > G_MAXUINT64 - range.start)
    range.length = G_MAXUINT64 - range.start;
  g_array_append_val (ranges, range);
  return TRUE;
}

static gboolean
is_field_size (guint size)
{
  return size == 0 || size == 4 || size == 8;
}

/* Reads one item's location; a removed item's extents become ranges to
 * blank, in the file or in idat, by how the item is built. */
static gboolean
read_location (Scrub       *scrub,
               Reader      *r,
               const guint *params,
               guint32     *id)
{
  guint version = params[0];
  const guint *sizes = params + 1;
  guint method;
  guint64 base;
  guint extent_count;
  GArray *ranges;
  PhotosealMetadata kind;

  *id = read_be (r, version < 2 ? 2 : 4);
  method = version > 0 ? read_be (r, 2) & 0xf : 0;
  read_be (r, 2);
  base = read_be (r, sizes[2]);
  extent_count = read_be (r, 2);
  ranges = method == 0 ? scrub->ranges : method == 1 ? scrub->idat_ranges : NULL;
  kind = GPOINTER_TO_UINT (g_hash_table_lookup (scrub->removed_ids, GUINT_TO_POINTER (*id)));

  for (guint e = 0; e < extent_count && !r->bad; e++)
    {
      guint64 offset, length;

      read_be (r, sizes[3]);
      offset = read_be (r, sizes[0]);
      length = read_be (r, sizes[1]);
      if (ranges != NULL && kind != PHOTOSEAL_METADATA_NONE
          && !add_range (ranges, base, offset, length, kind))
        return FALSE;
    }
  return !r->bad;
}

static gboolean
scrub_iloc (Scrub        *scrub,
            const Reader *parent,
            const Box    *iloc,
            GByteArray   *out,
            GError      **error)
{
  Reader r = payload_reader (parent, iloc);
  /* The version, then the sizes of offsets, lengths, base offsets and
   * extent indexes. */
  guint params[5];
  guint8 byte;

  params[0] = read_be (&r, 1);
  read_be (&r, 3);
  byte = read_be (&r, 1);
  params[1] = byte >> 4;
  params[2] = byte & 0xf;
  byte = read_be (&r, 1);
  params[3] = byte >> 4;
  params[4] = params[0] > 0 ? byte & 0xf : 0;
  if (params[0] > 2 || r.bad)
    return fail (error, "iloc");
  for (guint i = 1; i < G_N_ELEMENTS (params); i++)
    if (!is_field_size (params[i]))
      return fail (error, "iloc");

  return filter_list (scrub, parent, iloc, 6, params[0] < 2 ? 2 : 4, read_location, params, out,
                      error);
}

/* References from a removed item go; so do references to one, and a
 * reference left with nowhere to point. */
static gboolean
scrub_iref (Scrub        *scrub,
            const Reader *parent,
            const Box    *iref,
            GByteArray   *out,
            GError      **error)
{
  Reader r = payload_reader (parent, iref);
  guint id_size = read_be (&r, 1) == 0 ? 2 : 4;
  gsize box_at;
  Box ref;

  read_be (&r, 3);
  if (r.bad)
    return fail (error, "iref");
  box_at = begin_box (out, iref->type);
  put_raw (out, &r, 0, 4);
  while (next_box (&r, &ref))
    {
      Reader refs = payload_reader (&r, &ref);
      guint32 from = read_be (&refs, id_size);
      guint count = read_be (&refs, 2);
      g_autoptr(GArray) to = g_array_new (FALSE, FALSE, sizeof (guint32));
      gsize ref_at;

      for (guint i = 0; i < count && !refs.bad; i++)
        {
          guint32 id = read_be (&refs, id_size);

          if (!is_removed (scrub, id))
            g_array_append_val (to, id);
        }
      if (refs.bad)
        return fail (error, "iref");
      if (is_removed (scrub, from) || to->len == 0)
        continue;

      ref_at = begin_box (out, ref.type);
      put_be (out, from, id_size);
      put_be (out, to->len, 2);
      for (guint i = 0; i < to->len; i++)
        put_be (out, g_array_index (to, guint32, i), id_size);
      end_box (out, ref_at);
    }

  if (r.bad)
    return fail (error, "iref");
  end_box (out, box_at);
  return TRUE;
}

/* An ipma entry: an item and its properties; @params are the box's
 * version and flags. */
static gboolean
read_association (Scrub       *scrub,
                  Reader      *r,
                  const guint *params,
                  guint32     *id)
{
  guint associations;

  *id = read_be (r, params[0] < 1 ? 2 : 4);
  associations = read_be (r, 1);
  for (guint a = 0; a < associations && !r->bad; a++)
    read_be (r, params[1] & 1 ? 2 : 1);
  return !r->bad;
}

static gboolean
scrub_ipma (Scrub        *scrub,
            const Reader *parent,
            const Box    *ipma,
            GByteArray   *out,
            GError      **error)
{
  Reader r = payload_reader (parent, ipma);
  guint params[2];

  params[0] = read_be (&r, 1);
  params[1] = read_be (&r, 3);
  return filter_list (scrub, parent, ipma, 4, 4, read_association, params, out, error);
}

static gboolean
scrub_iprp (Scrub        *scrub,
            const Reader *parent,
            const Box    *iprp,
            GByteArray   *out,
            GError      **error)
{
  Reader r = payload_reader (parent, iprp);
  gsize box_at = begin_box (out, TYPE_IPRP);
  Box child;

  while (next_box (&r, &child))
    {
      if (child.type != TYPE_IPMA)
        put_raw (out, &r, child.start, child.end);
      else if (!scrub_ipma (scrub, &r, &child, out, error))
        return FALSE;
    }

  if (r.bad)
    return fail (error, "iprp");
  end_box (out, box_at);
  return TRUE;
}

/* Zeroes the bytes removed items keep inside idat; its size stays. */
static void
scrub_idat (Scrub        *scrub,
            const Reader *parent,
            const Box    *idat,
            GByteArray   *out)
{
  gsize at = out->len;
  gsize len = idat->end - idat->payload;

  put_raw (out, parent, idat->start, idat->end);
  for (guint i = 0; i < scrub->idat_ranges->len; i++)
    {
      PhotosealHeifRange *range = &g_array_index (scrub->idat_ranges, PhotosealHeifRange, i);

      if (range->start < len)
        memset (out->data + at + (idat->payload - idat->start) + range->start, 0,
                MIN (range->length, len - range->start));
    }
}

/* Finds the boxes the others depend on: iinf says which items go, and
 * iloc where their bytes are, which idat needs before it is written. */
static gboolean
scrub_item_lists (Scrub      *scrub,
                  Reader     *meta,
                  GByteArray *iinf_out,
                  GByteArray *iloc_out,
                  GError    **error)
{
  Box child;
  Box iinf = { 0 };
  Box iloc = { 0 };

  while (next_box (meta, &child))
    {
      Box *found = child.type == TYPE_IINF ? &iinf : child.type == TYPE_ILOC ? &iloc : NULL;

      if (found != NULL && found->type != 0)
        return fail (error, "meta");
      if (found != NULL)
        *found = child;
    }
  if (meta->bad)
    return fail (error, "meta");

  /* Without it no item can be found, yet their bytes are still there. */
  if (iinf.type == 0)
    return fail (error, "iinf");
  if (!scrub_iinf (scrub, meta, &iinf, iinf_out, error))
    return FALSE;
  return iloc.type == 0 || scrub_iloc (scrub, meta, &iloc, iloc_out, error);
}

static guint32
read_primary (Reader *r)
{
  guint version = read_be (r, 1);

  read_be (r, 3);
  return read_be (r, version == 0 ? 2 : 4);
}

static gboolean
write_children (Scrub      *scrub,
                Reader     *meta,
                GByteArray *iinf,
                GByteArray *iloc,
                GByteArray *out,
                GError    **error)
{
  Box child;

  while (next_box (meta, &child))
    {
      Reader payload = payload_reader (meta, &child);
      gboolean ok = TRUE;

      if (child.type == TYPE_PITM && is_removed (scrub, read_primary (&payload)))
        return fail (error, "pitm");

      if (child.type == TYPE_IINF)
        g_byte_array_append (out, iinf->data, iinf->len);
      else if (child.type == TYPE_ILOC)
        g_byte_array_append (out, iloc->data, iloc->len);
      else if (child.type == TYPE_IREF)
        ok = scrub_iref (scrub, meta, &child, out, error);
      else if (child.type == TYPE_IPRP)
        ok = scrub_iprp (scrub, meta, &child, out, error);
      else if (child.type == TYPE_IDAT)
        scrub_idat (scrub, meta, &child, out);
      else
        put_raw (out, meta, child.start, child.end);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* The bytes the meta box no longer needs become a free box, so that
 * nothing after it moves. */
static gboolean
pad (GByteArray *out,
     gsize       len,
     GError    **error)
{
  gsize gap = len - out->len;

  g_assert (out->len <= len);

  if (gap == 0)
    return TRUE;
  if (gap < BOX_HEAD_SIZE)
    return fail (error, "meta");

  put_be (out, gap, 4);
  put_be (out, TYPE_FREE, 4);
  g_byte_array_set_size (out, len);
  memset (out->data + len - (gap - BOX_HEAD_SIZE), 0, gap - BOX_HEAD_SIZE);
  return TRUE;
}

static gint
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const PhotosealHeifRange *x = a;
  const PhotosealHeifRange *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

static GBytes *
scrub_meta (Scrub        *scrub,
            const Reader *file,
            const Box    *box,
            GError      **error)
{
  g_autoptr(GByteArray) iinf = g_byte_array_new ();
  g_autoptr(GByteArray) iloc = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  Reader children = payload_reader (file, box);
  gsize meta_at;

  /* The meta box is a full box: version and flags come first. */
  read_be (&children, 4);
  if (children.bad)
    {
      fail (error, "meta");
      return NULL;
    }
  children = (Reader) { children.data + 4, children.len - 4, 0, FALSE };

  if (!scrub_item_lists (scrub, &children, iinf, iloc, error))
    return NULL;
  if (g_hash_table_size (scrub->removed_ids) == 0)
    return NULL;

  children.pos = 0;
  meta_at = begin_box (out, TYPE_META);
  put_raw (out, file, box->payload, box->payload + 4);
  if (!write_children (scrub, &children, iinf, iloc, out, error))
    return NULL;
  end_box (out, meta_at);
  if (!pad (out, box->end - box->start, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * photoseal_heif_meta_scrub:
 * @meta: a whole meta box, from its size field on
 * @ranges: (element-type PhotosealHeifRange): where the removed items'
 *   bytes are in the file, in order, added by this function
 * @removed: (inout): gains the kinds of metadata removed
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the meta box without its EXIF and
 *   XMP items, as long as @meta; @meta itself when there were none; %NULL
 *   with @error set when @meta is malformed
 */
GBytes *
photoseal_heif_meta_scrub (GBytes            *meta,
                           GArray            *ranges,
                           PhotosealMetadata *removed,
                           GError           **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (meta, &len);
  Reader file = { data, len, 0, FALSE };
  g_autoptr(GHashTable) removed_ids = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) kept_ids = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) idat_ranges = g_array_new (FALSE, FALSE, sizeof (PhotosealHeifRange));
  Scrub scrub = { removed_ids, kept_ids, ranges, idat_ranges, PHOTOSEAL_METADATA_NONE };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) scrubbed = NULL;
  Box box;

  if (!next_box (&file, &box) || box.type != TYPE_META || box.end != len)
    {
      fail (error, "meta");
      return NULL;
    }

  scrubbed = scrub_meta (&scrub, &file, &box, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_array_sort (ranges, compare_ranges);
  *removed |= scrub.removed;
  return scrubbed != NULL ? g_steal_pointer (&scrubbed) : g_bytes_ref (meta);
}
