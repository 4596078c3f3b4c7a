//! The matrix filter: which actions to show for a `?format=…&output=…` query. Unknown keys
//! are reported, not guessed, and the filter then ignores them.

use super::{Action, ActivityFormat, Output};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActionFilter {
    pub format: Option<ActivityFormat>,
    pub output: Option<Output>,
}

/// A query value the filter did not understand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFilterValue {
    pub parameter: &'static str,
    pub value: String,
}

impl ActionFilter {
    /// Reads the filter from the query's `format` and `output` values (absent or empty means
    /// "any"). Returns the filter and the values it had to ignore.
    pub fn from_query(format: Option<&str>, output: Option<&str>) -> (Self, Vec<UnknownFilterValue>) {
        let mut unknown = Vec::new();
        let mut read = |parameter: &'static str, value: Option<&str>| {
            let value = value.map(str::trim).filter(|v| !v.is_empty())?;
            let parsed = match parameter {
                "format" => ActivityFormat::from_key(value).map(Ok),
                _ => Output::from_key(value).map(Err),
            };
            if parsed.is_none() {
                unknown.push(UnknownFilterValue { parameter, value: value.chars().take(80).collect() });
            }
            parsed
        };
        let format = read("format", format).and_then(Result::ok);
        let output = read("output", output).and_then(Result::err);
        (Self { format, output }, unknown)
    }

    pub fn is_empty(&self) -> bool {
        self.format.is_none() && self.output.is_none()
    }

    pub fn matches(&self, action: &Action) -> bool {
        self.format.is_none_or(|f| action.format == f) && self.output.is_none_or(|o| action.has_output(o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::seed;

    #[test]
    fn filters_by_format_and_output() {
        let p = seed::programme();
        let (f, unknown) = ActionFilter::from_query(Some("expert_group"), None);
        assert!(unknown.is_empty());
        let ids: Vec<_> = p.actions().filter(|a| f.matches(a)).map(|a| a.id.as_str()).collect();
        assert_eq!(ids.len(), 10, "{ids:?}");
        assert!(ids.contains(&"stimulants"));

        let (f, _) = ActionFilter::from_query(Some("expert_group"), Some("training"));
        let ids: Vec<_> = p.actions().filter(|a| f.matches(a)).map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["screening-tools"]);

        let (f, _) = ActionFilter::from_query(None, Some("policy_paper"));
        let n = p.actions().filter(|a| f.matches(a)).count();
        assert_eq!(n, 3);
    }

    #[test]
    fn empty_values_mean_any_and_unknown_values_are_reported() {
        let (f, unknown) = ActionFilter::from_query(Some(""), Some("  "));
        assert!(f.is_empty() && unknown.is_empty());
        let long = "x".repeat(10_000);
        let (f, unknown) = ActionFilter::from_query(Some("Expert group"), Some(&long));
        assert!(f.is_empty());
        assert_eq!(unknown.len(), 2);
        assert_eq!(unknown[0].parameter, "format");
        assert_eq!(unknown[1].value.len(), 80);
    }
}
