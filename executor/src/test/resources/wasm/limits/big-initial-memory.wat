;; A waPC guest that starts with 187.5 MiB of linear memory (3000 pages), nearly all zeros.
(module
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 3000)
  (data (i32.const 16) "ok")
  (func (export "__guest_call") (param i32 i32) (result i32)
    (call $guest_response (i32.const 16) (i32.const 2))
    (i32.const 1)))
