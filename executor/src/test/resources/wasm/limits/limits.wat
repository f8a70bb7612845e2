;; A waPC guest whose operations push the host's limits; the operation name picks one.
;;   fd-read-huge    fd_read of one iovec of 0x7fffffff bytes
;;   fd-read-minus1  fd_read of one iovec of 0xffffffff bytes
;;   fd-write-many   fd_write with 10,000,000 iovecs
;;   table-grow      table.grow by 1,000,000 entries until refused, answers the size in millions
;;   console-flood   __console_log of a 4 KiB line, for ever
;;   respond-big     __guest_response of 8 MiB (after growing memory)
;;   print-no-newline  fd_write "last words" without a newline, then answers "ok"
;;   ok              answers "ok"
(module
  (import "wapc" "__guest_request" (func $guest_request (param i32 i32)))
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (import "wapc" "__console_log" (func $console_log (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (table $t 1 funcref)
  (data (i32.const 16) "fd-read-huge")       ;; 12
  (data (i32.const 32) "fd-read-minus1")     ;; 14
  (data (i32.const 48) "fd-write-many")      ;; 13
  (data (i32.const 64) "table-grow")         ;; 10
  (data (i32.const 80) "console-flood")      ;; 13
  (data (i32.const 96) "respond-big")        ;; 11
  (data (i32.const 112) "print-no-newline")  ;; 16
  (data (i32.const 128) "ok")
  (data (i32.const 144) "last words")        ;; 10
  (func $eq (param $a i32) (param $alen i32) (param $b i32) (param $blen i32) (result i32)
    (local $i i32)
    (if (i32.ne (local.get $alen) (local.get $blen)) (then (return (i32.const 0))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $alen)))
        (if (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i)))
                    (i32.load8_u (i32.add (local.get $b) (local.get $i))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 1))
  (func $ok (result i32)
    (call $guest_response (i32.const 128) (i32.const 2))
    (i32.const 1))
  (func (export "__guest_call") (param $oplen i32) (param $plen i32) (result i32)
    (local $n i32)
    ;; the operation name lands at 4096, the payload after it
    (call $guest_request (i32.const 4096) (i32.add (i32.const 4096) (local.get $oplen)))
    (if (call $eq (i32.const 4096) (local.get $oplen) (i32.const 16) (i32.const 12))
      (then
        (i32.store (i32.const 8192) (i32.const 9000))
        (i32.store (i32.const 8196) (i32.const 0x7fffffff))
        (return (i32.eqz (call $fd_read (i32.const 0) (i32.const 8192) (i32.const 1) (i32.const 8200))))))
    (if (call $eq (i32.const 4096) (local.get $oplen) (i32.const 32) (i32.const 14))
      (then
        (i32.store (i32.const 8192) (i32.const 9000))
        (i32.store (i32.const 8196) (i32.const -1))
        (return (i32.eqz (call $fd_read (i32.const 0) (i32.const 8192) (i32.const 1) (i32.const 8200))))))
    (if (call $eq (i32.const 4096) (local.get $oplen) (i32.const 48) (i32.const 13))
      (then
        (return (i32.eqz (call $fd_write (i32.const 1) (i32.const 0) (i32.const 10000000) (i32.const 8200))))))
    (if (call $eq (i32.const 4096) (local.get $oplen) (i32.const 64) (i32.const 10))
      (then
        (block $refused
          (loop $grow
            (br_if $refused (i32.eq (table.grow $t (ref.null func) (i32.const 1000000)) (i32.const -1)))
            (br $grow)))
        (i32.store8 (i32.const 8192) (i32.add (i32.const 48) (i32.div_u (table.size $t) (i32.const 1000000))))
        (call $guest_response (i32.const 8192) (i32.const 1))
        (return (i32.const 1))))
    (if (call $eq (i32.const 4096) (local.get $oplen) (i32.const 80) (i32.const 13))
      (then
        (loop $flood
          (call $console_log (i32.const 12288) (i32.const 4096))
          (br $flood))))
    (if (call $eq (i32.const 4096) (local.get $oplen) (i32.const 96) (i32.const 11))
      (then
        (drop (memory.grow (i32.const 130)))
        (call $guest_response (i32.const 65536) (i32.const 8388608))
        (return (i32.const 1))))
    (if (call $eq (i32.const 4096) (local.get $oplen) (i32.const 112) (i32.const 16))
      (then
        (i32.store (i32.const 8192) (i32.const 144))
        (i32.store (i32.const 8196) (i32.const 10))
        (drop (call $fd_write (i32.const 1) (i32.const 8192) (i32.const 1) (i32.const 8200)))
        (return (call $ok))))
    (call $ok))
)
