/**
 * The command line: one picocli class per subcommand ({@code serve}, {@code agent}, {@code run},
 * {@code dry-run}, {@code lint}, {@code new}, {@code push}) and the option groups they share.
 * Commands read and check options, build the core and a front door, and map failures to exit codes:
 * 0 done, 1 the step or workflow failed, 2 a usage error. It may depend on every other module and
 * on picocli; nothing depends on it, and the flag names the core's messages use are re-exported in
 * {@code Flags} rather than spelled again.
 */
package io.argowasm.cli;
