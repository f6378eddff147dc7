/* photoseal-address.h: email addresses, one spelling each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PhotosealNamedAddress:
 * @name: (nullable): the display name given with the address
 * @email: the normalised address
 */
typedef struct
{
  char *name;
  char *email;
} PhotosealNamedAddress;

void       photoseal_named_address_free  (PhotosealNamedAddress  *self);
char      *photoseal_address_normalize   (const char             *address,
                                          GError                **error);
GPtrArray *photoseal_address_parse_list  (const char             *text,
                                          GError                **error);
char      *photoseal_address_suggest     (const char             *address,
                                          const char * const     *known);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhotosealNamedAddress, photoseal_named_address_free)

G_END_DECLS
