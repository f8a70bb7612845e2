// textstats: a waPC guest written in AssemblyScript with @wapc/as-guest.
//
// Operations "run" and "stats" read parameters.text and answer
// {"parameters":{"words":"<n>","chars":"<n>","longest":"<word>"},"message":"..."}.
// A word is a run of characters other than ASCII whitespace; chars counts Unicode code points.
import { register, handleCall, handleAbort, Result } from "@wapc/as-guest";
import { JSON } from "assemblyscript-json/assembly";

register("run", stats);
register("stats", stats);

function stats(payload: ArrayBuffer): Result<ArrayBuffer> {
  if (isBlank(payload)) {
    return failure("the payload is empty; expected the step's JSON with parameters.text");
  }
  // Malformed JSON makes the parser abort: handleAbort reports its message as the guest error.
  const root = JSON.parse(Uint8Array.wrap(payload));
  if (!root.isObj) {
    return failure("the payload is not a JSON object");
  }
  const parameters: JSON.Obj | null = (<JSON.Obj>root).getObj("parameters");
  const text: JSON.Str | null = parameters != null ? parameters.getString("text") : null;
  if (text == null) {
    return failure('parameter "text" is missing or not a string');
  }
  return Result.ok<ArrayBuffer>(String.UTF8.encode(describe(text.valueOf())));
}

function describe(text: string): string {
  let words = 0;
  let chars = 0;
  let longest = "";
  let longestLength = 0;
  let wordStart = -1;
  let wordLength = 0;
  for (let i = 0; i <= text.length; i++) {
    const unit = i < text.length ? text.charCodeAt(i) : 0x20;
    if (isSpace(unit)) {
      if (wordStart >= 0) {
        words++;
        if (wordLength > longestLength) {
          longest = text.substring(wordStart, i);
          longestLength = wordLength;
        }
        wordStart = -1;
        wordLength = 0;
      }
    } else {
      if (wordStart < 0) {
        wordStart = i;
      }
      // A low surrogate completes a code point already counted with its high surrogate.
      if (unit < 0xdc00 || unit > 0xdfff) {
        wordLength++;
      }
    }
    if (i < text.length && (unit < 0xdc00 || unit > 0xdfff)) {
      chars++;
    }
  }
  return (
    '{"parameters":{"words":"' + words.toString() +
    '","chars":"' + chars.toString() +
    '","longest":' + quote(longest) +
    '},"message":' + quote(
      words.toString() + (words == 1 ? " word, " : " words, ") +
      chars.toString() + (chars == 1 ? " character" : " characters")) +
    "}"
  );
}

function isSpace(unit: i32): bool {
  return unit == 0x20 || (unit >= 0x09 && unit <= 0x0d);
}

function isBlank(payload: ArrayBuffer): bool {
  const bytes = Uint8Array.wrap(payload);
  for (let i = 0; i < bytes.length; i++) {
    if (!isSpace(bytes[i])) {
      return false;
    }
  }
  return true;
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
  return Result.error<ArrayBuffer>(new Error("textstats: " + text));
}

export function __guest_call(operation_size: usize, payload_size: usize): bool {
  return handleCall(operation_size, payload_size);
}

// Replaces AssemblyScript's env.abort import (see --use abort=... in package.json), so the module
// imports nothing but "wapc" functions; the trap that follows an abort fails the call.
function abort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  handleAbort(message, fileName, lineNumber, columnNumber);
}
