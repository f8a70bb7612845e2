;; table-grow: eight funcref tables that start empty and declare no maximum. Every operation grows
;; each table by 1,000,000 entries at a time until table.grow returns -1, then answers
;; {"parameters":{"entries":"<entries added in all tables>"}}. Without a host limit the engine
;; grants 10,000,000 entries per table: 80,000,000 in all, each costing the host memory that
;; limits.memory does not count.
(module
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (table $t0 0 funcref)
  (table $t1 0 funcref)
  (table $t2 0 funcref)
  (table $t3 0 funcref)
  (table $t4 0 funcref)
  (table $t5 0 funcref)
  (table $t6 0 funcref)
  (table $t7 0 funcref)
  (memory (export "memory") 1)
  (data (i32.const 0) "{\"parameters\":{\"entries\":\"")
  (global $delta i32 (i32.const 1000000))
  (global $added (mut i32) (i32.const 0))

  ;; Adds $delta to the total when a table.grow result is not -1; returns whether it grew.
  (func $count (param $old i32) (result i32)
    (if (result i32) (i32.eq (local.get $old) (i32.const -1))
      (then (i32.const 0))
      (else
        (global.set $added (i32.add (global.get $added) (global.get $delta)))
        (i32.const 1))))

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

  (func (export "__guest_call") (param i32 i32) (result i32)
    (local $end i32)
    (loop $g0 (br_if $g0 (call $count (table.grow $t0 (ref.null func) (global.get $delta)))))
    (loop $g1 (br_if $g1 (call $count (table.grow $t1 (ref.null func) (global.get $delta)))))
    (loop $g2 (br_if $g2 (call $count (table.grow $t2 (ref.null func) (global.get $delta)))))
    (loop $g3 (br_if $g3 (call $count (table.grow $t3 (ref.null func) (global.get $delta)))))
    (loop $g4 (br_if $g4 (call $count (table.grow $t4 (ref.null func) (global.get $delta)))))
    (loop $g5 (br_if $g5 (call $count (table.grow $t5 (ref.null func) (global.get $delta)))))
    (loop $g6 (br_if $g6 (call $count (table.grow $t6 (ref.null func) (global.get $delta)))))
    (loop $g7 (br_if $g7 (call $count (table.grow $t7 (ref.null func) (global.get $delta)))))
    (local.set $end (call $decimal (global.get $added) (i32.const 26)))
    (i32.store8 (local.get $end) (i32.const 34))
    (i32.store16 (i32.add (local.get $end) (i32.const 1)) (i32.const 0x7d7d))
    (call $guest_response (i32.const 0) (i32.add (local.get $end) (i32.const 3)))
    (i32.const 1)))
