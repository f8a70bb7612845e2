;; wasi-fd-write-many: one WASI fd_write on stdout (fd 1) with 2,088,960 iovecs, every 8 bytes of
;; its 16 MiB memory from 64 KiB up. Even iovecs are empty, odd ones hold one byte, chosen by the
;; operation's first letter:
;;   l (lines)   "\n": a million empty lines
;;   otherwise   "x": a million bytes without a newline
;; If the call returns, the guest answers {"parameters":{"errno":"<errno>","nwritten":"<n>"}}.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wapc" "__guest_request" (func $guest_request (param i32 i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 256)
  (data (i32.const 8) "\nx")
  (data (i32.const 512) "{\"parameters\":{\"errno\":\"")
  (data (i32.const 640) "\",\"nwritten\":\"")

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

  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (local $byte i32)
    (local $iovec i32)
    (local $errno i32)
    (local $end i32)
    ;; The operation goes to 4096; the payload after it is overwritten by the iovecs below.
    (call $guest_request (i32.const 4096) (i32.add (i32.const 4096) (local.get $op_len)))
    (local.set $byte (i32.const 9))
    (if (i32.eq (i32.load8_u (i32.const 4096)) (i32.const 108)) ;; 'l'
      (then (local.set $byte (i32.const 8))))
    (local.set $iovec (i32.const 65536))
    (loop $fill
      (i64.store (local.get $iovec) (i64.const 8))
      (i32.store (i32.add (local.get $iovec) (i32.const 8)) (local.get $byte))
      (i32.store (i32.add (local.get $iovec) (i32.const 12)) (i32.const 1))
      (local.set $iovec (i32.add (local.get $iovec) (i32.const 16)))
      (br_if $fill (i32.lt_u (local.get $iovec) (i32.const 16777216))))
    (local.set $errno
      (call $fd_write (i32.const 1) (i32.const 65536) (i32.const 2088960) (i32.const 24)))
    ;; {"parameters":{"errno":"  is 24 bytes at 512; the answer is built right after it.
    (local.set $end (call $decimal (local.get $errno) (i32.const 536)))
    (memory.copy (local.get $end) (i32.const 640) (i32.const 14))
    (local.set $end (call $decimal (i32.load (i32.const 24))
                                   (i32.add (local.get $end) (i32.const 14))))
    (i32.store8 (local.get $end) (i32.const 34))
    (i32.store16 (i32.add (local.get $end) (i32.const 1)) (i32.const 0x7d7d))
    (call $guest_response (i32.const 512) (i32.sub (i32.add (local.get $end) (i32.const 3))
                                                   (i32.const 512)))
    (i32.const 1)))
