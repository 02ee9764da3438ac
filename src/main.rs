//! The `hasim` binary: parse arguments, call the library, print the result
//! or the error, choose the exit status (0 ok, 2 bad input, 1 anything else).

use clap::Parser;

fn main() {
    let cli = match hasim::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    match hasim::commands::execute(cli.command) {
        Ok(text) => print!("{text}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(e.exit_code());
        }
    }
}
