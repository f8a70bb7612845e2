// @NAME@: a waPC guest in AssemblyScript with @wapc/as-guest.
//
// Operation "run" reads parameters.name (default "world") and answers
// {"parameters":{"greeting":"hello, <name>"},"message":"greeted <name>"}.
// The guest contract is in docs/module-authors.md of wasm-executor-plugin.
import { register, handleCall, handleAbort, Result } from "@wapc/as-guest";
import { JSON } from "assemblyscript-json/assembly";

register("run", run);

function run(payload: ArrayBuffer): Result<ArrayBuffer> {
  // Malformed JSON makes the parser abort: handleAbort reports its message as the guest error.
  const step = JSON.parse(Uint8Array.wrap(payload));
  if (!step.isObj) {
    return failure("the payload is not the step's JSON object");
  }
  const parameters: JSON.Obj | null = (<JSON.Obj>step).getObj("parameters");
  const value: JSON.Value | null = parameters != null ? parameters.get("name") : null;
  let name = "world";
  if (value != null) {
    if (!value.isString) {
      return failure('parameter "name" must be a string');
    }
    name = (<JSON.Str>value).valueOf();
  }
  const response =
    '{"parameters":{"greeting":' + quote("hello, " + name) +
    '},"message":' + quote("greeted " + name) + "}";
  return Result.ok<ArrayBuffer>(String.UTF8.encode(response));
}

// A JSON string literal: quotes, backslashes and control characters escaped.
function quote(value: string): string {
  const hex = "0123456789abcdef";
  let out = '"';
  let plain = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0x20 && unit != 0x22 && unit != 0x5c) {
      continue;
    }
    out += value.substring(plain, i);
    plain = i + 1;
    if (unit == 0x22) out += '\\"';
    else if (unit == 0x5c) out += "\\\\";
    else if (unit == 0x0a) out += "\\n";
    else if (unit == 0x0d) out += "\\r";
    else if (unit == 0x09) out += "\\t";
    else out += "\\u00" + hex.charAt(unit >> 4) + hex.charAt(unit & 15);
  }
  return out + value.substring(plain) + '"';
}

function failure(text: string): Result<ArrayBuffer> {
  return Result.error<ArrayBuffer>(new Error("@NAME@: " + text));
}

export function __guest_call(operation_size: usize, payload_size: usize): bool {
  return handleCall(operation_size, payload_size);
}

// Replaces AssemblyScript's env.abort import (see --use abort=... in package.json), so the module
// imports nothing but "wapc" functions; the trap that follows an abort fails the call.
function abort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  handleAbort(message, fileName, lineNumber, columnNumber);
}
