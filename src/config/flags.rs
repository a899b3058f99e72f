//! How options meet the command line: the description of a flag that front ends build their
//! command line from, and how each type of option is spelled there.

use super::{Grouping, Layout, Publish, WarningPolicy};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// How a flag takes values on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    /// `--flag VALUE`, given at most once.
    Once,
    /// `--flag VALUE`, repeatable: the values are kept in the order given.
    Repeated,
    /// `--flag` alone, a switch: giving it turns the option off.
    Switch,
}

/// One flag of `cargo xtask generate`, as the option table declares it: what a front end needs to
/// build its command line and its help, and to parse it back with [`crate::Config::from_flags`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The flag's name without the leading `--`, such as `crate-version`.
    pub long: &'static str,
    /// The placeholder for its value in help text, such as `FILE`; empty for a switch.
    pub value_name: &'static str,
    /// One line of help, which names the default.
    pub help: &'static str,
    /// Whether it takes one value, several, or none.
    pub arity: Arity,
    /// Whether it must be given (only `--spec`).
    pub required: bool,
    /// The values it accepts where they are a closed set (`--layout`); empty otherwise.
    pub possible_values: &'static [&'static str],
}

/// Why a set of flags does not make a configuration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("--{flag}: {message}")]
pub struct FlagError {
    /// The flag, without the leading `--`.
    pub flag: &'static str,
    /// What is wrong with its values.
    pub message: String,
}

/// When [`Config::to_args`] gives an option's flag.
pub(super) enum Given {
    /// Always, and [`Config::from_flags`] fails without it.
    Required,
    /// Always, although it may be left out (the xtask then derives another value).
    Always,
    /// Only when the value is not the default.
    UnlessDefault,
}

/// A type an option can have: how its value is spelled after its flag, and how its getter shows it.
pub(super) trait FlagValue: Sized {
    /// How the flag takes values.
    const ARITY: Arity = Arity::Once;
    /// The values the flag accepts, where they are a closed set.
    const POSSIBLE_VALUES: &'static [&'static str] = &[];
    /// What the getter returns.
    type View<'a>
    where
        Self: 'a;
    /// The value as the getter returns it.
    fn view(&self) -> Self::View<'_>;
    /// The words [`Config::to_args`] gives, one `--flag WORD` pair each (none for a switch, which is
    /// given alone).
    fn to_words(&self) -> Vec<String>;
    /// The value from the words given after each occurrence of the flag, in order (an empty word
    /// per occurrence of a switch). Never called for an absent flag, which keeps the default.
    fn from_words(words: Vec<OsString>) -> Result<Self, String>;
}

/// The one word of a flag given at most once.
fn one_word(mut words: Vec<OsString>) -> Result<OsString, String> {
    match words.len() {
        1 => Ok(words.remove(0)),
        n => Err(format!("given {n} times, but it takes one value")),
    }
}

impl FlagValue for PathBuf {
    type View<'a> = &'a Path;
    fn view(&self) -> &Path {
        self
    }
    /// Paths that are not UTF-8 are converted lossily.
    fn to_words(&self) -> Vec<String> {
        vec![self.to_string_lossy().into_owned()]
    }
    fn from_words(words: Vec<OsString>) -> Result<Self, String> {
        one_word(words).map(PathBuf::from)
    }
}

impl FlagValue for Vec<PathBuf> {
    const ARITY: Arity = Arity::Repeated;
    type View<'a> = &'a [PathBuf];
    fn view(&self) -> &[PathBuf] {
        self
    }
    fn to_words(&self) -> Vec<String> {
        self.iter().flat_map(FlagValue::to_words).collect()
    }
    fn from_words(words: Vec<OsString>) -> Result<Self, String> {
        Ok(words.into_iter().map(PathBuf::from).collect())
    }
}

impl FlagValue for Vec<String> {
    const ARITY: Arity = Arity::Repeated;
    type View<'a> = &'a [String];
    fn view(&self) -> &[String] {
        self
    }
    fn to_words(&self) -> Vec<String> {
        self.clone()
    }
    fn from_words(words: Vec<OsString>) -> Result<Self, String> {
        words
            .into_iter()
            .map(|word| String::from_words(vec![word]))
            .collect()
    }
}

impl FlagValue for String {
    type View<'a> = &'a str;
    fn view(&self) -> &str {
        self
    }
    fn to_words(&self) -> Vec<String> {
        vec![self.clone()]
    }
    fn from_words(words: Vec<OsString>) -> Result<Self, String> {
        one_word(words)?
            .into_string()
            .map_err(|word| format!("{} is not UTF-8", word.to_string_lossy()))
    }
}

/// The `FlagValue` of an option that chooses one of a closed set (`ALL`, `as_flag`, `from_flag`);
/// `what` names a value in the error text (`a layout`).
macro_rules! choice_flag_value {
    ($choice:ident, $what:literal) => {
        impl FlagValue for $choice {
            const POSSIBLE_VALUES: &'static [&'static str] =
                &[$choice::ALL[0].as_flag(), $choice::ALL[1].as_flag()];
            type View<'a> = $choice;
            fn view(&self) -> $choice {
                *self
            }
            fn to_words(&self) -> Vec<String> {
                vec![self.as_flag().to_string()]
            }
            fn from_words(words: Vec<OsString>) -> Result<Self, String> {
                let word = String::from_words(words)?;
                $choice::from_flag(&word).ok_or_else(|| {
                    let expected = Self::POSSIBLE_VALUES.join(", ");
                    format!(
                        concat!("`{}` is not ", $what, "; expected one of {}"),
                        word, expected
                    )
                })
            }
        }
    };
}

choice_flag_value!(Layout, "a layout");
choice_flag_value!(Grouping, "a grouping");

/// A `bool` option is on by default, and its flag is a switch (`--no-…`) that turns it off.
impl FlagValue for bool {
    const ARITY: Arity = Arity::Switch;
    type View<'a> = bool;
    fn view(&self) -> bool {
        *self
    }
    fn to_words(&self) -> Vec<String> {
        Vec::new()
    }
    fn from_words(_occurrences: Vec<OsString>) -> Result<Self, String> {
        Ok(false)
    }
}

/// [`WarningPolicy`] is reported by default, and its flag is a switch that denies warnings.
impl FlagValue for WarningPolicy {
    const ARITY: Arity = Arity::Switch;
    type View<'a> = WarningPolicy;
    fn view(&self) -> WarningPolicy {
        *self
    }
    fn to_words(&self) -> Vec<String> {
        Vec::new()
    }
    fn from_words(_occurrences: Vec<OsString>) -> Result<Self, String> {
        Ok(WarningPolicy::Deny)
    }
}

/// The value a flag gives, or `None` when it is absent (the option keeps its default).
pub(super) fn parse_flag<T: FlagValue>(
    flag: &Flag,
    values: &mut impl FnMut(&Flag) -> Vec<OsString>,
) -> Result<Option<T>, FlagError> {
    let words = values(flag);
    let error = |message: String| FlagError {
        flag: flag.long,
        message,
    };
    if words.is_empty() {
        return match flag.required {
            true => Err(error("is required".to_string())),
            false => Ok(None),
        };
    }
    T::from_words(words).map(Some).map_err(error)
}

/// [`Publish`] is never by default, and its flag is a switch that allows it.
impl FlagValue for Publish {
    const ARITY: Arity = Arity::Switch;
    type View<'a> = Publish;
    fn view(&self) -> Publish {
        *self
    }
    fn to_words(&self) -> Vec<String> {
        Vec::new()
    }
    fn from_words(_occurrences: Vec<OsString>) -> Result<Self, String> {
        Ok(Publish::Allowed)
    }
}
