;; echo: the smallest waPC guest. Every operation answers with its payload unchanged.
;; No WASI, no allocator, no init hooks: the module used to measure the host's own cost per call.
(module
  (import "wapc" "__guest_request" (func $guest_request (param i32 i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (import "wapc" "__guest_error" (func $guest_error (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "echo: cannot grow memory for the request")

  ;; The operation goes to address 64, the payload right after it; memory grows to fit both.
  (func (export "__guest_call") (param $operation_len i32) (param $payload_len i32) (result i32)
    (local $needed i32)
    (local.set $needed
      (i32.shr_u
        (i32.add (i32.add (i32.const 64) (local.get $operation_len))
                 (i32.add (local.get $payload_len) (i32.const 65535)))
        (i32.const 16)))
    (if (i32.gt_u (local.get $needed) (memory.size))
      (then
        (if (i32.eq (memory.grow (i32.sub (local.get $needed) (memory.size))) (i32.const -1))
          (then
            (call $guest_error (i32.const 0) (i32.const 40))
            (return (i32.const 0))))))
    (call $guest_request (i32.const 64) (i32.add (i32.const 64) (local.get $operation_len)))
    (call $guest_response (i32.add (i32.const 64) (local.get $operation_len)) (local.get $payload_len))
    (i32.const 1)))
