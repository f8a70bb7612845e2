//! @NAME@: a waPC guest in Rust, built with rustc alone (no cargo, no crates: see build.sh).
//!
//! Operation "run" reads parameters.name (default "world") and answers
//! {"parameters":{"greeting":"hello, <name>"},"message":"greeted <name>"}.
//! `wapc` holds the waPC glue, `json` a small JSON reader and string quoting; the guest contract
//! is in docs/module-authors.md of wasm-executor-plugin.

pub mod json;
pub mod wapc;

/// Called by the waPC glue for every invocation: the answer, or the error that fails the step.
fn handle(operation: &str, payload: &[u8]) -> Result<Vec<u8>, String> {
    match operation {
        "run" => run(payload),
        _ => Err(format!("@NAME@: unknown operation {operation:?}; this module has \"run\"")),
    }
}

fn run(payload: &[u8]) -> Result<Vec<u8>, String> {
    let step = json::parse(payload).map_err(|e| format!("@NAME@: the payload is not JSON: {e}"))?;
    let name = match step.get("parameters").and_then(|p| p.get("name")) {
        None => "world",
        Some(json::Value::String(name)) => name.as_str(),
        Some(_) => return Err("@NAME@: parameter \"name\" must be a string".to_string()),
    };
    let greeting = format!("hello, {name}");
    let message = format!("greeted {name}");
    let response = format!(
        "{{\"parameters\":{{\"greeting\":{}}},\"message\":{}}}",
        json::quote(&greeting),
        json::quote(&message)
    );
    Ok(response.into_bytes())
}
