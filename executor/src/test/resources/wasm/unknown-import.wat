;; unknown-import: a guest that also imports env.mystery, which no host provides; instantiating it
;; must fail with an error that names the import.
(module
  (import "env" "mystery" (func $mystery (param i32) (result i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "{}")
  (func (export "__guest_call") (param i32 i32) (result i32)
    (drop (call $mystery (i32.const 0)))
    (call $guest_response (i32.const 0) (i32.const 2))
    (i32.const 1)))
