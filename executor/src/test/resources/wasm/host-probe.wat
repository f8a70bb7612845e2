;; host-probe: calls the waPC host functions with whatever pointers and lengths its payload names,
;; so a test can hand the host every bad buffer a guest could. The payload is a list of 36-byte
;; records, each a little-endian i32 selector and eight i32 arguments a0..a7:
;;   0 __guest_request(a0, a1)      5 __host_response(a0)       9 memory.grow(a0)
;;   1 __guest_response(a0, a1)     6 __host_error_len()       10 return a0 from __guest_call
;;   2 __guest_error(a0, a1)        7 __host_error(a0)          other selectors are skipped
;;   3 __host_call(a0, ..., a7)     8 __console_log(a0, a1)
;;   4 __host_response_len()
;; The operation is read to address 0 and the payload to address 64; after the last record the
;; call returns 1.
(module
  (import "wapc" "__guest_request" (func $guest_request (param i32 i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (import "wapc" "__guest_error" (func $guest_error (param i32 i32)))
  (import "wapc" "__host_call"
    (func $host_call (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wapc" "__host_response_len" (func $host_response_len (result i32)))
  (import "wapc" "__host_response" (func $host_response (param i32)))
  (import "wapc" "__host_error_len" (func $host_error_len (result i32)))
  (import "wapc" "__host_error" (func $host_error (param i32)))
  (import "wapc" "__console_log" (func $console_log (param i32 i32)))
  (memory (export "memory") 1)

  (func $arg (param $record i32) (param $n i32) (result i32)
    (i32.load (i32.add (local.get $record) (i32.mul (i32.add (local.get $n) (i32.const 1))
                                                     (i32.const 4)))))

  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (local $record i32)
    (local $end i32)
    (call $guest_request (i32.const 0) (i32.const 64))
    (local.set $record (i32.const 64))
    (local.set $end (i32.add (i32.const 64) (local.get $payload_len)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $record) (i32.const 36)) (local.get $end)))
        (block $skip
          (block $s10 (block $s9 (block $s8 (block $s7 (block $s6 (block $s5 (block $s4
          (block $s3 (block $s2 (block $s1 (block $s0
            (br_table $s0 $s1 $s2 $s3 $s4 $s5 $s6 $s7 $s8 $s9 $s10 $skip
              (i32.load (local.get $record))))
            (call $guest_request (call $arg (local.get $record) (i32.const 0))
                                 (call $arg (local.get $record) (i32.const 1)))
            (br $skip))
            (call $guest_response (call $arg (local.get $record) (i32.const 0))
                                  (call $arg (local.get $record) (i32.const 1)))
            (br $skip))
            (call $guest_error (call $arg (local.get $record) (i32.const 0))
                               (call $arg (local.get $record) (i32.const 1)))
            (br $skip))
            (drop (call $host_call (call $arg (local.get $record) (i32.const 0))
                                   (call $arg (local.get $record) (i32.const 1))
                                   (call $arg (local.get $record) (i32.const 2))
                                   (call $arg (local.get $record) (i32.const 3))
                                   (call $arg (local.get $record) (i32.const 4))
                                   (call $arg (local.get $record) (i32.const 5))
                                   (call $arg (local.get $record) (i32.const 6))
                                   (call $arg (local.get $record) (i32.const 7))))
            (br $skip))
            (drop (call $host_response_len))
            (br $skip))
            (call $host_response (call $arg (local.get $record) (i32.const 0)))
            (br $skip))
            (drop (call $host_error_len))
            (br $skip))
            (call $host_error (call $arg (local.get $record) (i32.const 0)))
            (br $skip))
            (call $console_log (call $arg (local.get $record) (i32.const 0))
                               (call $arg (local.get $record) (i32.const 1)))
            (br $skip))
            (drop (memory.grow (call $arg (local.get $record) (i32.const 0))))
            (br $skip))
          (return (call $arg (local.get $record) (i32.const 0))))
        (local.set $record (i32.add (local.get $record) (i32.const 36)))
        (br $next)))
    (i32.const 1)))
