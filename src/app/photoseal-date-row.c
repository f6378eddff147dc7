/* photoseal-date-row.c: a day, typed or picked from a calendar
 *
 * An entry row with a calendar button beside it. Typed text is read by
 * photoseal-date (the locale's order of numbers, ISO, or a month name);
 * a day picked in the calendar is written back as photoseal-date shows
 * days ("31 Jan 1970"), so what the row shows can never be misread. The
 * row says when the text is not a day: the "error" style, and the
 * "error" property for a visible hint (the page decides where).
 *
 * "date-of-birth" adds the library's rule for a date of birth (not in the
 * future); otherwise the day must be today or later (a last day).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-date-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "photoseal.h"
#include "photoseal-date-row.h"

struct _PhotosealDateRow
{
  AdwEntryRow parent_instance;

  gboolean date_of_birth;
  char *date;
  char *error;
  GtkWidget *button;
  GtkCalendar *calendar;
};

G_DEFINE_FINAL_TYPE (PhotosealDateRow, photoseal_date_row, ADW_TYPE_ENTRY_ROW)

enum {
  PROP_0,
  PROP_DATE_OF_BIRTH,
  PROP_DATE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The typed day as YYYY-MM-DD, or %NULL with the reason. */
static char *
parse (PhotosealDateRow  *self,
       const char        *text,
       GError           **error)
{
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  if (self->date_of_birth)
    return photoseal_date_parse_date_of_birth (text, error);
  if (!(iso = photoseal_date_parse_day_in_order (text, photoseal_date_locale_order (), NULL)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is an example day in the locale's order. */
                   _("Write the last day as %s, 31 Jan 2030 or 2030-01-31"),
                   g_str_equal (photoseal_date_locale_order (), "MDY") ? "01/31/2030"
                   : g_str_equal (photoseal_date_locale_order (), "YMD") ? "2030/01/31"
                   : "31/01/2030");
      return NULL;
    }
  if (strcmp (iso, today) < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The last day must be today or later"));
      return NULL;
    }
  return g_steal_pointer (&iso);
}

static void
text_changed_cb (PhotosealDateRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self));
  g_autoptr(GError) error = NULL;

  g_assert (PHOTOSEAL_IS_DATE_ROW (self));

  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->error, g_free);
  if (*text != '\0' && !(self->date = parse (self, text, &error)))
    self->error = g_strdup (error->message);
  if (self->error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
day_selected_cb (PhotosealDateRow *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->calendar);
  g_autofree char *text = photoseal_date_format_day (day);

  g_assert (PHOTOSEAL_IS_DATE_ROW (self));

  gtk_editable_set_text (GTK_EDITABLE (self), text);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
}

/* The calendar opens on the typed day, or on today. */
static void
popover_shown_cb (PhotosealDateRow *self)
{
  g_autoptr(GDateTime) day = NULL;

  g_assert (PHOTOSEAL_IS_DATE_ROW (self));

  if (self->date != NULL)
    {
      g_autofree char *noon = g_strconcat (self->date, "T12:00:00", NULL);
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();

      day = g_date_time_new_from_iso8601 (noon, local);
    }
  if (day == NULL)
    day = g_date_time_new_now_local ();
  /* Showing a day is not picking it. */
  g_signal_handlers_block_by_func (self->calendar, day_selected_cb, self);
  gtk_calendar_select_day (self->calendar, day);
  g_signal_handlers_unblock_by_func (self->calendar, day_selected_cb, self);
  gtk_widget_grab_focus (GTK_WIDGET (self->calendar));
}

static void
add_calendar_button (PhotosealDateRow *self)
{
  GtkWidget *popover = gtk_popover_new ();

  self->calendar = GTK_CALENDAR (gtk_calendar_new ());
  gtk_popover_set_child (GTK_POPOVER (popover), GTK_WIDGET (self->calendar));
  self->button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->button), "x-office-calendar-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), popover);
  gtk_widget_set_valign (self->button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->button, "flat");
  gtk_widget_set_tooltip_text (self->button, _("Pick from a Calendar"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Pick from a Calendar"), -1);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self), self->button);

  g_signal_connect_object (popover, "show", G_CALLBACK (popover_shown_cb), self,
                           G_CONNECT_SWAPPED);
  /* "day-selected" only: moving through months with the arrows changes
   * the shown month, not the chosen day. */
  g_signal_connect_object (self->calendar, "day-selected", G_CALLBACK (day_selected_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
photoseal_date_row_finalize (GObject *object)
{
  PhotosealDateRow *self = (PhotosealDateRow *)object;

  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (photoseal_date_row_parent_class)->finalize (object);
}

static void
photoseal_date_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PhotosealDateRow *self = PHOTOSEAL_DATE_ROW (object);

  switch (prop_id)
    {
    case PROP_DATE_OF_BIRTH:
      g_value_set_boolean (value, self->date_of_birth);
      break;
    case PROP_DATE:
      g_value_set_string (value, self->date);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_date_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PhotosealDateRow *self = PHOTOSEAL_DATE_ROW (object);

  switch (prop_id)
    {
    case PROP_DATE_OF_BIRTH:
      self->date_of_birth = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_date_row_class_init (PhotosealDateRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = photoseal_date_row_finalize;
  object_class->get_property = photoseal_date_row_get_property;
  object_class->set_property = photoseal_date_row_set_property;

  properties[PROP_DATE_OF_BIRTH] =
    g_param_spec_boolean ("date-of-birth", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATE] =
    g_param_spec_string ("date", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
photoseal_date_row_init (PhotosealDateRow *self)
{
  add_calendar_button (self);
  g_signal_connect (self, "changed", G_CALLBACK (text_changed_cb), NULL);
}

/* The day as YYYY-MM-DD; %NULL when nothing or no valid day is typed. */
const char *
photoseal_date_row_get_date (PhotosealDateRow *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_DATE_ROW (self), NULL);

  return self->date;
}

/* Why the typed text is not a day, or %NULL (also when it is empty). */
const char *
photoseal_date_row_get_error (PhotosealDateRow *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_DATE_ROW (self), NULL);

  return self->error;
}
