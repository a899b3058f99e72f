//! `cargo apigen`: see the library's docs, or `cargo apigen --help`.

/// Generation allocates millions of small blocks that live as long as a stage: mimalloc serves
/// them in about half the time the system allocator takes (as for the xtask, measured with `cargo
/// run --release -p xtask -- bench`). The library itself leaves the allocator to its user.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cargo_apigen::main_with_args(std::env::args_os())
}
