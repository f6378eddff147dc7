/* test-info-fields.c: the typed objects' properties, made from one table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "photoseal.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* Every kind of field reads back what was set, through the property and
 * the getter, and is freed with the object. */
static void
test_round_trip (void)
{
  static const char * const recipients[] = { "bob@example.org", "carol@example.org", NULL };
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 12, 5, 23, 0, 0);
  PhotosealKeyInfo *info = g_object_new (PHOTOSEAL_TYPE_KEY_INFO,
                                         "key-id", "AAAAAAAAAAAAAAAAAAAAAA",
                                         "status", "active", "created", created,
                                         "recipients", recipients, "has-access-code", TRUE,
                                         "releases", (gint64) 3, NULL);
  g_autofree char *status = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_auto(GStrv) got = NULL;
  gint64 releases = 0;

  g_assert_cmpstr (photoseal_key_info_get_key_id (info), ==, "AAAAAAAAAAAAAAAAAAAAAA");
  g_assert_true (g_date_time_equal (photoseal_key_info_get_created (info), created));
  g_assert_null (photoseal_key_info_get_expires (info));
  g_assert_cmpstrv (photoseal_key_info_get_recipients (info), recipients);
  g_assert_true (photoseal_key_info_get_has_access_code (info));
  g_object_get (info, "status", &status, "expires", &expires, "recipients", &got,
                "releases", &releases, NULL);
  g_assert_cmpstr (status, ==, "active");
  g_assert_null (expires);
  g_assert_cmpstrv (got, recipients);
  g_assert_cmpint (releases, ==, 3);
  g_assert_finalize_object (info);
}

/* A property is notified when it changes, and only then (boxed values
 * always count as changed). */
static void
test_notify_on_change (void)
{
  g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 12, 5, 23, 0, 0);
  PhotosealAuditEvent *event = g_object_new (PHOTOSEAL_TYPE_AUDIT_EVENT, "action", "release",
                                             NULL);
  PhotosealKeyInfo *info = g_object_new (PHOTOSEAL_TYPE_KEY_INFO, NULL);
  guint notified = 0;

  g_signal_connect (event, "notify", G_CALLBACK (count_notify), &notified);
  g_signal_connect (info, "notify", G_CALLBACK (count_notify), &notified);
  g_object_set (event, "action", "release", "actor", NULL, NULL);
  g_assert_cmpuint (notified, ==, 0);
  g_object_set (event, "action", "deny", "actor", "access-code", "at", at, NULL);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_cmpstr (photoseal_audit_event_get_actor (event), ==, "access-code");
  g_object_set (info, "has-access-code", FALSE, "releases", (gint64) 0, NULL);
  g_assert_cmpuint (notified, ==, 3);
  g_object_set (info, "has-access-code", TRUE, "releases", (gint64) 1, NULL);
  g_assert_cmpuint (notified, ==, 5);
  g_assert_finalize_object (event);
  g_assert_finalize_object (info);
}

/* Each class has its own table: the same property id means another field. */
static void
test_tables_per_class (void)
{
  PhotosealAccountInfo *account = g_object_new (PHOTOSEAL_TYPE_ACCOUNT_INFO,
                                                "email", "alice@example.org", "name", "Alice",
                                                NULL);
  PhotosealRecipientInfo *recipient = g_object_new (PHOTOSEAL_TYPE_RECIPIENT_INFO,
                                                    "email", "bob@example.org", NULL);
  guint notified = 0;
  PhotosealRecipientState state = PHOTOSEAL_RECIPIENT_INVALID;

  g_assert_cmpint (photoseal_recipient_info_get_state (recipient), ==,
                   PHOTOSEAL_RECIPIENT_UNKNOWN);
  g_signal_connect (recipient, "notify", G_CALLBACK (count_notify), &notified);
  g_object_set (recipient, "state", PHOTOSEAL_RECIPIENT_INVITED, NULL);
  g_object_set (recipient, "state", PHOTOSEAL_RECIPIENT_INVITED, NULL);
  g_object_get (recipient, "state", &state, NULL);
  g_assert_cmpint (state, ==, PHOTOSEAL_RECIPIENT_INVITED);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (photoseal_recipient_info_get_email (recipient), ==, "bob@example.org");
  g_assert_finalize_object (recipient);

  g_assert_cmpstr (photoseal_account_info_get_email (account), ==, "alice@example.org");
  g_assert_cmpstr (photoseal_account_info_get_name (account), ==, "Alice");
  g_assert_null (photoseal_account_info_get_created (account));
  g_assert_finalize_object (account);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/info-fields/round-trip", test_round_trip);
  g_test_add_func ("/info-fields/notify-on-change", test_notify_on_change);
  g_test_add_func ("/info-fields/tables-per-class", test_tables_per_class);
  return g_test_run ();
}
