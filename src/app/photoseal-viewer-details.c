/* photoseal-viewer-details.c: who sent an opened file, for whom, with what consent
 *
 * The patient comes first and largest: it is what a clinician checks
 * before acting on a photo. Consent follows, in a warning style when it was
 * not obtained. The sender is the key's owner as the key server confirmed
 * it; the manifest's own claim is shown only beside a warning when the two
 * differ, or, for a file opened without the key server, marked as not
 * confirmed. Everything from the file is plain text, never markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "photoseal-viewer-details"

#include "config.h"

#include <glib/gi18n.h>

#include "photoseal-viewer-details.h"

struct _PhotosealViewerDetails
{
  AdwBin parent_instance;

  gboolean sender_differs;

  GtkWidget *sender_warning;
  GtkLabel *sender_warning_label;
  GtkWidget *patient_box;
  GtkLabel *patient_name;
  GtkLabel *patient_identifier;
  GtkLabel *patient_birth;
  GtkWidget *consent_box;
  GtkImage *consent_icon;
  GtkLabel *consent_label;
  GtkLabel *consent_purposes;
  GtkLabel *consent_note;
  GtkLabel *sender_label;
  GtkImage *confirmation_icon;
  GtkLabel *confirmation_label;
  GtkLabel *sealed_label;
  GtkWidget *note_box;
  GtkLabel *note_label;
};

G_DEFINE_FINAL_TYPE (PhotosealViewerDetails, photoseal_viewer_details, ADW_TYPE_BIN)

/* Sets @label to @text, or hides it when there is none. */
static void
set_text (GtkLabel   *label,
          const char *text)
{
  gboolean shown = text != NULL && *text != '\0';

  gtk_label_set_text (label, shown ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), shown);
}

static char *
person_text (const char *name,
             const char *email)
{
  if (name != NULL && *name != '\0' && email != NULL && *email != '\0')
    return g_strdup_printf ("%s <%s>", name, email);
  return g_strdup (name != NULL && *name != '\0' ? name : email);
}

static void
show_patient (PhotosealViewerDetails *self,
              PhotosealManifest      *manifest)
{
  const char *dob = photoseal_manifest_get_patient_date_of_birth (manifest);
  const char *identifier = photoseal_manifest_get_patient_identifier (manifest);
  g_autofree char *day = NULL;
  g_autofree char *born = NULL;
  g_autofree char *id_text = NULL;

  gtk_widget_set_visible (self->patient_box,
                          photoseal_manifest_has_patient (manifest)
                            || photoseal_manifest_get_no_patient_details (manifest));
  if (!photoseal_manifest_has_patient (manifest))
    {
      set_text (self->patient_name, _("No patient details (photos do not identify anyone)"));
      set_text (self->patient_identifier, NULL);
      set_text (self->patient_birth, NULL);
      return;
    }
  if (identifier != NULL && *identifier != '\0')
    /* Translators: the patient's identifier in the viewer, such as "ID MRN-004". */
    id_text = g_strdup_printf (_("ID %s"), identifier);
  if (dob != NULL && *dob != '\0' && (day = photoseal_date_format_iso_day (dob)))
    /* Translators: the patient's date of birth, such as "Born 31 Jan 1970". */
    born = g_strdup_printf (_("Born %s"), day);
  set_text (self->patient_name, photoseal_manifest_get_patient_name (manifest));
  set_text (self->patient_identifier, id_text);
  set_text (self->patient_birth, born);
}

static char *
purposes_text (PhotosealManifest *manifest)
{
  const char * const *purposes = photoseal_manifest_get_consent_purposes (manifest);
  g_autoptr(GString) text = NULL;

  if (purposes == NULL || purposes[0] == NULL)
    return g_strdup (_("No purposes named"));
  text = g_string_new (_("For:"));
  for (guint i = 0; purposes[i] != NULL; i++)
    g_string_append_printf (text, "\n• %s", photoseal_consent_purpose_label (purposes[i]));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_consent (PhotosealViewerDetails *self,
              PhotosealManifest      *manifest)
{
  gboolean obtained = photoseal_manifest_get_consent_obtained (manifest);
  gboolean needed = g_strcmp0 (photoseal_manifest_get_consent_method (manifest), "not_needed") != 0;
  gboolean warn = !obtained && needed;
  g_autofree char *said = photoseal_manifest_describe_consent (manifest);
  g_autofree char *purposes = obtained ? purposes_text (manifest) : NULL;

  set_text (self->consent_label, said);
  set_text (self->consent_purposes, purposes);
  set_text (self->consent_note, photoseal_manifest_get_consent_note (manifest));
  gtk_image_set_from_icon_name (self->consent_icon, warn ? "dialog-warning-symbolic"
                                                         : "object-select-symbolic");
  if (warn)
    gtk_widget_add_css_class (self->consent_box, "warning");
  else
    gtk_widget_remove_css_class (self->consent_box, "warning");
}

/* Whether the manifest's sender is someone other than the confirmed owner:
 * another address, or another name given for the same address. */
static gboolean
claim_differs (PhotosealManifest *manifest,
               const char        *owner_name,
               const char        *owner_email)
{
  const char *claimed_name = photoseal_manifest_get_sender_name (manifest);
  const char *claimed_email = photoseal_manifest_get_sender_email (manifest);

  if (claimed_email != NULL && *claimed_email != '\0'
      && g_ascii_strcasecmp (claimed_email, owner_email) != 0)
    return TRUE;
  return claimed_name != NULL && *claimed_name != '\0' && owner_name != NULL && *owner_name != '\0'
         && g_strcmp0 (claimed_name, owner_name) != 0;
}

static void
show_sender (PhotosealViewerDetails *self,
             PhotosealManifest      *manifest,
             const char             *owner_name,
             const char             *owner_email,
             const char             *confirmed_by)
{
  g_autofree char *claimed = person_text (photoseal_manifest_get_sender_name (manifest),
                                          photoseal_manifest_get_sender_email (manifest));
  g_autofree char *owner = owner_email ? person_text (owner_name, owner_email) : NULL;
  g_autofree char *from = NULL;
  g_autofree char *confirmation = NULL;
  g_autofree char *warning = NULL;

  self->sender_differs = owner != NULL && claim_differs (manifest, owner_name, owner_email);
  /* Translators: the sender of an opened file, such as "From Alice <alice@example.org>". */
  from = g_strdup_printf (_("From %s"), owner ? owner : claimed ? claimed : _("unknown"));
  set_text (self->sender_label, from);
  if (owner != NULL)
    /* Translators: %s is the key server's host name. */
    confirmation = g_strdup_printf (_("Confirmed by %s"), confirmed_by);
  set_text (self->confirmation_label, owner ? confirmation : _("Sender not confirmed"));
  gtk_image_set_from_icon_name (self->confirmation_icon, owner ? "object-select-symbolic"
                                                               : "dialog-warning-symbolic");
  if (owner != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->confirmation_label), "warning");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->confirmation_label), "warning");

  gtk_widget_set_visible (self->sender_warning, self->sender_differs);
  if (self->sender_differs)
    {
      /* Translators: a warning in the viewer; the first %s is the sender
       * the file names, the third the key server's host name. */
      warning = g_strdup_printf (_("The file says it is from %s, but %s sealed it, as %s "
                                   "confirmed. Check with the sender before relying on it."),
                                 claimed ? claimed : _("unknown"), owner, confirmed_by);
      set_text (self->sender_warning_label, warning);
    }
}

/**
 * photoseal_viewer_details_show:
 * @manifest: the opened file's manifest
 * @owner_name: (nullable): the key's owner, as the key server confirmed it
 * @owner_email: (nullable): the owner's verified address; %NULL when no key
 *   server confirmed the sender (the file was opened with an age identity)
 * @confirmed_by: (nullable): the key server's host name, with @owner_email
 */
void
photoseal_viewer_details_show (PhotosealViewerDetails *self,
                               PhotosealManifest      *manifest,
                               const char             *owner_name,
                               const char             *owner_email,
                               const char             *confirmed_by)
{
  GDateTime *created;
  g_autofree char *sealed = NULL;
  g_autofree char *sealed_text = NULL;

  g_return_if_fail (PHOTOSEAL_IS_VIEWER_DETAILS (self));
  g_return_if_fail (PHOTOSEAL_IS_MANIFEST (manifest));
  g_return_if_fail (owner_email == NULL || confirmed_by != NULL);

  show_patient (self, manifest);
  show_consent (self, manifest);
  show_sender (self, manifest, owner_name, owner_email, confirmed_by);
  if ((created = photoseal_manifest_get_created (manifest)))
    {
      sealed = photoseal_date_format_time (created);
      /* Translators: when the file was sealed, such as "Sealed 5 Dec 2026, 18:26". */
      sealed_text = g_strdup_printf (_("Sealed %s"), sealed);
    }
  set_text (self->sealed_label, sealed_text);
  set_text (self->note_label, photoseal_manifest_get_note (manifest));
  gtk_widget_set_visible (self->note_box, gtk_widget_get_visible (GTK_WIDGET (self->note_label)));
}

/* Whether the warning that the file's sender is not the key's owner shows. */
gboolean
photoseal_viewer_details_get_sender_differs (PhotosealViewerDetails *self)
{
  g_return_val_if_fail (PHOTOSEAL_IS_VIEWER_DETAILS (self), FALSE);

  return self->sender_differs;
}

static void
photoseal_viewer_details_class_init (PhotosealViewerDetailsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/photoseal/Photoseal/photoseal-viewer-details.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PhotosealViewerDetails, name)
  BIND (sender_warning);
  BIND (sender_warning_label);
  BIND (patient_box);
  BIND (patient_name);
  BIND (patient_identifier);
  BIND (patient_birth);
  BIND (consent_box);
  BIND (consent_icon);
  BIND (consent_label);
  BIND (consent_purposes);
  BIND (consent_note);
  BIND (sender_label);
  BIND (confirmation_icon);
  BIND (confirmation_label);
  BIND (sealed_label);
  BIND (note_box);
  BIND (note_label);
#undef BIND
}

static void
photoseal_viewer_details_init (PhotosealViewerDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
