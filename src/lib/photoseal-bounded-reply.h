/* photoseal-bounded-reply.h: an HTTP exchange with a size cap and a deadline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

void    photoseal_bounded_reply_send_async  (SoupSession          *session,
                                             SoupMessage          *msg,
                                             gsize                 max_size,
                                             guint                 deadline_seconds,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GBytes *photoseal_bounded_reply_send_finish (GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
