//! The waPC guest side, by hand: the imports the host provides and the `__guest_call` export.

#[link(wasm_import_module = "wapc")]
extern "C" {
    fn __guest_request(operation: *mut u8, payload: *mut u8);
    fn __guest_response(ptr: *const u8, len: usize);
    fn __guest_error(ptr: *const u8, len: usize);
    fn __host_call(
        binding: *const u8,
        binding_len: usize,
        namespace: *const u8,
        namespace_len: usize,
        operation: *const u8,
        operation_len: usize,
        payload: *const u8,
        payload_len: usize,
    ) -> usize;
    fn __host_response_len() -> usize;
    fn __host_response(ptr: *mut u8);
    fn __host_error_len() -> usize;
    fn __host_error(ptr: *mut u8);
    fn __console_log(ptr: *const u8, len: usize);
}

/// The host calls this once per invocation with the lengths of the operation name and payload.
#[no_mangle]
pub extern "C" fn __guest_call(operation_len: usize, payload_len: usize) -> usize {
    let mut operation = vec![0u8; operation_len];
    let mut payload = vec![0u8; payload_len];
    unsafe { __guest_request(operation.as_mut_ptr(), payload.as_mut_ptr()) };
    let operation = String::from_utf8_lossy(&operation);
    match crate::handle(&operation, &payload) {
        Ok(response) => {
            unsafe { __guest_response(response.as_ptr(), response.len()) };
            1
        }
        Err(error) => {
            unsafe { __guest_error(error.as_ptr(), error.len()) };
            0
        }
    }
}

/// Runs once per instance, before any invocation: a panic's message goes to the log, whose last
/// lines the plugin appends to the failed step's message.
#[no_mangle]
pub extern "C" fn wapc_init() {
    std::panic::set_hook(Box::new(|info| console_log(&info.to_string())));
}

/// Calls the host, e.g. `host_call("artifacts", "text", "read", br#"{"offset":0,"length":65536}"#)`.
pub fn host_call(
    binding: &str,
    namespace: &str,
    operation: &str,
    payload: &[u8],
) -> Result<Vec<u8>, String> {
    let ok = unsafe {
        __host_call(
            binding.as_ptr(),
            binding.len(),
            namespace.as_ptr(),
            namespace.len(),
            operation.as_ptr(),
            operation.len(),
            payload.as_ptr(),
            payload.len(),
        )
    };
    if ok == 1 {
        let mut response = vec![0u8; unsafe { __host_response_len() }];
        unsafe { __host_response(response.as_mut_ptr()) };
        Ok(response)
    } else {
        let mut error = vec![0u8; unsafe { __host_error_len() }];
        unsafe { __host_error(error.as_mut_ptr()) };
        Err(String::from_utf8_lossy(&error).into_owned())
    }
}

/// A line in the sidecar's log, tagged with the workflow and template.
pub fn console_log(text: &str) {
    unsafe { __console_log(text.as_ptr(), text.len()) };
}
