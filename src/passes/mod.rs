//! Passes: small functions over the IR, each doing one thing in a file of its own, run in order
//! by [`run`]:
//! 1. `aliases`: aliases that reach themselves become JSON values, which Rust can express;
//! 2. `boxing`: a `Box` on exactly the fields that close a cycle of types;
//! 3. `untagged`: the alternatives of untagged unions, most particular first;
//! 4. `pagination`: each pagination extension checked against the types it walks;
//! 5. `groups`: the group each operation's method is on, and its name there;
//! 6. `errors`: types renamed off the runtime's names, and the common error body found.
//!
//! What is computed about the IR for emission, without changing it, is in `crate::analysis`.

mod aliases;
mod boxing;
mod errors;
mod groups;
mod pagination;
mod untagged;

use crate::error::{Location, Warning};
use crate::ir::*;

pub use aliases::break_alias_cycles;
pub use boxing::box_cycles;
pub use errors::{find_common_error, rename_runtime_shadows};
pub use groups::{group_operations, settle_placement};
pub use pagination::resolve_pagination;
pub use untagged::order_untagged_variants;

/// Runs every pass, in order.
pub fn run(
    api: &mut Api,
    warnings: &mut Vec<Warning>,
    locate: &dyn Fn(&crate::pointer::Pointer) -> Location,
) {
    break_alias_cycles(api, warnings, locate);
    box_cycles(api);
    order_untagged_variants(api);
    resolve_pagination(api, warnings, locate);
    group_operations(api, warnings, locate);
    rename_runtime_shadows(api);
    find_common_error(api);
}

/// The type inside any number of `Option`s.
fn strip_option(ty: &Ty) -> &Ty {
    match ty {
        Ty::Option(inner) => strip_option(inner),
        other => other,
    }
}
