;; start-exit1: _start exits with WASI proc_exit(1), so the module fails to initialise.
;; Apart from that it is a valid guest that answers {} to every operation.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "{}")
  (func (export "_start")
    (call $proc_exit (i32.const 1))
    unreachable)
  (func (export "__guest_call") (param i32 i32) (result i32)
    (call $guest_response (i32.const 0) (i32.const 2))
    (i32.const 1)))
