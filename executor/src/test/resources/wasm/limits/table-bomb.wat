;; A waPC guest declaring 8 function tables of 10,000,000 entries each.
(module
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 1)
  (table 10000000 funcref) (table 10000000 funcref) (table 10000000 funcref) (table 10000000 funcref)
  (table 10000000 funcref) (table 10000000 funcref) (table 10000000 funcref) (table 10000000 funcref)
  (func (export "__guest_call") (param i32 i32) (result i32)
    (i32.const 1)))
