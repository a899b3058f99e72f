//! Analyses: what is computed about the IR after the passes, for emission; nothing here changes
//! the IR.
//! - `reach`: which types a request sends, and which resources use each type (the `cfg` of
//!   every type in the crate layout);
//! - `defaults`: how a struct's constructors fill each field, and which types have `Default`;
//! - `check`: whether an example decodes into its type.
//!
//! [`Analysis`] holds the whole-IR answers, computed once before emission and handed to it.

mod check;
mod constraints;
mod defaults;
mod reach;

pub use check::check_value;
pub use constraints::check_constraints;
pub(crate) use defaults::ty_default;
pub use defaults::{allows_an_empty_shape, defaultable, fill, fill_alone, Fill};
pub use reach::{resources_using, serialized};

use crate::features::Gate;
use crate::ir::Api;

/// What emission needs to know about every type, computed once from the IR after the passes.
#[derive(Debug)]
pub struct Analysis {
    /// For each type, whether some request sends it ([`serialized`]).
    pub serialized: Vec<bool>,
    /// For each type, the features that compile it, `None` when always ([`resources_using`]).
    pub gates: Vec<Option<Gate>>,
    /// For each type, whether it has `Default` ([`defaultable`]).
    pub defaultable: Vec<bool>,
}

impl Analysis {
    /// The analyses of `api`.
    pub fn of(api: &Api) -> Self {
        Analysis {
            serialized: serialized(api),
            gates: resources_using(api),
            defaultable: defaultable(api),
        }
    }
}
