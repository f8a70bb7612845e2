//! rust-stats: a WASI command in Rust on the stdio contract, with nothing but the standard library.
//! It reads the step's payload from stdin, counts the lines, words and bytes of the input parameter
//! `text` (and of input artifact `data`, when the template declares one, read from the file the
//! payload names), and answers {"parameters":{...}} on stdout. Its first argument, when given, is
//! a prefix for the parameter names; $STATS_UPPER set to 1 upper-cases the longest word.

#[path = "../rust-json/json.rs"]
mod json;

use std::io::Read;

fn main() {
    let mut payload = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut payload) {
        eprintln!("cannot read the payload from stdin: {}", e);
        std::process::exit(2);
    }
    let payload = match json::parse(&payload) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("the payload is not JSON: {}", e);
            std::process::exit(2);
        }
    };
    let prefix = std::env::args().nth(1).unwrap_or_default();
    let mut text = payload
        .get("parameters")
        .and_then(|p| p.get("text"))
        .and_then(|t| t.as_str())
        .unwrap_or("")
        .to_string();
    if let Some(file) = payload
        .get("artifacts")
        .and_then(|a| a.get("data"))
        .and_then(|d| d.get("file"))
        .and_then(|f| f.as_str())
    {
        match std::fs::read_to_string(file) {
            Ok(data) => text.push_str(&data),
            Err(e) => {
                eprintln!("cannot read input artifact data at {}: {}", file, e);
                std::process::exit(1);
            }
        }
    }
    let mut longest = text
        .split_whitespace()
        .fold("", |best, w| if w.chars().count() > best.chars().count() { w } else { best })
        .to_string();
    if std::env::var("STATS_UPPER").map(|v| v == "1").unwrap_or(false) {
        longest = longest.to_uppercase();
    }
    println!(
        "{{\"message\":\"counted\",\"parameters\":{{{}:\"{}\",{}:\"{}\",{}:\"{}\",{}:{}}}}}",
        json::quote(&format!("{}lines", prefix)),
        text.lines().count(),
        json::quote(&format!("{}words", prefix)),
        text.split_whitespace().count(),
        json::quote(&format!("{}bytes", prefix)),
        text.len(),
        json::quote(&format!("{}longest", prefix)),
        json::quote(&longest)
    );
}
