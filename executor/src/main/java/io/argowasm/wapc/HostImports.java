package io.argowasm.wapc;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ValType;
import io.argowasm.wapc.GuestOutput.Stream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The functions a guest may import: the waPC host functions, WASI preview1 with nothing granted (no
 * files, no environment, no arguments; stdout and stderr captured), and AssemblyScript's {@code
 * env.abort}.
 */
final class HostImports {

    static final String WAPC = "wapc";
    static final String WASI = SandboxWasi.MODULE;

    private static final ValType I32 = ValType.I32;
    private static final Set<String> WAPC_FUNCTIONS =
            Set.of(
                    "__guest_request",
                    "__guest_response",
                    "__guest_error",
                    "__host_call",
                    "__host_response_len",
                    "__host_response",
                    "__host_error_len",
                    "__host_error",
                    "__console_log");

    private HostImports() {}

    /** Whether the host offers an import, so a module lacking one is refused before it runs. */
    static boolean provides(Import imp) {
        if (imp.importType() != ExternalType.FUNCTION) {
            return false;
        }
        return switch (imp.module()) {
            case WAPC -> WAPC_FUNCTIONS.contains(imp.name());
            case WASI -> SandboxWasi.provides(imp.name());
            case "env" -> imp.name().equals("abort");
            case ExperimentalHttp.MODULE -> ExperimentalHttp.provides(imp.name());
            default -> false;
        };
    }

    /**
     * The imports of one WASI command run: its sandboxed WASI, the HTTP functions its bindings
     * serve, and the waPC functions (bound to a state with no call, for modules that import them
     * but run as commands).
     */
    static ImportValues forCommand(CallState state, SandboxWasi wasi) {
        return ImportValues.builder()
                .addFunction(wasi.toHostFunctions())
                .addFunction(wapcFunctions(state))
                .addFunction(ExperimentalHttp.functions(state))
                .addFunction(abort())
                .build();
    }

    /** Builds the imports of one instance, all of them bound to that instance's call state. */
    static ImportValues forInstance(CallState state) {
        return forCommand(state, new SandboxWasi(state.stdout(), state.stderr()));
    }

    private static HostFunction[] wapcFunctions(CallState state) {
        List<HostFunction> functions = new ArrayList<>();
        functions.addAll(lengthThenBytes("__host_response", state::hostResponse));
        functions.addAll(lengthThenBytes("__host_error", state::hostError));
        functions.addAll(guestCalls(state));
        return functions.toArray(HostFunction[]::new);
    }

    /**
     * waPC's {@code NAME_len} and {@code NAME}: a host buffer's length, then its bytes written
     * where the guest asks.
     */
    private static List<HostFunction> lengthThenBytes(String name, Supplier<byte[]> buffer) {
        return List.of(
                fn(
                        name + "_len",
                        List.of(),
                        List.of(I32),
                        (inst, args) -> new long[] {buffer.get().length}),
                fn(
                        name,
                        List.of(I32),
                        List.of(),
                        (inst, args) -> {
                            new GuestMemory(inst.memory(), name).write(args[0], buffer.get());
                            return null;
                        }));
    }

    private static List<HostFunction> guestCalls(CallState state) {
        return List.of(
                fn(
                        "__guest_request",
                        List.of(I32, I32),
                        List.of(),
                        (inst, args) -> {
                            GuestMemory mem = new GuestMemory(inst.memory(), "__guest_request");
                            mem.write(args[0], state.operation());
                            mem.write(args[1], state.payload());
                            return null;
                        }),
                fn(
                        "__guest_response",
                        List.of(I32, I32),
                        List.of(),
                        (inst, args) -> {
                            long length = args[1] & 0xFFFFFFFFL;
                            if (length > state.maxResponseBytes()) {
                                throw new GuestViolation(
                                        ("the guest's response of %d bytes is over the sidecar's"
                                                        + " cap of %d bytes (%s)")
                                                .formatted(
                                                        length,
                                                        state.maxResponseBytes(),
                                                        HostFlags.MAX_RESPONSE_SIZE));
                            }
                            state.chargeResponse(length);
                            state.guestResponse(
                                    new GuestMemory(inst.memory(), "__guest_response")
                                            .read(args[0], length, state.maxResponseBytes()));
                            return null;
                        }),
                fn(
                        "__guest_error",
                        List.of(I32, I32),
                        List.of(),
                        (inst, args) -> {
                            state.guestError(
                                    new GuestMemory(inst.memory(), "__guest_error")
                                            .readText(args[0], args[1], CallState.MAX_TEXT_BYTES));
                            return null;
                        }),
                fn(
                        "__host_call",
                        List.of(I32, I32, I32, I32, I32, I32, I32, I32),
                        List.of(I32),
                        (inst, args) -> {
                            GuestMemory mem = new GuestMemory(inst.memory(), "__host_call");
                            String binding =
                                    mem.readText(args[0], args[1], CallState.MAX_NAME_BYTES);
                            String namespace =
                                    mem.readText(args[2], args[3], CallState.MAX_NAME_BYTES);
                            String operation =
                                    mem.readText(args[4], args[5], CallState.MAX_NAME_BYTES);
                            byte[] payload =
                                    mem.read(args[6], args[7], state.maxHostPayloadBytes());
                            return new long[] {
                                state.hostCall(binding, namespace, operation, payload)
                            };
                        }),
                fn(
                        "__console_log",
                        List.of(I32, I32),
                        List.of(),
                        (inst, args) -> {
                            String text =
                                    new GuestMemory(inst.memory(), "__console_log")
                                            .readText(args[0], args[1], CallState.MAX_TEXT_BYTES);
                            for (String line : text.split("\n", -1)) {
                                state.print(Stream.console, line);
                            }
                            return null;
                        }));
    }

    /**
     * AssemblyScript's {@code abort(message, fileName, line, column)}: its strings are UTF-16 with
     * the byte length stored just before them. The guest is stopped with the message as a trap.
     */
    private static HostFunction abort() {
        return new HostFunction(
                "env",
                "abort",
                FunctionType.of(List.of(I32, I32, I32, I32), List.of()),
                (inst, args) -> {
                    String message = assemblyScriptString(inst, args[0]);
                    String file = assemblyScriptString(inst, args[1]);
                    throw new TrapException(
                            "abort: %s at %s:%s:%s".formatted(message, file, args[2], args[3]));
                });
    }

    private static String assemblyScriptString(Instance inst, long ptr) {
        Memory memory = inst.memory();
        long size = (long) memory.pages() * Memory.PAGE_SIZE;
        if (ptr < 4 || ptr > size) {
            return "?";
        }
        long bytes = memory.readInt((int) ptr - 4) & 0xFFFFFFFFL;
        if (ptr + bytes > size) {
            return "?";
        }
        bytes = Math.min(bytes, CallState.MAX_TEXT_BYTES);
        return new String(memory.readBytes((int) ptr, (int) bytes), StandardCharsets.UTF_16LE);
    }

    private static HostFunction fn(
            String name,
            List<ValType> params,
            List<ValType> results,
            com.dylibso.chicory.runtime.WasmFunctionHandle handle) {
        return new HostFunction(WAPC, name, FunctionType.of(params, results), handle);
    }
}
