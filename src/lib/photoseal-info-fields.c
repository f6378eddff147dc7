/* photoseal-info-fields.c
 *
 * The typed objects the key-server client returns (PhotosealKeyInfo,
 * PhotosealAuditEvent, PhotosealAccountInfo, PhotosealRecipientInfo,
 * PhotosealDeviceInfo) are plain bags of properties. Each class lists its fields once, in a table;
 * this file makes the param specs from it and gets, sets and frees the
 * fields, so that no class repeats a switch per property.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-info-fields"

#include "config.h"

#include "photoseal-info-fields.h"
#include "photoseal-text.h"

#define FLAGS (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

typedef struct
{
  const PhotosealInfoField *fields;
  guint n_fields;
} FieldTable;

static GQuark
table_quark (void)
{
  return g_quark_from_static_string ("photoseal-info-fields");
}

/* The field behind @prop_id (property ids are table index + 1), and where
 * @object keeps it. */
static const PhotosealInfoField *
field_of (GObject  *object,
          guint     prop_id,
          gpointer *slot)
{
  const FieldTable *table = g_type_get_qdata (G_OBJECT_TYPE (object), table_quark ());

  g_assert (table != NULL && prop_id >= 1 && prop_id <= table->n_fields);
  *slot = G_STRUCT_MEMBER_P (object, table->fields[prop_id - 1].offset);
  return &table->fields[prop_id - 1];
}

static void
get_property (GObject    *object,
              guint       prop_id,
              GValue     *value,
              GParamSpec *pspec)
{
  gpointer slot;
  const PhotosealInfoField *field = field_of (object, prop_id, &slot);

  switch (field->kind)
    {
    case PHOTOSEAL_INFO_STRING:
      g_value_set_string (value, *(char **) slot);
      break;
    case PHOTOSEAL_INFO_TIME:
    case PHOTOSEAL_INFO_STRV:
      g_value_set_boxed (value, *(gpointer *) slot);
      break;
    case PHOTOSEAL_INFO_BOOLEAN:
      g_value_set_boolean (value, *(gboolean *) slot);
      break;
    case PHOTOSEAL_INFO_COUNT:
      g_value_set_int64 (value, *(gint64 *) slot);
      break;
    case PHOTOSEAL_INFO_ENUM:
      g_value_set_enum (value, *(gint *) slot);
      break;
    case PHOTOSEAL_INFO_LIST:
      g_value_set_object (value, *(gpointer *) slot);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
free_field (const PhotosealInfoField *field,
            gpointer                  slot)
{
  if (field->kind == PHOTOSEAL_INFO_STRING)
    g_clear_pointer ((char **) slot, g_free);
  else if (field->kind == PHOTOSEAL_INFO_TIME)
    g_clear_pointer ((GDateTime **) slot, g_date_time_unref);
  else if (field->kind == PHOTOSEAL_INFO_STRV)
    g_clear_pointer ((char ***) slot, g_strfreev);
  else if (field->kind == PHOTOSEAL_INFO_LIST)
    g_clear_object ((GListModel **) slot);
}

/* Whether the field changed, so that it is notified only then (boxed
 * values are not compared, and always count as changed). */
static gboolean
set_field (const PhotosealInfoField *field,
           gpointer                  slot,
           const GValue             *value)
{
  switch (field->kind)
    {
    case PHOTOSEAL_INFO_STRING:
      return photoseal_set_string ((char **) slot, g_value_get_string (value));
    case PHOTOSEAL_INFO_TIME:
    case PHOTOSEAL_INFO_STRV:
      free_field (field, slot);
      *(gpointer *) slot = g_value_dup_boxed (value);
      return TRUE;
    case PHOTOSEAL_INFO_BOOLEAN:
      if (*(gboolean *) slot == g_value_get_boolean (value))
        return FALSE;
      *(gboolean *) slot = g_value_get_boolean (value);
      return TRUE;
    case PHOTOSEAL_INFO_COUNT:
      if (*(gint64 *) slot == g_value_get_int64 (value))
        return FALSE;
      *(gint64 *) slot = g_value_get_int64 (value);
      return TRUE;
    case PHOTOSEAL_INFO_ENUM:
      if (*(gint *) slot == g_value_get_enum (value))
        return FALSE;
      *(gint *) slot = g_value_get_enum (value);
      return TRUE;
    case PHOTOSEAL_INFO_LIST:
      return g_set_object ((GListModel **) slot, g_value_get_object (value));
    default:
      g_assert_not_reached ();
    }
}

static void
set_property (GObject      *object,
              guint         prop_id,
              const GValue *value,
              GParamSpec   *pspec)
{
  gpointer slot;
  const PhotosealInfoField *field = field_of (object, prop_id, &slot);

  if (set_field (field, slot, value))
    g_object_notify_by_pspec (object, pspec);
}

/* The classes are final: the parent of the instance's class is the one
 * to chain up to. */
static void
finalize (GObject *object)
{
  const FieldTable *table = g_type_get_qdata (G_OBJECT_TYPE (object), table_quark ());
  GObjectClass *parent = g_type_class_peek_parent (G_OBJECT_GET_CLASS (object));

  for (guint i = 0; i < table->n_fields; i++)
    free_field (&table->fields[i], G_STRUCT_MEMBER_P (object, table->fields[i].offset));
  parent->finalize (object);
}

static GParamSpec *
param_spec_for (const PhotosealInfoField *field)
{
  switch (field->kind)
    {
    case PHOTOSEAL_INFO_STRING:
      return g_param_spec_string (field->name, NULL, field->blurb, NULL, FLAGS);
    case PHOTOSEAL_INFO_TIME:
      return g_param_spec_boxed (field->name, NULL, field->blurb, G_TYPE_DATE_TIME, FLAGS);
    case PHOTOSEAL_INFO_STRV:
      return g_param_spec_boxed (field->name, NULL, field->blurb, G_TYPE_STRV, FLAGS);
    case PHOTOSEAL_INFO_BOOLEAN:
      return g_param_spec_boolean (field->name, NULL, field->blurb, FALSE, FLAGS);
    case PHOTOSEAL_INFO_COUNT:
      return g_param_spec_int64 (field->name, NULL, field->blurb, 0, G_MAXINT64, 0, FLAGS);
    case PHOTOSEAL_INFO_ENUM:
      return g_param_spec_enum (field->name, NULL, field->blurb, field->enum_type (), 0, FLAGS);
    case PHOTOSEAL_INFO_LIST:
      return g_param_spec_object (field->name, NULL, field->blurb, G_TYPE_LIST_MODEL, FLAGS);
    default:
      g_assert_not_reached ();
    }
}

/**
 * photoseal_info_fields_install:
 * @klass: the class of a final type, from its class_init
 * @fields: (array length=n_fields): its fields, static; property ids
 *   follow their order, from 1
 *
 * Installs one read-write property per field, and the class's
 * get_property, set_property and finalize, which free every field.
 */
void
photoseal_info_fields_install (GObjectClass             *klass,
                               const PhotosealInfoField *fields,
                               guint                     n_fields)
{
  FieldTable *table = g_new (FieldTable, 1);

  table->fields = fields;
  table->n_fields = n_fields;
  g_type_set_qdata (G_OBJECT_CLASS_TYPE (klass), table_quark (), table);
  klass->get_property = get_property;
  klass->set_property = set_property;
  klass->finalize = finalize;
  for (guint i = 0; i < n_fields; i++)
    g_object_class_install_property (klass, i + 1, param_spec_for (&fields[i]));
}
