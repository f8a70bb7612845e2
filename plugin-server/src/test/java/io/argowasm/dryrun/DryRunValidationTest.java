package io.argowasm.dryrun;

import static io.argowasm.dryrun.DryRunCli.echoTemplate;
import static io.argowasm.dryrun.DryRunCli.runYaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.dryrun.DryRunCli.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input dry-run refuses: exit code 2, and a message naming the document and field. */
class DryRunValidationTest {

    @TempDir Path dir;

    private static final String HEADER =
            """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              name: invalid
            spec:
              entrypoint: main
              templates:
            """;

    private Result invalid(String yaml, String... args) {
        Result result = runYaml(dir, yaml, args);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        return result;
    }

    @Test
    void schemaViolationsNameTheDocumentAndJsonPath() {
        Result result =
                invalid(
                        HEADER
                                + """
                                    - name: main
                                      steps:
                                        - - name: s
                                            template: echo
                                            continueOn: {failed: "yes please"}
                                """
                                + echoTemplate("echo"));
        assertThat(result.err())
                .contains(
                        "workflow.yaml, document 1 (Workflow invalid), at"
                                + " spec.templates[0].steps[0][0].continueOn.failed");
    }

    @Test
    void aBadPluginBlockOfALaterStepFailsBeforeTheFirstStepRuns() {
        Result result =
                invalid(
                        HEADER
                                + """
                                    - name: main
                                      steps:
                                        - - name: first
                                            template: echo
                                            arguments: {parameters: [{name: value, value: a}]}
                                        - - name: third
                                            template: late
                                    - name: late
                                      plugin:
                                        wasm:
                                          module: {file: %s}
                                          limits: {timeout: 30}
                                """
                                        .formatted(DryRunCli.echoModule())
                                + echoTemplate("echo"));
        assertThat(result.err())
                .contains(
                        "workflow.yaml, document 1 (Workflow invalid), at spec.templates[1]:"
                                + " plugin.wasm.limits.timeout must be a string")
                .doesNotContain("▶");
    }

    @Test
    void misspeltFieldsAreUnknownRatherThanIgnored() {
        Result result =
                invalid(
                        HEADER
                                + """
                                    - name: main
                                      dag:
                                        tasks:
                                          - name: a
                                            template: echo
                                            dependancies: [b]
                                """
                                + echoTemplate("echo"));
        assertThat(result.err())
                .contains("at spec.templates[0].dag.tasks[0].dependancies")
                .contains("unknown field 'dependancies'");
    }

    @Test
    void anUnknownTemplateIsNamedWithTheStepThatUsesIt() {
        Result result =
                invalid(
                        HEADER
                                + """
                                    - name: main
                                      steps:
                                        - - name: s
                                            template: gret
                                """
                                + echoTemplate("echo"));
        assertThat(result.err())
                .contains("at spec.templates[0].steps[0][0].template: no template named 'gret'");
    }

    @Test
    void aWorkflowParameterWithoutValueAsksForDashP() {
        Result result =
                invalid(
                        HEADER
                                + echoTemplate("main")
                                + """
                                  arguments:
                                    parameters: [{name: value}]
                                """);
        assertThat(result.err())
                .contains(
                        "at spec.arguments.parameters[0]: workflow parameter 'value' has no value;"
                                + " pass -p value=VALUE");
    }

    @Test
    void aStepThatOmitsARequiredInputIsNamed() {
        Result result =
                invalid(
                        HEADER
                                + """
                                    - name: main
                                      steps:
                                        - - name: s
                                            template: echo
                                """
                                + echoTemplate("echo"));
        assertThat(result.err())
                .contains(
                        "at spec.templates[0].steps[0][0].arguments.parameters: step 's' passes no"
                                + " parameter 'value', which template 'echo' requires");
    }

    @Test
    void unsupportedConstructsAreNamed() {
        Result result =
                invalid(
                        HEADER
                                + """
                                    - name: main
                                      steps:
                                        - - name: s
                                            template: echo
                                            withSequence: {count: "3"}
                                            arguments: {parameters: [{name: value, value: x}]}
                                """
                                + echoTemplate("echo")
                                + """
                                  onExit: main
                                """);
        assertThat(result.err())
                .contains("at spec.onExit: onExit is not supported by dry-run")
                .contains(
                        "at spec.templates[0].steps[0][0].withSequence: withSequence is not"
                                + " supported by dry-run");
    }

    @Test
    void templatesThatCannotRunLocallyNeedStubs() {
        Result result =
                invalid(
                        HEADER
                                + """
                                    - name: main
                                      steps:
                                        - - name: build
                                            template: build
                                    - name: build
                                      container: {image: golang:1.22}
                                """);
        assertThat(result.err())
                .contains("not runnable locally: 'build' (container, ")
                .contains("workflow.yaml, document 1 (Workflow invalid), at spec.templates[1])")
                .contains("--stub TEMPLATE=param:NAME=VALUE");
    }

    @Test
    void aStubForATemplateTheWorkflowDoesNotRunIsRefused() {
        Result result =
                invalid(
                        HEADER
                                + """
                                    - name: main
                                      suspend: {}
                                """,
                        "--stub",
                        "biuld=param:x=1");
        assertThat(result.err())
                .contains("--stub biuld: the workflow runs no template named 'biuld'");
    }

    @Test
    void aStubForATemplateDryRunExecutesIsRefused() {
        Result result = invalid(HEADER + echoTemplate("main"), "-p", "value=x", "--stub", "main");
        assertThat(result.err())
                .contains(
                        "--stub main: template 'main' is a plugin: wasm template, which dry-run"
                                + " runs");
    }

    @Test
    void dagCyclesAndUnknownDependenciesAreNamed() {
        Result result =
                invalid(
                        HEADER
                                + """
                                    - name: main
                                      dag:
                                        tasks:
                                          - {name: a, template: echo, depends: b, arguments: {parameters: [{name: value, value: x}]}}
                                          - {name: b, template: echo, depends: a || ghost.Succeeded, arguments: {parameters: [{name: value, value: x}]}}
                                """
                                + echoTemplate("echo"));
        assertThat(result.err())
                .contains("task 'b' depends on 'ghost', which is not a task of this DAG")
                .contains("the dependencies form a cycle: a -> b -> a");
    }

    @Test
    void invalidYamlNamesTheLine() {
        Result result = invalid("kind: Workflow\nspec: [unclosed\n");
        assertThat(result.err()).contains("workflow.yaml is not valid YAML").contains("line");
    }

    @Test
    void anUnknownKindIsRefused() {
        Result result = invalid("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        assertThat(result.err())
                .contains(
                        "document 1 (ConfigMap x), at kind: dry-run accepts kind Workflow or"
                                + " WorkflowTemplate");
    }

    @Test
    void expressionTagsAreNamedAtRunTime() {
        Result result =
                runYaml(
                        dir,
                        HEADER
                                + """
                                    - name: main
                                      steps:
                                        - - name: s
                                            template: echo
                                            arguments: {parameters: [{name: value, value: "{{=sprig.upper('x')}}"}]}
                                """
                                + echoTemplate("echo"));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.node("s").path("phase").asString()).isEqualTo("Error");
        assertThat(result.node("s").path("message").asString())
                .contains("expression tag {{=sprig.upper('x')}} is not supported by dry-run");
    }

    @Test
    void anUnresolvedReferenceErrorsTheStep() {
        Result result =
                runYaml(
                        dir,
                        HEADER
                                + """
                                    - name: main
                                      steps:
                                        - - name: s
                                            template: echo
                                            arguments: {parameters: [{name: value, value: "{{steps.nope.outputs.parameters.x}}"}]}
                                """
                                + echoTemplate("echo"));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.node("s").path("message").asString())
                .startsWith("cannot resolve {{steps.nope.outputs.parameters.x}}");
    }
}
