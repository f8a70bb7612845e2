;; huge-initial-memory: declares 2048 initial pages (128 MiB), more than a 64 MiB memory limit
;; allows, so the host must refuse to instantiate it rather than allocate it.
(module
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 2048)
  (data (i32.const 0) "{}")
  (func (export "__guest_call") (param i32 i32) (result i32)
    (call $guest_response (i32.const 0) (i32.const 2))
    (i32.const 1)))
