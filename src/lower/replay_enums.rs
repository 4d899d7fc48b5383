//! Enums in the history replay: `create enum`, `add value … to enum` and
//! `drop enum`, so that `schema-drift` and `sluice plan` compare them with
//! the declared enums.
//!
//! Input: the history's steps, in order. Output: each enum the history
//! builds, with its values in PostgreSQL's order and where the history last
//! changed it ([`Replay::enums`]).

use super::replay::Replay;
use crate::ast::StepKind;
use crate::span::Span;

impl Replay {
    pub fn enum_step(&mut self, kind: &StepKind, span: Span) {
        match kind {
            StepKind::CreateEnum(e) => {
                let values = e.values.iter().map(|v| v.value.clone()).collect();
                self.enums
                    .insert(e.name.last().name.clone(), (values, span));
            }
            StepKind::AddEnumValue {
                value,
                enum_name,
                position,
            } => {
                let Some((values, at)) = self.enums.get_mut(&enum_name.last().name) else {
                    return;
                };
                if !values.contains(&value.value) {
                    let i = position
                        .as_ref()
                        .and_then(|(before, anchor)| {
                            let i = values.iter().position(|v| *v == anchor.value)?;
                            Some(if *before { i } else { i + 1 })
                        })
                        .unwrap_or(values.len());
                    values.insert(i, value.value.clone());
                }
                *at = span;
            }
            _ => {}
        }
    }

    pub fn drop_enum(&mut self, name: &str) {
        self.enums.remove(name);
    }
}
