package io.argowasm.wapc;

import java.util.List;
import java.util.Map;

/**
 * What a WASI command is given for one run: its arguments (the first is the program's name), its
 * environment, the bytes of its stdin and the tree mounted at {@link #DIRECTORY}.
 *
 * @param files the tree the guest sees, or null for none
 */
public record WasiProcess(
        List<String> args, Map<String, String> env, byte[] stdin, GuestFiles files) {

    /** The one directory a command may open, as the earlier WASI plugin mounted it. */
    public static final String DIRECTORY = "/work";

    /** Nothing at all, as a waPC guest gets. */
    static final WasiProcess NOTHING = new WasiProcess(List.of(), Map.of(), new byte[0], null);

    public WasiProcess {
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }
}
