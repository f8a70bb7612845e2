;; console-flood: every operation calls __console_log with the same 4 KiB line in an endless loop,
;; never returning. Only the step's timeout ends it; only an output budget keeps it from filling
;; the sidecar's log.
(module
  (import "wapc" "__console_log" (func $console_log (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "__guest_call") (param i32 i32) (result i32)
    (memory.fill (i32.const 0) (i32.const 120) (i32.const 4096))
    (loop $again
      (call $console_log (i32.const 0) (i32.const 4096))
      (br $again))
    (unreachable)))
