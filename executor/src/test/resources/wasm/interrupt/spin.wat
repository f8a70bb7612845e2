;; A waPC guest that never returns, each operation in a loop of a different shape, so a host can
;; check that a timeout stops every one of them in compiled code and in the interpreter. The
;; operation's length picks the loop: 5 ("br-if") a loop closed by br_if, 8 ("br-table") by
;; br_table, 4 ("tail") a function calling itself with return_call; anything else answers "ok".
;; Built by build.sh beside it (wat2wasm --enable-tail-call).
(module
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "ok")
  (func $spin (param $n i32) (result i32)
    (return_call $spin (i32.add (local.get $n) (i32.const 1))))
  (func (export "__guest_call") (param $oplen i32) (param $plen i32) (result i32)
    (local $i i32)
    (if (i32.eq (local.get $oplen) (i32.const 5))
      (then
        (loop $again
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $again (i32.const 1)))))
    (if (i32.eq (local.get $oplen) (i32.const 8))
      (then
        (loop $again
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_table $again $again (i32.and (local.get $i) (i32.const 1))))))
    (if (i32.eq (local.get $oplen) (i32.const 4))
      (then (return (call $spin (i32.const 0)))))
    (call $guest_response (i32.const 0) (i32.const 2))
    (i32.const 1))
)
