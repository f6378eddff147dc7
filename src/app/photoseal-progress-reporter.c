/* photoseal-progress-reporter.c: a worker's progress, as a property on the main thread
 *
 * Sealing and opening report progress from a worker, once per 64 KiB. The
 * reporter keeps the latest figures under a mutex and has at most one idle
 * callback pending, which updates "fraction" on the main thread: a fast
 * worker cannot flood the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-progress-reporter"

#include "config.h"

#include "photoseal-progress-reporter.h"

struct _PhotosealProgressReporter
{
  GObject parent_instance;

  GMutex lock;
  guint64 done;
  guint64 total;
  gboolean pending;
  double fraction;
};

G_DEFINE_FINAL_TYPE (PhotosealProgressReporter, photoseal_progress_reporter, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
photoseal_progress_reporter_finalize (GObject *object)
{
  PhotosealProgressReporter *self = (PhotosealProgressReporter *)object;

  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (photoseal_progress_reporter_parent_class)->finalize (object);
}

static void
photoseal_progress_reporter_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  PhotosealProgressReporter *self = PHOTOSEAL_PROGRESS_REPORTER (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
photoseal_progress_reporter_class_init (PhotosealProgressReporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = photoseal_progress_reporter_finalize;
  object_class->get_property = photoseal_progress_reporter_get_property;

  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
photoseal_progress_reporter_init (PhotosealProgressReporter *self)
{
  g_mutex_init (&self->lock);
}

PhotosealProgressReporter *
photoseal_progress_reporter_new (void)
{
  return g_object_new (PHOTOSEAL_TYPE_PROGRESS_REPORTER, NULL);
}

double
photoseal_progress_reporter_get_fraction (PhotosealProgressReporter *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_PROGRESS_REPORTER (self), 0.0);

  return self->fraction;
}

static gboolean
update_fraction (gpointer user_data)
{
  PhotosealProgressReporter *self = user_data;

  g_mutex_lock (&self->lock);
  self->fraction = self->total > 0 ? MIN (1.0, (double) self->done / self->total) : 0.0;
  self->pending = FALSE;
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  return G_SOURCE_REMOVE;
}

/**
 * photoseal_progress_reporter_report:
 * @reporter: a #PhotosealProgressReporter
 *
 * A #PhotosealProgressFunc: call it from any thread.
 */
void
photoseal_progress_reporter_report (guint64  done,
                                    guint64  total,
                                    gpointer reporter)
{
  PhotosealProgressReporter *self = reporter;
  gboolean schedule;

  g_mutex_lock (&self->lock);
  self->done = done;
  self->total = total;
  schedule = !self->pending;
  self->pending = TRUE;
  g_mutex_unlock (&self->lock);
  if (schedule)
    g_idle_add_full (G_PRIORITY_DEFAULT, update_fraction, g_object_ref (self), g_object_unref);
}
