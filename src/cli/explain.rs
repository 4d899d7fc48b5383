//! `sluice explain`: the list of every diagnostic code and rule, or the
//! long explanation of one.

use std::process::ExitCode;

use sluice::diagnostic::Code;

pub fn run(code: Option<&str>) -> ExitCode {
    match code {
        None => {
            let width = Code::ALL
                .iter()
                .map(|c| c.as_str().len())
                .max()
                .unwrap_or(0);
            for c in Code::ALL {
                outln!(
                    "{:width$}  {:7}  {}",
                    c.as_str(),
                    c.default_severity().as_str(),
                    c.summary()
                );
            }
            ExitCode::SUCCESS
        }
        Some(id) => match id.parse::<Code>() {
            Ok(c) => {
                outln!(
                    "{} ({})\n\n{}\n\n{}",
                    c.as_str(),
                    c.default_severity().as_str(),
                    c.summary(),
                    c.explain().trim_end()
                );
                ExitCode::SUCCESS
            }
            Err(()) => {
                let ids: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
                match sluice::suggest::did_you_mean(id, ids) {
                    Some(s) => errln!("error: no rule or code `{id}`; did you mean `{s}`?"),
                    None => {
                        errln!("error: no rule or code `{id}`; run `sluice explain` for the list")
                    }
                }
                ExitCode::from(2)
            }
        },
    }
}
