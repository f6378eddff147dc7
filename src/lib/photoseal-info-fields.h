/* photoseal-info-fields.h: the properties of a plain typed object, from a table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  PHOTOSEAL_INFO_STRING,    /* char *, a string property */
  PHOTOSEAL_INFO_TIME,      /* GDateTime *, a boxed property */
  PHOTOSEAL_INFO_STRV,      /* char **, a boxed GStrv property */
  PHOTOSEAL_INFO_BOOLEAN,   /* gboolean */
  PHOTOSEAL_INFO_COUNT,     /* gint64, 0 or more */
  PHOTOSEAL_INFO_ENUM,      /* an enum of @enum_type, 0 by default */
  PHOTOSEAL_INFO_LIST,      /* GListModel *, or NULL */
} PhotosealInfoKind;

/* One read-write property, kept at @offset in the instance struct. */
typedef struct
{
  const char *name;
  const char *blurb;
  PhotosealInfoKind kind;
  gsize offset;
  GType (*enum_type) (void);
} PhotosealInfoField;

#define PHOTOSEAL_INFO_FIELD(Type, member, name, kind, blurb) \
  { name, blurb, PHOTOSEAL_INFO_##kind, G_STRUCT_OFFSET (Type, member), NULL }
#define PHOTOSEAL_INFO_ENUM_FIELD(Type, member, name, get_type, blurb) \
  { name, blurb, PHOTOSEAL_INFO_ENUM, G_STRUCT_OFFSET (Type, member), get_type }

void photoseal_info_fields_install (GObjectClass             *klass,
                                    const PhotosealInfoField *fields,
                                    guint                     n_fields);

G_END_DECLS
