//! The `hasim` binary: parse arguments, call the library, print the result
//! or the error, choose the exit status (0 ok, 2 bad input, 1 anything else).
//!
//! Everything it prints passes `terminal_safe`: scenario text (a
//! `description`, a `--set` value, a file name) must not be able to clear
//! the screen or set the window title.

use clap::Parser;
use hasim::report::words::terminal_safe;

fn main() {
    let cli = match hasim::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            // Errors quote the arguments given: print them made safe.
            eprint!("{}", terminal_safe(&e.render().to_string()));
            std::process::exit(2);
        }
        Err(e) => {
            // --help and --version: hasim's own text.
            let _ = e.print();
            std::process::exit(0);
        }
    };
    match hasim::commands::execute(cli.command) {
        Ok(text) => print!("{}", terminal_safe(&text)),
        Err(e) => {
            eprintln!("error: {}", terminal_safe(&e.to_string()));
            std::process::exit(e.exit_code());
        }
    }
}

#[cfg(test)]
mod tests {
    use hasim::report::words::terminal_safe;

    #[test]
    fn control_characters_and_escape_sequences_are_dropped() {
        assert_eq!(terminal_safe("a\tb\nc ≤ ±1 ·"), "a\tb\nc ≤ ±1 ·");
        assert_eq!(terminal_safe("x\u{1b}[2J\u{1b}[Hy"), "xy");
        assert_eq!(terminal_safe("x\u{1b}[1;31mred\u{1b}[0m"), "xred");
        assert_eq!(terminal_safe("\u{1b}]0;pwned\u{7}title"), "title");
        assert_eq!(terminal_safe("\u{1b}]2;pwned\u{1b}\\ok"), "ok");
        assert_eq!(terminal_safe("\u{1b}Pq#0\u{1b}\\ok"), "ok");
        assert_eq!(terminal_safe("a\u{1b}cb"), "ab");
        assert_eq!(terminal_safe("a\rb\u{8}c\u{7}d\u{0}e\u{7f}f"), "abcdef");
        assert_eq!(terminal_safe("a\u{9b}2Jb\u{85}c"), "a2Jbc");
        assert_eq!(terminal_safe("cut\u{1b}"), "cut");
        assert_eq!(terminal_safe("cut\u{1b}[12"), "cut");
    }
}
