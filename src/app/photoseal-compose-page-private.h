/* photoseal-compose-page-private.h: what the compose page's files share
 *
 * The page is split by concern, as GNOME Text Editor splits its window:
 * photoseal-compose-page.c holds the form and its rules,
 * photoseal-compose-page-actions.c the actions (sealing and sharing), and
 * photoseal-compose-page-dnd.c the drop target and the adding of files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "photoseal-compose-page.h"
#include "photoseal-consent-group.h"
#include "photoseal-date-row.h"
#include "photoseal-recipient-editor.h"
#include "photoseal-seal-job.h"

G_BEGIN_DECLS

struct _PhotosealComposePage
{
  AdwBin parent_instance;

  PhotosealUser *user;
  GSettings *settings;
  GListStore *photos;
  PhotosealSealJob *job;
  GCancellable *cancellable;
  GFile *sealed_file;
  GStrv recipients;
  char *archive_recipient;
  GPtrArray *toasts;
  GDateTime *expires;
  PhotosealComposeState state;
  gboolean code_copied;
  gboolean no_patient_forced;

  GtkStack *state_stack;
  AdwStatusPage *drop_status;
  GtkFlowBox *photos_box;
  GtkWidget *empty_label;
  AdwEntryRow *recipients_row;
  PhotosealRecipientEditor *recipient_editor;
  GtkSwitch *access_code_switch;
  AdwComboRow *expiry_row;
  PhotosealDateRow *expiry_date_row;
  AdwEntryRow *patient_name_row;
  AdwEntryRow *patient_id_row;
  PhotosealDateRow *patient_dob_row;
  GtkCheckButton *no_patient_check;
  PhotosealConsentGroup *consent_group;
  AdwEntryRow *note_row;
  GtkSwitch *metadata_switch;
  GtkLabel *seal_hint;
  GtkScrolledWindow *form_scroller;
  GtkProgressBar *progress_bar;
  AdwStatusPage *done_status;
  GtkLabel *reach_label;
  GtkWidget *access_code_group;
  GtkLabel *access_code_label;
  GtkWidget *email_button;
  GtkWidget *large_file_label;
};

void             _photoseal_compose_page_class_actions_init (PhotosealComposePageClass *klass);
void             _photoseal_compose_page_actions_init       (PhotosealComposePage  *self);
void             _photoseal_compose_page_dnd_init           (PhotosealComposePage  *self);
void             _photoseal_compose_page_toast              (PhotosealComposePage  *self,
                                                             const char            *text);
void             _photoseal_compose_page_set_state          (PhotosealComposePage  *self,
                                                             PhotosealComposeState  state);
gboolean         _photoseal_compose_page_find_photo         (PhotosealComposePage  *self,
                                                             GFile                 *file,
                                                             guint                 *position);
gboolean         _photoseal_compose_page_validate           (PhotosealComposePage  *self,
                                                             GStrv                 *recipients);
GDateTime       *_photoseal_compose_page_chosen_expiry      (PhotosealComposePage  *self);
PhotosealSealer *_photoseal_compose_page_build_sealer       (PhotosealComposePage  *self);
void             _photoseal_compose_page_clear_form         (PhotosealComposePage  *self);

G_END_DECLS
