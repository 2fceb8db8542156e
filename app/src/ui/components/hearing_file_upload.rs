//! The form that adds a background file (PDF) to a hearing: a plain multipart form posted
//! to `POST /hoeringer/{id}/filer` (`server/src/hearing_files.rs`), so it works without
//! JavaScript. The server answers with a redirect back to the hearing's page, with
//! `?fil=<code>` when it refused the file; the page passes that code in `error` and its
//! text shows next to the field (only known codes: a link cannot make the page say
//! anything else). The server checks who may upload; the page shows the form only to them.
use crate::domain::hearing_file::FileRefusal;
use crate::domain::ids::HearingId;
use crate::i18n::*;
use crate::ui::tr::tr;
use leptos::prelude::*;
use leptos_i18n::td_string;

/// The text of a refusal in `l` (also the server's JSON `message`).
pub fn refusal_text(l: Locale, refusal: FileRefusal) -> &'static str {
    match refusal {
        FileRefusal::NoFile => td_string!(l, hearing_files.err_no_file),
        FileRefusal::Empty => td_string!(l, hearing_files.err_empty),
        FileRefusal::TooLarge => td_string!(l, hearing_files.err_too_large),
        FileRefusal::NotPdf => td_string!(l, hearing_files.err_not_pdf),
        FileRefusal::TooMany => td_string!(l, hearing_files.err_too_many),
        FileRefusal::NameEmpty => td_string!(l, hearing_files.err_name_empty),
        FileRefusal::NameTooLong => td_string!(l, hearing_files.err_name_too_long),
        FileRefusal::NamePath => td_string!(l, hearing_files.err_name_path),
        FileRefusal::NameControl => td_string!(l, hearing_files.err_name_control),
        FileRefusal::NameInvisible => td_string!(l, hearing_files.err_name_invisible),
        FileRefusal::NameSpaces => td_string!(l, hearing_files.err_name_spaces),
        FileRefusal::NameNotPdf => td_string!(l, hearing_files.err_name_not_pdf),
        FileRefusal::Unauthenticated => td_string!(l, hearing_files.err_login),
        FileRefusal::Forbidden => td_string!(l, hearing_files.err_forbidden),
        FileRefusal::Closed => td_string!(l, hearing_files.err_closed),
        FileRefusal::NotFound => td_string!(l, hearing_files.err_not_found),
        FileRefusal::Unreadable => td_string!(l, hearing_files.err_unreadable),
    }
}

/// The upload form for `hearing_id`; `error` is the `?fil=` code of the refused upload
/// the page was opened after, if any.
#[component]
pub fn HearingFileUpload(hearing_id: HearingId, error: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let refusal = error.as_deref().and_then(FileRefusal::parse);
    let action = format!("/hoeringer/{}/filer", hearing_id.0);
    let id = format!("hearing-file-{}", hearing_id.0);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = format!("{hint_id} {error_id}");
    let message = move || refusal.map(|r| refusal_text(i18n.get_locale(), r));
    view! {
        <form method="post" enctype="multipart/form-data" action=action class="form hearing-file-upload">
            <div class="field" class:field--invalid=refusal.is_some()>
                <label for=id.clone()>{tr(i18n, |l| td_string!(l, hearing_files.label))}</label>
                <p class="hint" id=hint_id>{tr(i18n, |l| td_string!(l, hearing_files.hint))}</p>
                <input
                    id=id
                    name="file"
                    type="file"
                    accept="application/pdf,.pdf"
                    required=true
                    aria-describedby=described
                    aria-invalid=if refusal.is_some() { "true" } else { "false" }
                />
                <p class="field-error" id=error_id aria-live="polite">{message}</p>
            </div>
            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, hearing_files.submit))}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_a_text_in_both_languages() {
        for r in FileRefusal::ALL {
            let (da, en) = (refusal_text(Locale::da, r), refusal_text(Locale::en, r));
            assert!(!da.is_empty() && !en.is_empty() && da != en, "{r:?}");
        }
    }
}
