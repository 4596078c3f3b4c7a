//! Words shown to respondents in the languages Programme Desk speaks: English always, French
//! and Arabic where someone wrote them (MedNET participants answer in those).

use serde::{Deserialize, Serialize};

/// A language of the interface. JSON: `"en"`, `"fr"`, `"ar"` (the codes of `lang=` attributes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    En,
    Fr,
    Ar,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Self::En, Self::Fr, Self::Ar];

    /// The BCP 47 code: "en", "fr", "ar".
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
            Self::Ar => "ar",
        }
    }

    /// The language of a code such as "fr" or "fr-BE" (case ignored); `None` for others.
    pub fn from_code(code: &str) -> Option<Self> {
        let primary = code.split(['-', '_']).next().unwrap_or_default();
        Self::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(primary))
    }
}

/// A text in English with optional French and Arabic versions.
///
/// JSON: `{"en": "…", "fr": "…", "ar": "…"}`, `fr` and `ar` left out when absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ar: Option<String>,
}

impl Localized {
    /// English only.
    pub fn en(text: impl Into<String>) -> Self {
        Self { en: text.into(), fr: None, ar: None }
    }

    /// English, French and Arabic.
    pub fn tri(en: impl Into<String>, fr: impl Into<String>, ar: impl Into<String>) -> Self {
        Self { en: en.into(), fr: Some(fr.into()), ar: Some(ar.into()) }
    }

    /// The text in `lang`, or the English when that version is absent or blank. The page
    /// marks the element with the language actually shown ([`Localized::lang_of`]).
    pub fn pick(&self, lang: Lang) -> &str {
        self.version(lang).unwrap_or(&self.en)
    }

    /// The language [`Localized::pick`] gives for `lang`.
    pub fn lang_of(&self, lang: Lang) -> Lang {
        if self.version(lang).is_some() {
            lang
        } else {
            Lang::En
        }
    }

    /// Every version present, English first.
    pub fn versions(&self) -> impl Iterator<Item = (Lang, &str)> {
        Lang::ALL.into_iter().filter_map(|l| Some((l, if l == Lang::En { Some(self.en.as_str()) } else { self.version(l) }?)))
    }

    fn version(&self, lang: Lang) -> Option<&str> {
        let text = match lang {
            Lang::En => Some(&self.en),
            Lang::Fr => self.fr.as_ref(),
            Lang::Ar => self.ar.as_ref(),
        };
        text.map(String::as_str).filter(|t| !t.trim().is_empty())
    }
}

impl From<&str> for Localized {
    fn from(text: &str) -> Self {
        Self::en(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_falls_back_to_english_when_absent_or_blank() {
        let text = Localized { en: "Yes".into(), fr: Some("Oui".into()), ar: Some("  ".into()) };
        assert_eq!(text.pick(Lang::Fr), "Oui");
        assert_eq!(text.pick(Lang::Ar), "Yes");
        assert_eq!(text.lang_of(Lang::Ar), Lang::En);
        assert_eq!(text.lang_of(Lang::Fr), Lang::Fr);
        assert_eq!(Localized::en("No").pick(Lang::Fr), "No");
        assert_eq!(text.versions().map(|(l, _)| l).collect::<Vec<_>>(), [Lang::En, Lang::Fr]);
    }

    #[test]
    fn json_leaves_absent_versions_out() {
        assert_eq!(serde_json::to_string(&Localized::en("Hi")).unwrap(), r#"{"en":"Hi"}"#);
        let back: Localized = serde_json::from_str(r#"{"en":"Hi","ar":"مرحبا"}"#).unwrap();
        assert_eq!(back.pick(Lang::Ar), "مرحبا");
    }

    #[test]
    fn codes() {
        assert_eq!(Lang::from_code("fr-BE"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("AR"), Some(Lang::Ar));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::from_code(""), None);
    }
}
