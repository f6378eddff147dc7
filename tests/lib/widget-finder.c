/* widget-finder.c: reaching the app's real widgets from tests and benchmarks
 *
 * Widgets are found by the id their template gives them, and drops go
 * through the widget's own GtkDropTarget, as a drag from a file manager
 * would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "widget-finder.h"

/* The widget below @root (or @root) whose template id is @id. */
GtkWidget *
widget_finder_by_id (GtkWidget  *root,
                     const char *id)
{
  if (GTK_IS_BUILDABLE (root)
      && g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (root)), id) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = widget_finder_by_id (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkDropTarget *
widget_finder_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

/* Drops @files on @widget's drop target; %TRUE when it took them. */
gboolean
widget_finder_drop_files (GtkWidget  *widget,
                          GFile     **files,
                          guint       n_files)
{
  GtkDropTarget *target = widget_finder_drop_target (widget);
  g_autoslist(GFile) list = NULL;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_return_val_if_fail (target != NULL, FALSE);

  for (guint i = n_files; i > 0; i--)
    list = g_slist_prepend (list, g_object_ref (files[i - 1]));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  return accepted;
}
