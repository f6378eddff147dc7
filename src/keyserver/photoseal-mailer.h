/* photoseal-mailer.h: mail through an SMTP relay
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PHOTOSEAL_TYPE_MAILER (photoseal_mailer_get_type ())

G_DECLARE_FINAL_TYPE (PhotosealMailer, photoseal_mailer, PHOTOSEAL, MAILER, GObject)

PhotosealMailer *photoseal_mailer_new         (const char       *smtp_url,
                                               const char       *user,
                                               const char       *password_file,
                                               const char       *mail_from,
                                               GError          **error);
void             photoseal_mailer_set_timeout (PhotosealMailer  *self,
                                               guint             seconds);
const char      *photoseal_mailer_get_from    (PhotosealMailer  *self);
gboolean         photoseal_mailer_get_requires_tls (PhotosealMailer *self);
void             photoseal_mailer_send_async  (PhotosealMailer  *self,
                                               const char       *to,
                                               const char       *subject,
                                               const char       *body,
                                               GCancellable     *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer          user_data);
gboolean         photoseal_mailer_send_finish (PhotosealMailer  *self,
                                               GAsyncResult     *result,
                                               GError          **error);
gboolean         photoseal_mailer_send        (PhotosealMailer  *self,
                                               const char       *to,
                                               const char       *subject,
                                               const char       *body,
                                               GError          **error);

G_END_DECLS
