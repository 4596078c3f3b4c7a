//! Invariants of a [`Programme`]: unique ids, sub-actions under a top-level parent of the same
//! priority, at least one output per action, no empty text. Checked when the seed is loaded
//! and when the server reads the programme back from its database.

use super::Programme;
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("duplicate id {0:?}")]
    DuplicateId(String),
    #[error("id {0:?} is not a lowercase slug")]
    BadId(String),
    #[error("action {action:?}: parent {parent:?} is not a top-level action before it in the same priority")]
    BadParent { action: String, parent: String },
    #[error("action {0:?} has level {1}, which does not match its parent")]
    BadLevel(String, u8),
    #[error("action {0:?} belongs to priority {1:?} but is listed under another")]
    BadPriority(String, String),
    #[error("action {0:?} expects no output")]
    NoOutput(String),
    #[error("action {0:?} lists an output twice")]
    RepeatedOutput(String),
    #[error("empty text in {0}")]
    EmptyText(String),
}

/// Whether `id` is a well-formed id: 1 to 64 lowercase letters, digits and inner hyphens.
/// Every id in the programme and in document ids has this form.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

impl Programme {
    /// Checks every invariant; returns the first problem found.
    pub fn validate(&self) -> Result<(), ModelError> {
        let mut ids = HashSet::new();
        let mut claim = |id: &str| -> Result<(), ModelError> {
            if !is_slug(id) {
                return Err(ModelError::BadId(id.to_owned()));
            }
            if !ids.insert(id.to_owned()) {
                return Err(ModelError::DuplicateId(id.to_owned()));
            }
            Ok(())
        };
        for priority in &self.priorities {
            claim(&priority.id)?;
            non_empty(&priority.title, &priority.id)?;
            let mut top_level = HashSet::new();
            for action in &priority.actions {
                claim(&action.id)?;
                non_empty(&action.title, &action.id)?;
                if action.priority != priority.id {
                    return Err(ModelError::BadPriority(action.id.clone(), action.priority.clone()));
                }
                match &action.parent {
                    None if action.level == 1 => {
                        top_level.insert(action.id.as_str());
                    }
                    Some(parent) if action.level == 2 => {
                        if !top_level.contains(parent.as_str()) {
                            return Err(ModelError::BadParent { action: action.id.clone(), parent: parent.clone() });
                        }
                    }
                    _ => return Err(ModelError::BadLevel(action.id.clone(), action.level)),
                }
                if action.outputs.is_empty() {
                    return Err(ModelError::NoOutput(action.id.clone()));
                }
                let distinct: HashSet<_> = action.outputs.iter().collect();
                if distinct.len() != action.outputs.len() {
                    return Err(ModelError::RepeatedOutput(action.id.clone()));
                }
            }
        }
        for activity in &self.permanent_activities {
            claim(&activity.id)?;
            non_empty(&activity.name, &activity.id)?;
            non_empty(&activity.aims, &activity.id)?;
            if activity.expected_results.is_empty() {
                return Err(ModelError::EmptyText(format!("{} expected results", activity.id)));
            }
        }
        Ok(())
    }
}

fn non_empty(text: &str, place: &str) -> Result<(), ModelError> {
    if text.trim().is_empty() {
        Err(ModelError::EmptyText(place.to_owned()))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::seed;

    #[test]
    fn the_seed_is_valid() {
        seed::programme().validate().unwrap();
    }

    #[test]
    fn broken_programmes_are_refused() {
        let good = seed::programme();

        let mut p = good.clone();
        p.priorities[1].actions[0].id = p.priorities[0].actions[0].id.clone();
        assert!(matches!(p.validate(), Err(super::ModelError::DuplicateId(_))));

        let mut p = good.clone();
        p.priorities[0].actions[1].parent = Some("no-such-action".into());
        assert!(matches!(p.validate(), Err(super::ModelError::BadParent { .. })));

        let mut p = good.clone();
        p.priorities[0].actions[0].level = 2;
        assert!(matches!(p.validate(), Err(super::ModelError::BadLevel(..))));

        let mut p = good.clone();
        p.priorities[0].actions[0].outputs.clear();
        assert!(matches!(p.validate(), Err(super::ModelError::NoOutput(_))));

        let mut p = good.clone();
        p.priorities[2].actions[0].id = "Not A Slug".into();
        assert!(matches!(p.validate(), Err(super::ModelError::BadId(_))));

        let mut p = good;
        p.priorities[0].actions[0].priority = "new-challenges".into();
        assert!(matches!(p.validate(), Err(super::ModelError::BadPriority(..))));
    }
}
