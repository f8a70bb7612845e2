;; no-guest-call: a valid module that exports memory and a function, but not __guest_call,
;; so it is no waPC guest.
(module
  (memory (export "memory") 1)
  (func (export "hello") (result i32)
    (i32.const 42)))
