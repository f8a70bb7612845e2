;; start-init-order: exports all three init hooks. Each appends its marker to a list in memory;
;; __guest_call answers {"parameters":{"order":"<markers in call order>"}}, which is
;; "start,initialize,wapc_init" when the host runs _start, then _initialize, then wapc_init.
;; _start ends with WASI proc_exit(0), as command modules built by WASI toolchains do.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 1)

  ;; The response prefix sits right before the marker list, so prefix, list and suffix are
  ;; contiguous and can be answered in one piece.
  (data (i32.const 1000) "{\"parameters\":{\"order\":\"")
  (data (i32.const 200) "start")
  (data (i32.const 210) "initialize")
  (data (i32.const 230) "wapc_init")
  (data (i32.const 250) "\"}}")
  (global $list i32 (i32.const 1024))
  (global $length (mut i32) (i32.const 0))

  ;; Appends ",marker" (or "marker" to an empty list); the list holds at most 900 bytes.
  (func $append (param $marker i32) (param $marker_len i32)
    (if (i32.gt_u (i32.add (global.get $length) (i32.add (local.get $marker_len) (i32.const 1)))
                  (i32.const 900))
      (then (return)))
    (if (i32.gt_u (global.get $length) (i32.const 0))
      (then
        (i32.store8 (i32.add (global.get $list) (global.get $length)) (i32.const 44))
        (global.set $length (i32.add (global.get $length) (i32.const 1)))))
    (memory.copy (i32.add (global.get $list) (global.get $length))
                 (local.get $marker) (local.get $marker_len))
    (global.set $length (i32.add (global.get $length) (local.get $marker_len))))

  (func (export "_start")
    (call $append (i32.const 200) (i32.const 5))
    (call $proc_exit (i32.const 0))
    unreachable)

  (func (export "_initialize")
    (call $append (i32.const 210) (i32.const 10)))

  (func (export "wapc_init")
    (call $append (i32.const 230) (i32.const 9)))

  (func (export "__guest_call") (param $operation_len i32) (param $payload_len i32) (result i32)
    (memory.copy (i32.add (global.get $list) (global.get $length)) (i32.const 250) (i32.const 3))
    (call $guest_response (i32.const 1000) (i32.add (global.get $length) (i32.const 27)))
    (i32.const 1)))
