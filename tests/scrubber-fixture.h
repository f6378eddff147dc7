/* scrubber-fixture.h: what the scrubber tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "photoseal.h"

G_BEGIN_DECLS

#define BIG_READ 65536

/* A temporary folder per test, for the images it makes. */
typedef struct
{
  char *dir;
} Fixture;

void        fixture_set_up      (Fixture             *fixture,
                                 gconstpointer        data);
void        fixture_tear_down   (Fixture             *fixture,
                                 gconstpointer        data);
char       *fixture_path        (Fixture             *fixture,
                                 const char          *name);
GBytes     *read_bytes          (const char          *path);
char       *write_bytes         (Fixture             *fixture,
                                 const char          *name,
                                 GBytes              *contents);
void        run                 (const char * const  *argv);
const char *require_exiftool    (void);
JsonObject *read_tags           (const char          *exiftool,
                                 const char          *path);
void        assert_has_tags     (const char          *exiftool,
                                 const char          *path,
                                 const char * const  *names);
char       *save_pixbuf         (Fixture             *fixture,
                                 const char          *name,
                                 int                  width,
                                 int                  height);
char       *make_camera_jpeg    (Fixture             *fixture,
                                 const char          *exiftool);
void        assert_same_pixels  (const char          *expected_path,
                                 const char          *actual_path);
void        assert_bytes_equal  (GBytes              *actual,
                                 GBytes              *expected);
GBytes     *scrub_file          (GConverter          *scrubber,
                                 const char          *path,
                                 gsize                read_size,
                                 GError             **error);
GBytes     *scrub_bytes         (GConverter          *scrubber,
                                 GBytes              *input,
                                 GError             **error);
char       *scrub_to_file       (Fixture             *fixture,
                                 const char          *path,
                                 const char          *name,
                                 PhotosealMetadata   *removed);
GBytes     *convert_in_pieces   (GConverter          *converter,
                                 GBytes              *input,
                                 gsize                in_step,
                                 gsize               *max_window,
                                 GError             **error);
void        assert_scrub_fails  (GConverter          *scrubber,
                                 const char          *path,
                                 const char          *message_prefix);
void        check_small_reads   (const char          *input,
                                 GConverter          *scrubber);
void        check_small_buffers (const char          *input,
                                 GConverter          *scrubber,
                                 gsize                max_window);

G_END_DECLS
