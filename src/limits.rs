//! The limits every stage shares, where no stage has to import another for them.

/// How many links a chain of references (a `$ref` to a `$ref`, or an alias of an alias in the IR)
/// may have before the generator stops following it: a longer chain is taken to be a cycle, or a
/// description no one should have to wait for. The one limit for such chains, used by `load`,
/// `lower`, `passes` and `emit`.
pub const MAX_REF_DEPTH: usize = 64;
