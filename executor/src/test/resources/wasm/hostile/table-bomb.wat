;; table-bomb: eight funcref tables of 10,000,000 entries each, the most the engine lets one table
;; declare. The bytes are tiny; an engine that backs each entry with a Java reference and an int
;; needs about 80 MiB per table before the guest runs, and as much again for a snapshot. Otherwise
;; a valid waPC guest: every operation answers {}.
(module
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (table 10000000 funcref)
  (table 10000000 funcref)
  (table 10000000 funcref)
  (table 10000000 funcref)
  (table 10000000 funcref)
  (table 10000000 funcref)
  (table 10000000 funcref)
  (table 10000000 funcref)
  (memory (export "memory") 1)
  (data (i32.const 0) "{}")
  (func (export "__guest_call") (param i32 i32) (result i32)
    (call $guest_response (i32.const 0) (i32.const 2))
    (i32.const 1)))
