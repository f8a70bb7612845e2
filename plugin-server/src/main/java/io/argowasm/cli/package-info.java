/**
 * The command line: one picocli class per subcommand ({@code serve}, {@code run}, {@code dry-run},
 * {@code lint}, {@code new}, {@code push}) and the option groups they share. Commands read and
 * check options, build the core and a front door, and map failures to exit codes: 0 done, 1 the
 * step or workflow failed, 2 a usage error.
 */
package io.argowasm.cli;
