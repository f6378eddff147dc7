/* widget-finder.h: reaching the app's real widgets from tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget     *widget_finder_by_id          (GtkWidget  *root,
                                             const char *id);
GtkDropTarget *widget_finder_drop_target    (GtkWidget  *widget);
gboolean       widget_finder_drop_files     (GtkWidget  *widget,
                                             GFile     **files,
                                             guint       n_files);

G_END_DECLS
