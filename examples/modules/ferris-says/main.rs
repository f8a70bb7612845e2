//! ferris-says: a module written to the earlier WASI plugin's contract (Shark/wasm-workflows-plugin),
//! with nothing but the standard library. It reads the invocation from /work/input.json, draws the
//! input parameter `text` in a speech bubble above Ferris the crab, and writes the result to
//! /work/result.json: output parameter `text`, or phase Failed with the reason.

#[path = "../rust-json/json.rs"]
mod json;

use std::fs;

const INPUT: &str = "/work/input.json";
const RESULT: &str = "/work/result.json";
const WIDTH: usize = 24;

fn main() {
    let result = match run() {
        Ok(text) => format!(
            "{{\"phase\":\"Succeeded\",\"message\":\"Ferris spoke\",\"outputs\":{{\"artifacts\":[],\"parameters\":[{{\"name\":\"text\",\"value\":{}}}]}}}}",
            json::quote(&text)
        ),
        Err(why) => format!(
            "{{\"phase\":\"Failed\",\"message\":{},\"outputs\":{{\"artifacts\":[],\"parameters\":[]}}}}",
            json::quote(&why)
        ),
    };
    if let Err(why) = fs::write(RESULT, result) {
        eprintln!("cannot write {}: {}", RESULT, why);
        std::process::exit(1);
    }
}

fn run() -> Result<String, String> {
    let input = fs::read_to_string(INPUT).map_err(|e| format!("cannot read {}: {}", INPUT, e))?;
    let invocation = json::parse(&input).map_err(|e| format!("{} is not JSON: {}", INPUT, e))?;
    let text = invocation
        .get("parameters")
        .map(|p| p.as_array())
        .unwrap_or(&[])
        .iter()
        .find(|p| p.get("name").and_then(|n| n.as_str()) == Some("text"))
        .and_then(|p| p.get("value"))
        .and_then(|v| v.as_str())
        .ok_or_else(|| "Expected parameter \"text\" to be present".to_string())?;
    Ok(say(text))
}

/// The text wrapped at WIDTH columns in a bubble, and Ferris below it.
fn say(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WIDTH {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut out = format!(" {}\n", "_".repeat(width + 2));
    for (i, l) in lines.iter().enumerate() {
        let (open, close) = match (lines.len(), i) {
            (1, _) => ('<', '>'),
            (_, 0) => ('/', '\\'),
            (n, i) if i == n - 1 => ('\\', '/'),
            _ => ('|', '|'),
        };
        out.push_str(&format!("{} {:<w$} {}\n", open, l, close, w = width));
    }
    out.push_str(&format!(" {}\n", "-".repeat(width + 2)));
    out.push_str("        \\\n         \\\n            _~^~^~_\n        \\) /  o o  \\ (/\n          '_   -   _'\n          / '-----' \\\n");
    out
}
