/* photoseal-keyserver-admin.h: opening the store, and the admin subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-keyserver-options.h"
#include "photoseal-master-key.h"
#include "photoseal-store.h"

G_BEGIN_DECLS

int                 photoseal_admin_fail            (const char                *format,
                                                     ...) G_GNUC_PRINTF (1, 2);

PhotosealStore     *photoseal_admin_open_store      (PhotosealKeyserverOptions *options,
                                                     GError                   **error);
PhotosealMasterKey *photoseal_admin_open_master_key (PhotosealKeyserverOptions *options,
                                                     PhotosealStore            *store,
                                                     GError                   **error);

int                 photoseal_admin_user            (PhotosealKeyserverOptions *options,
                                                     int                        argc,
                                                     char                     **argv);
int                 photoseal_admin_verify_audit   (PhotosealKeyserverOptions *options,
                                                    const char                *expect_head,
                                                    guint64                    expect_count);
int                 photoseal_admin_backup          (PhotosealKeyserverOptions *options,
                                                     const char                *destination);
int                 photoseal_admin_restore         (PhotosealKeyserverOptions *options,
                                                     const char                *backup);

G_END_DECLS
