;; big-response: every operation grows memory to 16 MiB and answers one response of 16 MiB - 1
;; bytes, just under the default --max-response-size: {"parameters":{"fill":"xxx..."}}. The
;; response passes the response cap and its parameter fails the output cap, after the host has
;; copied and parsed it.
(module
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (import "wapc" "__guest_error" (func $guest_error (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "{\"parameters\":{\"fill\":\"")
  (data (i32.const 64) "big-response: cannot grow memory to 16 MiB")
  (func (export "__guest_call") (param i32 i32) (result i32)
    (if (i32.eq (memory.grow (i32.const 255)) (i32.const -1))
      (then
        (call $guest_error (i32.const 64) (i32.const 42))
        (return (i32.const 0))))
    ;; 23 bytes of prefix, 16777189 of "x", 3 of suffix: 16777215 in all.
    (memory.fill (i32.const 23) (i32.const 120) (i32.const 16777189))
    (i32.store8 (i32.const 16777212) (i32.const 34))
    (i32.store16 (i32.const 16777213) (i32.const 0x7d7d))
    (call $guest_response (i32.const 0) (i32.const 16777215))
    (i32.const 1)))
