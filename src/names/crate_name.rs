//! The generated crate's name, checked where it enters: [`crate::Config::crate_name`] and the
//! xtask's `--name` both lead here, before anything is generated.

/// Checks that `name` can name the generated crate: Cargo must accept it as a package name, and its
/// library name (`-` becoming `_`) must be a Rust identifier, since the example tests `use` it.
/// The error says what is wrong, in a sentence that can follow `invalid crate name: `.
///
/// ```
/// use apigen::names::check_crate_name;
///
/// assert!(check_crate_name("intercom-client").is_ok());
/// assert!(check_crate_name("my.client").is_err());
/// assert!(check_crate_name("2fa").is_err());
/// assert!(check_crate_name("").is_err());
/// ```
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let Some(first) = name.chars().next() else {
        return Err("the name is empty".to_string());
    };
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "`{name}` contains {bad:?}: a crate name holds only ASCII letters, digits, `-` and `_`"
        ));
    }
    if first.is_ascii_digit() {
        return Err(format!(
            "`{name}` starts with a digit: a crate name starts with a letter or `_`"
        ));
    }
    if first == '-' {
        return Err(format!(
            "`{name}` starts with `-`: a crate name starts with a letter or `_`"
        ));
    }
    let lib = name.replace('-', "_");
    // syn's identifiers are Rust's: no keyword (strict or reserved) and not `_`.
    if syn::parse_str::<syn::Ident>(&lib).is_err() {
        return Err(format!(
            "`{name}` cannot be a crate name: its library name `{lib}` is not a Rust identifier"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_crate_name;

    #[test]
    fn crate_names_cargo_and_rust_accept_pass() {
        let names = [
            "intercom",
            "intercom-seed",
            "my_api",
            "x-client",
            "_private",
            "a1-2",
            "union",
        ];
        for name in names {
            assert_eq!(check_crate_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn bad_crate_names_say_why() {
        let cases = [
            ("", "the name is empty"),
            (
                "my.client",
                "`my.client` contains '.': a crate name holds only ASCII letters, digits, `-` and `_`",
            ),
            (
                "2fa",
                "`2fa` starts with a digit: a crate name starts with a letter or `_`",
            ),
            (
                "-x",
                "`-x` starts with `-`: a crate name starts with a letter or `_`",
            ),
            (
                "type",
                "`type` cannot be a crate name: its library name `type` is not a Rust identifier",
            ),
            (
                "_",
                "`_` cannot be a crate name: its library name `_` is not a Rust identifier",
            ),
            (
                "café",
                "`café` contains 'é': a crate name holds only ASCII letters, digits, `-` and `_`",
            ),
        ];
        for (name, why) in cases {
            assert_eq!(check_crate_name(name), Err(why.to_string()), "{name:?}");
        }
    }
}
