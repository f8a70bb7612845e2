package io.argowasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.agent.AgentFlags;
import io.argowasm.budget.BudgetFlags;
import io.argowasm.dryrun.DryRunFlags;
import io.argowasm.dryrun.LintFlags;
import io.argowasm.exec.ExecutorFlags;
import io.argowasm.module.ModuleFlags;
import io.argowasm.module.oci.RegistryFlags;
import io.argowasm.server.ServerFlags;
import io.argowasm.wapc.HostFlags;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flags the core's messages name are options of the commands whose runs print those messages:
 * renaming an option without its constant, or a constant without its option, fails here.
 */
class FlagsTest {

    private static final List<String> RUNS_GUESTS =
            List.of("serve", "agent", "run", "dry-run", "lint");

    /** Each holder of flag names in the core, and the commands whose messages come from it. */
    private static final Map<Class<?>, List<String>> USED_BY =
            Map.of(
                    ExecutorFlags.class, RUNS_GUESTS,
                    HostFlags.class, RUNS_GUESTS,
                    ModuleFlags.class, RUNS_GUESTS,
                    RegistryFlags.class, RUNS_GUESTS,
                    BudgetFlags.class, RUNS_GUESTS,
                    ServerFlags.class, List.of("serve"),
                    DryRunFlags.class, List.of("dry-run"),
                    LintFlags.class, List.of("lint", "run", "dry-run"),
                    AgentFlags.class, List.of("agent"));

    private static List<String> flagsOf(Class<?> holder) {
        List<String> flags = new ArrayList<>();
        for (Field field : holder.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    flags.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return flags;
    }

    private static Set<String> optionsOf(String command) {
        CommandSpec spec = Main.commandLine().getSubcommands().get(command).getCommandSpec();
        Set<String> names = new TreeSet<>();
        for (OptionSpec option : spec.options()) {
            for (String name : option.names()) {
                names.add(name);
                if (option.negatable() && name.startsWith("--")) {
                    names.add("--no-" + name.substring(2));
                }
            }
        }
        return names;
    }

    @Test
    void everyFlagTheCoreNamesIsAnOptionOfTheCommandsThatUseIt() {
        USED_BY.forEach(
                (holder, commands) -> {
                    List<String> flags = flagsOf(holder);
                    assertThat(flags).as(holder.getSimpleName()).isNotEmpty();
                    for (String command : commands) {
                        assertThat(optionsOf(command))
                                .as("%s of %s", command, holder.getSimpleName())
                                .containsAll(flags);
                    }
                });
    }

    @Test
    void theCommandLineReExportsEveryFlagTheCoreNames() {
        List<String> reExported = flagsOf(Flags.class);
        USED_BY.keySet()
                .forEach(
                        holder ->
                                assertThat(reExported)
                                        .as(holder.getSimpleName())
                                        .containsAll(flagsOf(holder)));
    }

    @Test
    void everyFlagNameIsAnOptionOfSomeCommand() {
        Set<String> all = new TreeSet<>();
        Main.commandLine().getSubcommands().keySet().forEach(c -> all.addAll(optionsOf(c)));
        assertThat(all).containsAll(flagsOf(Flags.class));
    }
}
