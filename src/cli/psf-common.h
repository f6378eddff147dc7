/* psf-common.h: what every psf verb shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "photoseal.h"

G_BEGIN_DECLS

/* Exit codes, documented in the README: scripts may rely on them. */
typedef enum
{
  PSF_EXIT_OK = 0,
  PSF_EXIT_FAILURE = 1,
  PSF_EXIT_USAGE = 2,
  PSF_EXIT_DENIED = 3,
  PSF_EXIT_DAMAGED = 4,
  PSF_EXIT_INTERRUPTED = 130,
} PsfExit;

typedef int (*PsfVerbFunc) (int argc, char **argv);

int   psf_seal            (int argc, char **argv);
int   psf_open            (int argc, char **argv);
int   psf_inspect         (int argc, char **argv);
int   psf_login           (int argc, char **argv);
int   psf_logout          (int argc, char **argv);
int   psf_keys            (int argc, char **argv);
int   psf_audit           (int argc, char **argv);
int   psf_revoke          (int argc, char **argv);
int   psf_identity        (int argc, char **argv);
int   psf_update          (int argc, char **argv);

PsfExit  psf_fail            (const char     *subject,
                              const GError   *error);
void     psf_print_error     (const char     *format,
                              ...) G_GNUC_PRINTF (1, 2);
PsfExit  psf_usage           (const char     *verb,
                              const char     *format,
                              ...) G_GNUC_PRINTF (2, 3);
gboolean psf_parse_options   (GOptionContext *context,
                              int            *argc,
                              char         ***argv,
                              int            *exit_code);
char    *psf_read_secret     (const char     *variable,
                              const char     *prompt,
                              gboolean        confirm,
                              GError        **error);
void     psf_show_progress   (guint64         done,
                              guint64         total,
                              gpointer        label);
void     psf_end_progress    (void);
GCancellable *psf_get_cancellable (void);
GBufferedInputStream *psf_open_input (const char *path,
                                      goffset    *size,
                                      GError    **error);
const char *psf_input_name        (const char *path);
PhotosealServerKeyRef *psf_resolve_key (const char *target,
                                        GError    **error);
GDateTime *psf_parse_expires  (const char     *text,
                               GError        **error);


PhotosealKeyserverClient *psf_signed_in_client (const char  *server,
                                                char       **email,
                                                GError     **error);

G_END_DECLS
