;; big-initial-memory: declares 3000 initial pages (187.5 MiB) and answers every operation with
;; {"parameters":{"answered":"yes"}}. Within a 256Mi limits.memory, so a valid step; a few of them
;; at once are more than the sidecar's heap can hold.
(module
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 3000)
  (data (i32.const 0) "{\"parameters\":{\"answered\":\"yes\"}}")
  (func (export "__guest_call") (param i32 i32) (result i32)
    (call $guest_response (i32.const 0) (i32.const 33))
    (i32.const 1)))
