package io.argowasm.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import io.argowasm.artifacts.ChicoryInArtifactIo;
import io.argowasm.exec.FrontDoorsInTheCore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph of CONTRIBUTING.md, checked on the classes every module compiles: what a Maven
 * dependency rule cannot see (the core has fabric8 and Chicory on its class path, through
 * artifact-io and for the waPC host) is checked here, package by package.
 */
class ArchitectureTest {

    /** The core's packages (the executor module). */
    static final String[] CORE = {
        "io.argowasm.argo..",
        "io.argowasm.budget..",
        "io.argowasm.exec..",
        "io.argowasm.module..",
        "io.argowasm.wapc..",
        "io.argowasm.metrics..",
        "io.argowasm.logging.."
    };

    /** What the core must not know: front doors, their libraries and workflow interpretation. */
    static final String[] NOT_IN_CORE = {
        "io.argowasm.server..",
        "io.argowasm.dryrun..",
        "io.argowasm.cli..",
        "io.argowasm.agent..",
        "io.argowasm.tracing..",
        "io.argowasm.manifest..",
        "io.javalin..",
        "org.eclipse.jetty..",
        "picocli..",
        "io.fabric8..",
        "com.networknt..",
        "io.opentelemetry.."
    };

    static final ArchRule CORE_KNOWS_NO_FRONT_DOOR =
            noClasses()
                    .that()
                    .resideInAnyPackage(CORE)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(NOT_IN_CORE)
                    .because(
                            "the executor is the core every front door calls: it knows nothing"
                                    + " of HTTP servers, command lines, Kubernetes or workflow"
                                    + " interpretation (CONTRIBUTING.md, Modules)");

    static final ArchRule ONLY_THE_HOST_USES_CHICORY =
            noClasses()
                    .that()
                    .resideInAPackage("io.argowasm..")
                    .and()
                    .resideOutsideOfPackage("io.argowasm.wapc..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("com.dylibso.chicory..")
                    .because("a switch of WebAssembly runtime must touch io.argowasm.wapc only");

    static final ArchRule ARTIFACTS_KNOW_NO_WEBASSEMBLY =
            noClasses()
                    .that()
                    .resideInAPackage("io.argowasm.artifacts..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "com.dylibso.chicory..",
                            "io.argowasm.argo..",
                            "io.argowasm.exec..",
                            "io.argowasm.wapc..",
                            "io.argowasm.module..")
                    .because("artifact-io moves Argo's artifacts and knows nothing of WebAssembly");

    static final ArchRule SIDECAR_RUNS_NO_WORKFLOW =
            noClasses()
                    .that()
                    .resideInAPackage("io.argowasm.server..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "io.argowasm.dryrun..",
                            "io.argowasm.cli..",
                            "io.argowasm.agent..",
                            "picocli..",
                            "io.fabric8..")
                    .because("the sidecar answers Argo's agent over HTTP and nothing else");

    static final ArchRule DRY_RUN_HAS_NO_COMMAND_LINE =
            noClasses()
                    .that()
                    .resideInAPackage("io.argowasm.dryrun..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "io.argowasm.cli..", "io.argowasm.agent..", "picocli..", "io.javalin..")
                    .because("the cli module reads options; dry-run posts to the sidecar's API");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main =
                new ClassFileImporter()
                        .withImportOption(MainClassesOnly::isMain)
                        .importPackages("io.argowasm");
    }

    @Test
    void coreKnowsNoFrontDoor() {
        CORE_KNOWS_NO_FRONT_DOOR.check(main);
    }

    @Test
    void onlyTheWapcHostUsesChicory() {
        ONLY_THE_HOST_USES_CHICORY.check(main);
    }

    @Test
    void artifactIoKnowsNoWebAssembly() {
        ARTIFACTS_KNOW_NO_WEBASSEMBLY.check(main);
    }

    @Test
    void sidecarRunsNoWorkflow() {
        SIDECAR_RUNS_NO_WORKFLOW.check(main);
    }

    @Test
    void dryRunHasNoCommandLine() {
        DRY_RUN_HAS_NO_COMMAND_LINE.check(main);
    }

    @Test
    void theCheckSeesEveryModule() {
        assertThat(main.containPackage("io.argowasm.wapc")).isTrue();
        assertThat(main.containPackage("io.argowasm.artifacts")).isTrue();
        assertThat(main.containPackage("io.argowasm.server")).isTrue();
        assertThat(main.containPackage("io.argowasm.dryrun")).isTrue();
        assertThat(main.containPackage("io.argowasm.cli")).isTrue();
    }

    @Test
    void aCoreClassUsingJavalinPicocliOrFabric8Breaks() {
        JavaClasses broken = new ClassFileImporter().importClasses(FrontDoorsInTheCore.class);

        assertThat(CORE_KNOWS_NO_FRONT_DOOR.evaluate(broken).getFailureReport().getDetails())
                .anyMatch(line -> line.contains("io.javalin.Javalin"))
                .anyMatch(line -> line.contains("picocli.CommandLine"))
                .anyMatch(line -> line.contains("io.fabric8.kubernetes.client.informers"))
                .anyMatch(line -> line.contains("io.argowasm.server.PluginServer"))
                .anyMatch(line -> line.contains("io.argowasm.dryrun.DryRun"));
    }

    @Test
    void chicoryOutsideTheHostBreaks() {
        JavaClasses broken = new ClassFileImporter().importClasses(ChicoryInArtifactIo.class);

        assertThat(ONLY_THE_HOST_USES_CHICORY.evaluate(broken).hasViolation()).isTrue();
        assertThat(ARTIFACTS_KNOW_NO_WEBASSEMBLY.evaluate(broken).hasViolation()).isTrue();
    }

    /**
     * Classes the modules compile, not their tests: in the reactor a module's tests are a {@code
     * test-classes} directory, from the local repository a {@code -tests.jar}.
     */
    private static final class MainClassesOnly {
        static boolean isMain(Location location) {
            return new ImportOption.DoNotIncludeTests().includes(location)
                    && !location.contains("-tests.jar");
        }
    }
}
