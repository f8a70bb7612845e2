;; wasi-fd-read: calls WASI fd_read on stdin (fd 0) with one iovec whose buffer lies in a one-page
;; memory and whose length is far larger, chosen by the operation:
;;   iovec-7fffffff   0x7fffffff bytes (2 GiB - 1), also any other operation
;;   iovec-30000000   0x30000000 bytes (768 MiB)
;;   iovec-ffffffff   0xffffffff bytes (-1 as an i32)
;; If the call returns, the guest answers {"parameters":{"errno":"<errno>","nread":"<nread>"}}.
;; A host that allocates the iovec's length before reading runs out of heap.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wapc" "__guest_request" (func $guest_request (param i32 i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (import "wapc" "__guest_error" (func $guest_error (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 512) "{\"parameters\":{\"errno\":\"")
  (data (i32.const 640) "\",\"nread\":\"")
  (data (i32.const 768) "wasi-fd-read: cannot grow memory for the request")

  ;; Writes $n in decimal at $at; returns the address after the last digit.
  (func $decimal (param $n i32) (param $at i32) (result i32)
    (local $digits i32)
    (local $rest i32)
    (local.set $rest (local.get $n))
    (loop $count_digits
      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
      (local.set $rest (i32.div_u (local.get $rest) (i32.const 10)))
      (br_if $count_digits (local.get $rest)))
    (local.set $rest (local.get $n))
    (local.set $at (i32.add (local.get $at) (local.get $digits)))
    (loop $write
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (i32.store8 (local.get $at)
        (i32.add (i32.const 48) (i32.rem_u (local.get $rest) (i32.const 10))))
      (local.set $rest (i32.div_u (local.get $rest) (i32.const 10)))
      (br_if $write (local.get $rest)))
    (i32.add (local.get $at) (local.get $digits)))

  ;; The operation goes to address 4096, the payload right after it; memory grows to fit both.
  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (local $needed i32)
    (local $length i32)
    (local $errno i32)
    (local $end i32)
    (local.set $needed
      (i32.shr_u
        (i32.add (i32.add (i32.const 4096) (local.get $op_len))
                 (i32.add (local.get $payload_len) (i32.const 65535)))
        (i32.const 16)))
    (if (i32.gt_u (local.get $needed) (memory.size))
      (then
        (if (i32.eq (memory.grow (i32.sub (local.get $needed) (memory.size))) (i32.const -1))
          (then
            (call $guest_error (i32.const 768) (i32.const 48))
            (return (i32.const 0))))))
    (call $guest_request (i32.const 4096) (i32.add (i32.const 4096) (local.get $op_len)))
    (local.set $length (i32.const 0x7fffffff))
    (if (i32.gt_u (local.get $op_len) (i32.const 6))
      (then
        (if (i32.eq (i32.load8_u (i32.const 4102)) (i32.const 51)) ;; '3'
          (then (local.set $length (i32.const 0x30000000))))
        (if (i32.eq (i32.load8_u (i32.const 4102)) (i32.const 102)) ;; 'f'
          (then (local.set $length (i32.const 0xffffffff))))))
    ;; One iovec at 16: buffer at 256, the chosen length; nread goes to 24.
    (i32.store (i32.const 16) (i32.const 256))
    (i32.store (i32.const 20) (local.get $length))
    (local.set $errno (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
    ;; {"parameters":{"errno":"  is 24 bytes at 512; the answer is built right after it.
    (local.set $end (call $decimal (local.get $errno) (i32.const 536)))
    (memory.copy (local.get $end) (i32.const 640) (i32.const 11))
    (local.set $end (call $decimal (i32.load (i32.const 24))
                                   (i32.add (local.get $end) (i32.const 11))))
    (i32.store8 (local.get $end) (i32.const 34))
    (i32.store16 (i32.add (local.get $end) (i32.const 1)) (i32.const 0x7d7d))
    (call $guest_response (i32.const 512) (i32.sub (i32.add (local.get $end) (i32.const 3))
                                                   (i32.const 512)))
    (i32.const 1)))
