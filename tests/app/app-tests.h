/* app-tests.h: every app test, registered in order by test-app.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* test-app-account.c */
void test_sign_in (void);
void test_restore (void);
void test_first_run_ready (void);
void test_sign_out_and_register (void);

/* test-app-compose.c */
void test_compose (void);
void test_close_while_sealing (void);
void test_failed_seal (void);
void test_markup_in_toast (void);
void test_heic_accepted (void);
void test_sealed_access_code (void);
void test_sealed_large (void);

/* test-app-identity.c */
void test_create_account (void);
void test_invited_sign_up (void);
void test_devices (void);
void test_change_password (void);
void test_sign_in_again (void);
void test_typo_recipient (void);
void identity_server_stop (void);

/* test-app-sent.c */
void test_sent (void);
void test_sent_manage (void);
void test_sent_refresh (void);
void test_sent_refresh_failed (void);
void test_sent_damaged_labels (void);
void test_narrow (void);

/* test-app-viewer.c */
void test_open (void);
void test_report (void);
void test_large_items (void);
void test_revoked (void);
void test_access_code (void);
void test_expired (void);
void test_forged_sender (void);
void test_damaged (void);
void test_unknown_server (void);
void test_markup_in_origin (void);
void test_markup_in_server_error (void);
void test_huge_image (void);
void test_export_names (void);

/* test-app-window.c */
void test_fresh_window_keys (void);
void test_quit (void);
void test_account_button (void);

G_END_DECLS
