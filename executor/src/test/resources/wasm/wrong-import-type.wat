;; wrong-import-type: imports wapc.__guest_response with i64 parameters instead of waPC's
;; (i32, i32); instantiation must fail with an error, not crash the host.
(module
  (import "wapc" "__guest_response" (func $guest_response (param i64 i64)))
  (memory (export "memory") 1)
  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (call $guest_response (i64.const 0) (i64.const 0))
    (i32.const 1)))
