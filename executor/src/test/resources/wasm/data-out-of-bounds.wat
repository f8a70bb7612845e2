;; data-out-of-bounds: an active data segment placed past the end of its one-page memory, so
;; instantiation traps; the host must report it as a module that cannot be instantiated.
(module
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 65530) "more than six bytes")
  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (call $guest_response (i32.const 0) (i32.const 0))
    (i32.const 1)))
