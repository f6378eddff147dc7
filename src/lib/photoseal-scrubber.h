/* photoseal-scrubber.h: the base class of the metadata scrubbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal-metadata.h"

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_SCRUBBER (photoseal_scrubber_get_type ())

G_DECLARE_DERIVABLE_TYPE (PhotosealScrubber, photoseal_scrubber, PHOTOSEAL, SCRUBBER, GObject)

/* What one step of a scrubber's state machine came to. */
typedef enum
{
  PHOTOSEAL_SCRUB_STEP_PROGRESS,
  PHOTOSEAL_SCRUB_STEP_NEED_INPUT,
  PHOTOSEAL_SCRUB_STEP_NEED_SPACE,
  PHOTOSEAL_SCRUB_STEP_FINISHED,
  PHOTOSEAL_SCRUB_STEP_ERROR,
} PhotosealScrubStep;

/* The buffers of one g_converter_convert() call and how far it got;
 * photoseal-scrubber-private.h opens it to subclasses. */
typedef struct _PhotosealScrubCursor PhotosealScrubCursor;

/**
 * PhotosealScrubberClass:
 * @format_name: the image format, as in "not a valid JPEG image"
 * @step: moves the scrubber on by one step of its state machine; it may
 *   look at the input through @c and consume it, or hand bytes back to
 *   the base class with photoseal_scrubber_copy() and its siblings
 * @describe_truncation: says why the input cannot end where it stopped
 * @reset: forgets the subclass's state, to scrub a new file
 *
 * The base class is the GConverter; a subclass knows only how its format
 * is laid out.
 */
struct _PhotosealScrubberClass
{
  GObjectClass parent_class;

  const char *format_name;

  PhotosealScrubStep (*step)                (PhotosealScrubber          *self,
                                             PhotosealScrubCursor       *c,
                                             GError                    **error);
  const char        *(*describe_truncation) (PhotosealScrubber          *self,
                                             const PhotosealScrubCursor *c);
  void               (*reset)               (PhotosealScrubber          *self);

  /*< private >*/
  gpointer padding[8];
};


const char *photoseal_scrubber_get_format_name (PhotosealScrubber *self);

G_END_DECLS
