;; big-output-param: every operation answers {"parameters":{"out":"xxx..."}} with a value of
;; 256 KiB, under the default --max-output-size, so each step succeeds with one large output.
(module
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 5)
  (data (i32.const 0) "{\"parameters\":{\"out\":\"")
  (func (export "__guest_call") (param i32 i32) (result i32)
    ;; 22 bytes of prefix, 262144 of "x", 3 of suffix.
    (memory.fill (i32.const 22) (i32.const 120) (i32.const 262144))
    (i32.store8 (i32.const 262166) (i32.const 34))
    (i32.store16 (i32.const 262167) (i32.const 0x7d7d))
    (call $guest_response (i32.const 0) (i32.const 262169))
    (i32.const 1)))
