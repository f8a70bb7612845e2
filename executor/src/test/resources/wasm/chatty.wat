;; chatty: every operation writes two __console_log lines, then answers
;; {"parameters":{"said":"2"}}: a succeeding step with guest output.
(module
  (import "wapc" "__console_log" (func $console_log (param i32 i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello from the guest")
  (data (i32.const 100) "second line")
  (data (i32.const 200) "{\"parameters\":{\"said\":\"2\"}}")
  (func (export "__guest_call") (param i32 i32) (result i32)
    (call $console_log (i32.const 0) (i32.const 20))
    (call $console_log (i32.const 100) (i32.const 11))
    (call $guest_response (i32.const 200) (i32.const 27))
    (i32.const 1)))
