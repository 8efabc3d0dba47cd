//! `refugee-data completions bash|zsh|fish` prints a completion script that
//! knows every command and the flags of each.

use std::process::Command;

fn completions(shell: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_refugee-data"))
        .args(["completions", shell])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{shell}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn each_shell_gets_a_script_naming_the_commands_and_their_flags() {
    for shell in ["bash", "zsh", "fish"] {
        let script = completions(shell);
        assert!(script.len() > 1000, "{shell}: {} bytes", script.len());
        for word in [
            "summary",
            "validate",
            "query",
            "window",
            "chart",
            "import",
            "unhcr",
            "hxl",
            "completions",
            "registrations",
            "deportations",
            "statements",
            "actor-country",
            "flow-origin",
            "statement-target-country",
            "delimiter",
            "encoding",
            "windows-1252",
        ] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    // Each script is for its own shell.
    assert!(completions("bash").contains("complete -F"));
    assert!(completions("zsh").starts_with("#compdef refugee-data"));
    assert!(completions("fish").contains("complete -c refugee-data"));
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_refugee-data"))
        .args(["completions", "bsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: invalid value 'bsh' for '<SHELL>'\n  tip: a similar value exists: 'bash'\ntry \
         'refugee-data completions --help'\n"
    );
}
