;; bad-responses: a guest whose responses break the contract in ways the host must report, chosen
;; by the length of the operation name:
;;   1 ("a")    invalid UTF-8 inside a JSON string: {"parameters":{"x":"<ff fe>"}}
;;   2 ("ab")   100000 nested arrays: [[[[...
;;   3 ("abc")  "parameters" that is not an object: {"parameters":[1,2]}
;;   other      the JSON value null
(module
  (import "wapc" "__guest_response" (func $guest_response (param i32 i32)))
  (memory (export "memory") 2)
  (data (i32.const 0) "{\"parameters\":{\"x\":\"\ff\fe\"}}")
  (data (i32.const 64) "{\"parameters\":[1,2]}")
  (data (i32.const 96) "null")
  (func (export "__guest_call") (param $op_len i32) (param $payload_len i32) (result i32)
    (block $other
      (block $not_object
        (block $nested
          (block $utf8
            (br_table $other $utf8 $nested $not_object $other (local.get $op_len)))
          (call $guest_response (i32.const 0) (i32.const 25))
          (return (i32.const 1)))
        (memory.fill (i32.const 1024) (i32.const 91) (i32.const 100000))
        (call $guest_response (i32.const 1024) (i32.const 100000))
        (return (i32.const 1)))
      (call $guest_response (i32.const 64) (i32.const 20))
      (return (i32.const 1)))
    (call $guest_response (i32.const 96) (i32.const 4))
    (i32.const 1)))
