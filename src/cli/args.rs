//! A small hand-written parser for `command --key value --flag` command lines: the CLI has
//! a handful of options, so a parser dependency would be heavier than this file. Every
//! option must be consumed; leftovers are reported as unknown.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::str::FromStr;

use super::CliError;

/// Options that take no value.
const FLAGS: &[&str] = &["help", "no-shuffle", "evaluate"];

/// A parsed command line.
#[derive(Debug, Default)]
pub(crate) struct Args {
    /// The first positional argument.
    pub command: Option<String>,
    values: BTreeMap<String, String>,
    flags: BTreeMap<String, bool>,
}

impl Args {
    /// Splits the command line into a command, `--key value` options and flags.
    pub fn parse(args: impl Iterator<Item = OsString>) -> Result<Self, CliError> {
        let mut out = Args::default();
        let mut it = args.map(|a| a.into_string()).peekable();
        while let Some(a) = it.next() {
            let a = a.map_err(|a| CliError::usage(format!("argument {a:?} is not UTF-8")))?;
            if let Some(key) = a.strip_prefix("--") {
                let (key, inline) = match key.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (key.to_string(), None),
                };
                if FLAGS.contains(&key.as_str()) {
                    out.flags.insert(key, false);
                    continue;
                }
                let value = match inline {
                    Some(v) => v,
                    None => match it.next() {
                        Some(Ok(v)) => v,
                        _ => return Err(CliError::usage(format!("--{key} needs a value"))),
                    },
                };
                if out.values.insert(key.clone(), value).is_some() {
                    return Err(CliError::usage(format!("--{key} given twice")));
                }
            } else if a == "-h" {
                out.flags.insert("help".into(), false);
            } else if out.command.is_none() {
                out.command = Some(a);
            } else {
                return Err(CliError::usage(format!("unexpected argument `{a}`")));
            }
        }
        Ok(out)
    }

    /// Whether `--name` was given (and marks it used).
    pub fn flag(&mut self, name: &str) -> bool {
        match self.flags.get_mut(name) {
            Some(used) => {
                *used = true;
                true
            }
            None => false,
        }
    }

    /// The raw string of `--name`, if given.
    pub fn string(&mut self, name: &str) -> Option<String> {
        self.values.remove(name)
    }

    /// `--name` parsed as `T`, if given.
    pub fn opt<T: FromStr>(&mut self, name: &str) -> Result<Option<T>, CliError>
    where
        T::Err: std::fmt::Display,
    {
        match self.values.remove(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<T>()
                .map(Some)
                .map_err(|e| CliError::usage(format!("--{name} = {v}: {e}"))),
        }
    }

    /// `--name` parsed as `T`, or `default`.
    pub fn get<T: FromStr>(&mut self, name: &str, default: T) -> Result<T, CliError>
    where
        T::Err: std::fmt::Display,
    {
        Ok(self.opt(name)?.unwrap_or(default))
    }

    /// `--name`, which must be given.
    pub fn required(&mut self, name: &str) -> Result<String, CliError> {
        self.string(name)
            .ok_or_else(|| CliError::usage(format!("missing --{name}")))
    }

    /// Fails on any option no command used.
    pub fn finish(self) -> Result<(), CliError> {
        if let Some(k) = self.values.keys().next() {
            return Err(CliError::usage(format!("unknown option --{k}")));
        }
        if let Some((k, _)) = self.flags.iter().find(|(_, used)| !**used) {
            return Err(CliError::usage(format!("unknown option --{k}")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Args {
        Args::parse(s.split_whitespace().map(OsString::from)).unwrap()
    }

    #[test]
    fn options_flags_and_leftovers() {
        let mut a = parse("fit --k 3 --tol=0.5 --no-shuffle --bogus 1");
        assert_eq!(a.command.as_deref(), Some("fit"));
        assert_eq!(a.opt::<usize>("k").unwrap(), Some(3));
        assert_eq!(a.get("tol", 1.0).unwrap(), 0.5);
        assert!(a.flag("no-shuffle"));
        let e = a.finish().unwrap_err();
        assert_eq!(e.message, "unknown option --bogus");
        let mut a = parse("fit --k x");
        let e = a.opt::<usize>("k").unwrap_err();
        assert!(e.message.starts_with("--k = x:"), "{}", e.message);
        let e = Args::parse(["fit", "--k"].iter().map(OsString::from)).unwrap_err();
        assert_eq!(e.message, "--k needs a value");
    }
}
