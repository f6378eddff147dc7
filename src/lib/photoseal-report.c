/* photoseal-report.c
 *
 * A report of an opened file for the patient's record: who sent it (as the
 * key server confirmed, or marked as not confirmed), when, the patient,
 * consent, note, and every photo with its name. It is laid out once into
 * pages of placed blocks, so that a PDF writer and a print dialog draw the
 * same pages; a line of text or a photo is never cut across two pages.
 *
 * Strings from the file are laid out as plain text, never as markup. Photos
 * are decoded again when a page is drawn instead of being kept, so a report
 * of many photos needs the memory of one; the pixel limit is checked from
 * the image's header, before anything is allocated for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-report"

#include "config.h"

#include <langinfo.h>
#include <locale.h>

#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "photoseal-atomic-file.h"
#include "photoseal-date.h"
#include "photoseal-report.h"

#define MARGIN 56.0                 /* points: about 2 cm */
#define LABEL_WIDTH 118.0
#define GAP 10.0
#define FOOTER_HEIGHT 24.0
#define IMAGE_MAX_EDGE 2000         /* pixels kept per photo: 300 dpi across A4 */
#define IMAGE_MAX_PIXELS (64 * 1000 * 1000)

typedef enum
{
  BLOCK_TITLE,
  BLOCK_ROW,
  BLOCK_CAPTION,
  BLOCK_IMAGE,
} BlockKind;

typedef struct
{
  BlockKind kind;
  char *label;                      /* BLOCK_ROW: the bold label on the left */
  char *text;
  guint image;                      /* BLOCK_IMAGE: index into images */
  gboolean warning;                 /* BLOCK_ROW: drawn on a warning background */
} Block;

typedef struct
{
  char *name;
  GFile *file;
  GBytes *bytes;
} Image;

/* One block, or a run of its lines, placed on a page. */
typedef struct
{
  guint block;
  int first_line;
  int n_lines;
  double y;
  double width;                     /* BLOCK_IMAGE: the drawn size */
  double height;
} Placement;

struct _PhotosealReport
{
  GObject parent_instance;

  GArray *blocks;                   /* of Block */
  GArray *images;                   /* of Image */
  GPtrArray *pages;                 /* of GArray of Placement */
  char *file_name;
  double page_width;
  double page_height;
  gboolean has_confirmed_sender;
  PhotosealProgressFunc progress;
  gpointer progress_data;
};

G_DEFINE_FINAL_TYPE (PhotosealReport, photoseal_report, G_TYPE_OBJECT)

static void
block_clear (gpointer data)
{
  Block *block = data;

  g_free (block->label);
  g_free (block->text);
}

static void
image_clear (gpointer data)
{
  Image *image = data;

  g_free (image->name);
  g_clear_object (&image->file);
  g_clear_pointer (&image->bytes, g_bytes_unref);
}

static void
photoseal_report_finalize (GObject *object)
{
  PhotosealReport *self = PHOTOSEAL_REPORT (object);

  g_clear_pointer (&self->blocks, g_array_unref);
  g_clear_pointer (&self->images, g_array_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->file_name, g_free);

  G_OBJECT_CLASS (photoseal_report_parent_class)->finalize (object);
}

static void
photoseal_report_class_init (PhotosealReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = photoseal_report_finalize;
}

static void
photoseal_report_init (PhotosealReport *self)
{
  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, block_clear);
  self->images = g_array_new (FALSE, TRUE, sizeof (Image));
  g_array_set_clear_func (self->images, image_clear);
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
}

static void
add_block (PhotosealReport *self,
           BlockKind        kind,
           const char      *label,
           const char      *text)
{
  Block block = { kind, g_strdup (label), g_strdup (text), 0, FALSE };

  g_array_append_val (self->blocks, block);
}

static void
add_row (PhotosealReport *self,
         const char      *label,
         const char      *text)
{
  if (text != NULL && text[0] != '\0')
    add_block (self, BLOCK_ROW, label, text);
}

static char *
consent_text (PhotosealManifest *manifest)
{
  g_autofree char *said = photoseal_manifest_describe_consent (manifest);
  const char *note = photoseal_manifest_get_consent_note (manifest);

  if (note != NULL && note[0] != '\0')
    return g_strdup_printf ("%s. %s", said, note);
  return g_steal_pointer (&said);
}

static void
add_details (PhotosealReport   *self,
             PhotosealManifest *manifest)
{
  GDateTime *created = photoseal_manifest_get_created (manifest);
  g_autofree char *sealed = created ? photoseal_date_format_time (created) : NULL;
  g_autofree char *consent = consent_text (manifest);
  g_autofree char *purposes = photoseal_manifest_describe_purposes (manifest);
  g_autofree char *birth = NULL;

  add_block (self, BLOCK_TITLE, NULL, _("Sealed photos"));
  add_row (self, _("File"), self->file_name);
  add_row (self, _("Sealed"), sealed);
  if (photoseal_manifest_has_patient (manifest))
    {
      const char *dob = photoseal_manifest_get_patient_date_of_birth (manifest);

      add_row (self, _("Patient"), photoseal_manifest_get_patient_name (manifest));
      add_row (self, _("Identifier"), photoseal_manifest_get_patient_identifier (manifest));
      if (dob != NULL && dob[0] != '\0')
        add_row (self, _("Date of birth"), birth = photoseal_date_format_iso_day (dob));
    }
  else if (photoseal_manifest_get_no_patient_details (manifest))
    add_row (self, _("Patient"), _("No patient details (photos do not identify anyone)"));
  add_row (self, _("Consent"), consent);
  /* Consent that was needed and not obtained is what a reader of the
   * record must not miss. */
  if (!photoseal_manifest_get_consent_obtained (manifest)
      && g_strcmp0 (photoseal_manifest_get_consent_method (manifest), "not_needed") != 0)
    g_array_index (self->blocks, Block, self->blocks->len - 1).warning = TRUE;
  if (photoseal_manifest_get_consent_obtained (manifest))
    add_row (self, _("Purposes"), purposes ? purposes : _("none named"));
  add_row (self, _("Note"), photoseal_manifest_get_note (manifest));
}

static char *
sender_text (const char *name,
             const char *email)
{
  if (name != NULL && name[0] != '\0' && email != NULL && email[0] != '\0')
    return g_strdup_printf ("%s <%s>", name, email);
  return g_strdup (name != NULL && name[0] != '\0' ? name : email);
}

/**
 * photoseal_report_new:
 * @manifest: the opened file's manifest
 * @file_name: (nullable): the sealed file's name, shown on every page
 *
 * Until photoseal_report_set_confirmed_sender() is called, the report gives
 * the manifest's sender and says that no key server confirmed it.
 */
PhotosealReport *
photoseal_report_new (PhotosealManifest *manifest,
                      const char        *file_name)
{
  PhotosealReport *self;
  g_autofree char *claimed = NULL;
  g_autofree char *from = NULL;

  g_return_val_if_fail (PHOTOSEAL_IS_MANIFEST (manifest), NULL);

  self = g_object_new (PHOTOSEAL_TYPE_REPORT, NULL);
  self->file_name = g_strdup (file_name);
  add_details (self, manifest);
  claimed = sender_text (photoseal_manifest_get_sender_name (manifest),
                         photoseal_manifest_get_sender_email (manifest));
  /* The sender row goes second, after the title; the confirmed sender
   * replaces it. */
  from = g_strdup_printf (_("%s (as the file states; not confirmed by a key server)"),
                          claimed ? claimed : _("unknown"));
  g_array_insert_val (self->blocks, 1, ((Block) { BLOCK_ROW, g_strdup (_("From")),
                                                  g_steal_pointer (&from), 0, FALSE }));
  return self;
}

/**
 * photoseal_report_set_confirmed_sender:
 * @name: (nullable): the key's owner as the key server knows them
 * @email: the owner's verified address
 * @confirmed_by: the key server's host name
 *
 * Gives the sender as the key server confirmed it, instead of the file's
 * own claim.
 */
void
photoseal_report_set_confirmed_sender (PhotosealReport *self,
                                       const char      *name,
                                       const char      *email,
                                       const char      *confirmed_by)
{
  Block *row;
  g_autofree char *sender = NULL;

  g_return_if_fail (PHOTOSEAL_IS_REPORT (self));
  g_return_if_fail (email != NULL && confirmed_by != NULL);

  row = &g_array_index (self->blocks, Block, 1);
  sender = sender_text (name, email);
  g_free (row->text);
  row->text = g_strdup_printf (_("%s (confirmed by %s)"), sender, confirmed_by);
  self->has_confirmed_sender = TRUE;
}

static void
add_image (PhotosealReport *self,
           const char      *name,
           GFile           *file,
           GBytes          *bytes)
{
  Image image = { g_strdup (name), file ? g_object_ref (file) : NULL,
                  bytes ? g_bytes_ref (bytes) : NULL };
  Block block = { BLOCK_IMAGE, NULL, NULL, self->images->len, FALSE };

  g_array_append_val (self->images, image);
  add_block (self, BLOCK_CAPTION, NULL, name);
  g_array_append_val (self->blocks, block);
}

/**
 * photoseal_report_add_image_file:
 *
 * Adds a photo from a file, read only while the report is laid out and drawn.
 */
void
photoseal_report_add_image_file (PhotosealReport *self,
                                 const char      *name,
                                 GFile           *file)
{
  g_return_if_fail (PHOTOSEAL_IS_REPORT (self));
  g_return_if_fail (G_IS_FILE (file));

  add_image (self, name, file, NULL);
}

/**
 * photoseal_report_add_image_bytes:
 *
 * Adds a photo held in memory.
 */
void
photoseal_report_add_image_bytes (PhotosealReport *self,
                                  const char      *name,
                                  GBytes          *bytes)
{
  g_return_if_fail (PHOTOSEAL_IS_REPORT (self));
  g_return_if_fail (bytes != NULL);

  add_image (self, name, NULL, bytes);
}

/**
 * photoseal_report_add_other_item:
 *
 * Lists an item that is not a photo (a video, a PDF) by its name.
 */
void
photoseal_report_add_other_item (PhotosealReport *self,
                                 const char      *name,
                                 const char      *media_type)
{
  g_autofree char *text = NULL;

  g_return_if_fail (PHOTOSEAL_IS_REPORT (self));

  text = g_strdup_printf (_("%s (%s: not shown in this report)"), name,
                          media_type ? media_type : _("not a photo"));
  add_block (self, BLOCK_CAPTION, NULL, text);
}

/* Decoding, bounded before allocation */

typedef struct
{
  gboolean too_large;
} SizeCheck;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  SizeCheck *check = user_data;
  double scale;

  /* Asking for a size of zero makes the loaders fail before they allocate
   * the image, which is what an over-limit photo needs. */
  if ((gint64) width * height > IMAGE_MAX_PIXELS)
    {
      check->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }
  scale = MIN (1.0, (double) IMAGE_MAX_EDGE / MAX (width, height));
  if (scale < 1.0)
    gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale)),
                                MAX (1, (int) (height * scale)));
}

static gboolean
feed_file (GdkPixbufLoader *loader,
           GFile           *file,
           SizeCheck       *check)
{
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(GBytes) chunk = NULL;

  if (in == NULL)
    return FALSE;
  /* In chunks, so that an over-limit photo stops being read at its header. */
  while (!check->too_large
         && (chunk = g_input_stream_read_bytes (G_INPUT_STREAM (in), 64 * 1024, NULL, NULL))
         && g_bytes_get_size (chunk) > 0)
    {
      if (!gdk_pixbuf_loader_write_bytes (loader, chunk, NULL))
        return FALSE;
      g_clear_pointer (&chunk, g_bytes_unref);
    }
  return chunk != NULL && !check->too_large;
}

static GdkPixbuf *
decode_image (const Image *image)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  SizeCheck check = { FALSE };
  GdkPixbuf *pixbuf;
  gboolean fed;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &check);
  fed = image->bytes ? gdk_pixbuf_loader_write_bytes (loader, image->bytes, NULL)
                     : feed_file (loader, image->file, &check);
  /* Closed whether or not feeding worked: a loader must always be closed. */
  if (!gdk_pixbuf_loader_close (loader, NULL) || !fed || check.too_large
      || !(pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)))
    return NULL;
  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  guint8 *out = cairo_image_surface_get_data (surface);
  int out_stride = cairo_image_surface_get_stride (surface);

  /* Cairo wants native-endian, premultiplied ARGB words. */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + y * stride + x * channels;
        guint alpha = channels == 4 ? p[3] : 255;
        guint32 word = alpha << 24
                       | (p[0] * alpha / 255) << 16 | (p[1] * alpha / 255) << 8
                       | (p[2] * alpha / 255);

        *(guint32 *) (out + y * out_stride + x * 4) = word;
      }
  cairo_surface_mark_dirty (surface);
  return surface;
}

/* Layout */

static PangoLayout *
layout_for_block (PangoContext *context,
                  const Block  *block,
                  double        content_width)
{
  PangoLayout *layout = pango_layout_new (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 10");
  double width = content_width;

  if (block->kind == BLOCK_TITLE)
    {
      pango_font_description_set_size (font, 18 * PANGO_SCALE);
      pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
    }
  else if (block->kind == BLOCK_ROW)
    {
      /* Patient details are the text a reader looks for first. */
      width -= LABEL_WIDTH;
      pango_font_description_set_size (font, 11 * PANGO_SCALE);
    }
  else if (block->kind == BLOCK_CAPTION)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, block->text ? block->text : "", -1);
  return layout;
}

static PangoContext *
new_context (void)
{
  PangoContext *context = pango_font_map_create_context (pango_cairo_font_map_get_default ());

  /* One unit is one point, on paper and on screen alike. */
  pango_cairo_context_set_resolution (context, 72.0);
  return context;
}

typedef struct
{
  PhotosealReport *self;
  GArray *page;
  double top;
  double bottom;
  double y;
} Pager;

static void
pager_new_page (Pager *pager)
{
  pager->page = g_array_new (FALSE, FALSE, sizeof (Placement));
  g_ptr_array_add (pager->self->pages, pager->page);
  pager->y = pager->top;
}

static void
pager_make_room (Pager  *pager,
                 double  height)
{
  if (pager->y + height > pager->bottom && pager->y > pager->top)
    pager_new_page (pager);
}

static void
place_text (Pager       *pager,
            guint        index,
            PangoLayout *layout,
            double       space_before)
{
  g_autoptr(PangoLayoutIter) iter = pango_layout_get_iter (layout);
  Placement *run = NULL;
  int line = 0;

  pager->y += pager->y > pager->top ? space_before : 0;
  do
    {
      PangoRectangle extents;
      double height;

      pango_layout_iter_get_line_extents (iter, NULL, &extents);
      height = (double) extents.height / PANGO_SCALE;
      if (pager->y + height > pager->bottom && pager->y > pager->top)
        {
          pager_new_page (pager);
          run = NULL;
        }
      if (run == NULL)
        {
          g_array_append_val (pager->page, ((Placement) { index, line, 0, pager->y, 0, 0 }));
          run = &g_array_index (pager->page, Placement, pager->page->len - 1);
        }
      run->n_lines++;
      pager->y += height;
      line++;
    }
  while (pango_layout_iter_next_line (iter));
}

static gboolean
place_image (Pager  *pager,
             guint   index,
             double  content_width,
             double  caption_height)
{
  const Block *block = &g_array_index (pager->self->blocks, Block, index);
  g_autoptr(GdkPixbuf) pixbuf = decode_image (&g_array_index (pager->self->images,
                                                              Image, block->image));
  double max_height = pager->bottom - pager->top - caption_height;
  double width, height, scale;

  if (pixbuf == NULL)
    return FALSE;
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  scale = MIN (1.0, MIN (content_width / width, max_height / height));
  width *= scale;
  height *= scale;
  /* The caption was placed with room for it; a photo that still does not fit
   * moves to the next page. */
  pager_make_room (pager, height);
  g_array_append_val (pager->page, ((Placement) { index, 0, 0, pager->y, width, height }));
  pager->y += height;
  return TRUE;
}

static double
first_line_height (PangoLayout *layout)
{
  PangoRectangle extents;

  pango_layout_line_get_pixel_extents (pango_layout_get_line_readonly (layout, 0), NULL, &extents);
  return extents.height;
}

/**
 * photoseal_report_paginate:
 * @page_width: in points
 * @page_height: in points
 *
 * Lays the report out on pages of this size.
 *
 * Returns: the number of pages
 */
guint
photoseal_report_paginate (PhotosealReport *self,
                           double           page_width,
                           double           page_height)
{
  /* Pango 1.50 (Debian 12) has no autoptr for PangoContext. */
  PangoContext *context = new_context ();
  double content_width = page_width - 2 * MARGIN;
  Pager pager = { self, NULL, MARGIN, page_height - MARGIN - FOOTER_HEIGHT, MARGIN };

  g_return_val_if_fail (PHOTOSEAL_IS_REPORT (self), 0);

  g_ptr_array_set_size (self->pages, 0);
  self->page_width = page_width;
  self->page_height = page_height;
  pager_new_page (&pager);
  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);
      g_autoptr(PangoLayout) layout = NULL;

      if (block->kind == BLOCK_IMAGE)
        {
          Block *unshown = &g_array_index (self->blocks, Block, i);

          if (place_image (&pager, i, content_width, 0))
            continue;
          /* From now on it is a line of text, in this layout and when drawn. */
          unshown->kind = BLOCK_ROW;
          unshown->label = g_strdup ("");
          unshown->text = g_strdup (_("This photo is too large or damaged to show here; "
                                      "it is in the opened file."));
        }
      layout = layout_for_block (context, block, content_width);
      /* A caption is kept with at least a third of a page of its photo. */
      if (block->kind == BLOCK_CAPTION)
        pager_make_room (&pager, first_line_height (layout) + GAP * 2
                                 + (pager.bottom - pager.top) / 3);
      place_text (&pager, i, layout, block->kind == BLOCK_CAPTION ? GAP * 2 : GAP / 2);
      if (block->kind == BLOCK_TITLE)
        pager.y += GAP;
      if (block->kind == BLOCK_CAPTION)
        pager.y += GAP / 2;
    }
  g_object_unref (context);
  return self->pages->len;
}

/* An amber band behind a warning row's placed lines, its label included,
 * and the text on it in dark brown: it stands out in print and on screen,
 * and still reads in black and white. */
static void
draw_warning_background (PhotosealReport   *self,
                         cairo_t           *cr,
                         PangoLayout       *layout,
                         const Placement   *placement)
{
  g_autoptr(PangoLayoutIter) iter = pango_layout_get_iter (layout);
  double top = -1, bottom = 0;
  int line = 0;

  do
    {
      PangoRectangle extents;

      pango_layout_iter_get_line_extents (iter, NULL, &extents);
      if (line >= placement->first_line && line < placement->first_line + placement->n_lines)
        {
          if (top < 0)
            top = (double) extents.y / PANGO_SCALE;
          bottom = (double) (extents.y + extents.height) / PANGO_SCALE;
        }
      line++;
    }
  while (pango_layout_iter_next_line (iter));

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1.0, 0.90, 0.65);
  cairo_rectangle (cr, MARGIN - GAP / 2, placement->y - GAP / 4,
                   self->page_width - 2 * MARGIN + GAP, bottom - top + GAP / 2);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_set_source_rgb (cr, 0.40, 0.20, 0.0);
}

static void
draw_text (PhotosealReport  *self,
           cairo_t          *cr,
           PangoContext     *context,
           const Placement  *placement)
{
  const Block *block = &g_array_index (self->blocks, Block, placement->block);
  double content_width = self->page_width - 2 * MARGIN;
  double x = MARGIN + (block->kind == BLOCK_ROW ? LABEL_WIDTH : 0);
  g_autoptr(PangoLayout) layout = layout_for_block (context, block, content_width);
  g_autoptr(PangoLayoutIter) iter = pango_layout_get_iter (layout);
  double top = 0;
  int line = 0;

  if (block->warning)
    draw_warning_background (self, cr, layout, placement);
  do
    {
      PangoRectangle extents;

      pango_layout_iter_get_line_extents (iter, NULL, &extents);
      if (line == placement->first_line)
        top = (double) extents.y / PANGO_SCALE;
      if (line >= placement->first_line && line < placement->first_line + placement->n_lines)
        {
          double baseline = (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE;

          cairo_move_to (cr, x, placement->y + baseline - top);
          pango_cairo_show_layout_line (cr, pango_layout_iter_get_line_readonly (iter));
        }
      line++;
    }
  while (pango_layout_iter_next_line (iter));

  if (block->kind == BLOCK_ROW && placement->first_line == 0)
    {
      Block label = { BLOCK_CAPTION, NULL, block->label, 0 };
      g_autoptr(PangoLayout) label_layout = layout_for_block (context, &label, LABEL_WIDTH - GAP);

      cairo_move_to (cr, MARGIN, placement->y);
      pango_cairo_show_layout (cr, label_layout);
    }
  cairo_set_source_rgb (cr, 0, 0, 0);
}

static void
draw_image (PhotosealReport *self,
            cairo_t         *cr,
            const Placement *placement)
{
  const Block *block = &g_array_index (self->blocks, Block, placement->block);
  g_autoptr(GdkPixbuf) pixbuf = decode_image (&g_array_index (self->images, Image, block->image));
  cairo_surface_t *surface;

  if (pixbuf == NULL)
    return;
  surface = surface_from_pixbuf (pixbuf);
  cairo_save (cr);
  cairo_translate (cr, MARGIN, placement->y);
  cairo_scale (cr, placement->width / gdk_pixbuf_get_width (pixbuf),
               placement->height / gdk_pixbuf_get_height (pixbuf));
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
}

static void
draw_footer (PhotosealReport *self,
             cairo_t         *cr,
             PangoContext    *context,
             guint            page)
{
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  Block footer = { BLOCK_CAPTION, NULL, NULL, 0 };

  /* Translators: the footer of every page of a report. */
  text = g_strdup_printf (_("%s — page %u of %u"), self->file_name ? self->file_name : "",
                          page + 1, self->pages->len);
  footer.text = text;
  layout = layout_for_block (context, &footer, self->page_width - 2 * MARGIN);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  cairo_move_to (cr, MARGIN, self->page_height - MARGIN);
  pango_cairo_show_layout (cr, layout);
}

/**
 * photoseal_report_draw_page:
 * @cr: a cairo context whose unit is the point
 * @page: a page number from 0, below what photoseal_report_paginate() returned
 */
void
photoseal_report_draw_page (PhotosealReport *self,
                            cairo_t         *cr,
                            guint            page)
{
  PangoContext *context = new_context ();
  GArray *placements;

  g_return_if_fail (PHOTOSEAL_IS_REPORT (self));
  g_return_if_fail (page < self->pages->len);

  placements = g_ptr_array_index (self->pages, page);
  pango_cairo_update_context (cr, context);
  pango_cairo_context_set_resolution (context, 72.0);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < placements->len; i++)
    {
      const Placement *placement = &g_array_index (placements, Placement, i);
      const Block *block = &g_array_index (self->blocks, Block, placement->block);

      if (block->kind == BLOCK_IMAGE)
        draw_image (self, cr, placement);
      else
        draw_text (self, cr, context, placement);
    }
  draw_footer (self, cr, context, page);
  g_object_unref (context);
}

/**
 * photoseal_report_get_locale_paper:
 * @width: (out): in points
 * @height: (out): in points
 *
 * The paper of the user's locale (LC_PAPER): US Letter where that is the
 * custom, A4 everywhere else.
 */
void
photoseal_report_get_locale_paper (double *width,
                                   double *height)
{
  union { const char *string; unsigned int millimetres; } paper_width;

  paper_width.string = nl_langinfo (_NL_PAPER_WIDTH);
  if (paper_width.millimetres == 216)
    *width = 612, *height = 792;
  else
    *width = 595.28, *height = 841.89;
}

typedef struct
{
  GOutputStream *stream;
  GCancellable *cancellable;
  GError *error;
} PdfWriter;

static cairo_status_t
write_pdf_bytes (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  PdfWriter *writer = closure;

  if (writer->error != NULL
      || !g_output_stream_write_all (writer->stream, data, length, NULL, writer->cancellable,
                                     &writer->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/**
 * photoseal_report_set_progress_func:
 * @func: (nullable): called with the pages written and the pages in all,
 *   from the thread writing the PDF, after each page
 *
 * Lets photoseal_report_write_pdf() say how far it has got.
 */
void
photoseal_report_set_progress_func (PhotosealReport       *self,
                                    PhotosealProgressFunc  func,
                                    gpointer               user_data)
{
  g_return_if_fail (PHOTOSEAL_IS_REPORT (self));

  self->progress = func;
  self->progress_data = user_data;
}

/**
 * photoseal_report_write_pdf:
 * @destination: the PDF to write; it appears complete or not at all
 *
 * Writes the report as a PDF on the paper of the user's locale.
 */
gboolean
photoseal_report_write_pdf (PhotosealReport *self,
                            GFile           *destination,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr(PhotosealAtomicFile) atomic = NULL;
  PdfWriter writer = { NULL, cancellable, NULL };
  cairo_surface_t *surface;
  cairo_status_t status;
  double width, height;
  guint n_pages;
  cairo_t *cr;

  g_return_val_if_fail (PHOTOSEAL_IS_REPORT (self), FALSE);

  if (!(atomic = photoseal_atomic_file_new (destination, error)))
    return FALSE;
  writer.stream = photoseal_atomic_file_get_stream (atomic);
  photoseal_report_get_locale_paper (&width, &height);
  n_pages = photoseal_report_paginate (self, width, height);
  surface = cairo_pdf_surface_create_for_stream (write_pdf_bytes, &writer, width, height);
  /* No patient data in the document's metadata, where indexers look. */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Photoseal");
  cr = cairo_create (surface);
  for (guint page = 0; page < n_pages && !g_cancellable_is_cancelled (cancellable); page++)
    {
      photoseal_report_draw_page (self, cr, page);
      cairo_show_page (cr);
      if (self->progress != NULL)
        self->progress (page + 1, n_pages, self->progress_data);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (writer.error != NULL)
    return g_propagate_error (error, writer.error), FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the report: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return photoseal_atomic_file_commit (atomic, error);
}
