package io.argowasm.dryrun;

import static io.argowasm.dryrun.DryRunCli.echoTemplate;
import static io.argowasm.dryrun.DryRunCli.failingTemplate;
import static io.argowasm.dryrun.DryRunCli.runYaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.TestModules;
import io.argowasm.dryrun.DryRunCli.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Each workflow construct dry-run supports, run end to end through the in-process plugin. */
class DryRunConstructsTest {

    @TempDir Path dir;

    private static String workflow(String entrypoint, String templates) {
        return """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: constructs-
        spec:
          entrypoint: %s
          templates:
        """
                        .formatted(entrypoint)
                + templates;
    }

    private static Result succeeded(Result result) {
        assertThat(result.exitCode()).as(result.err() + result.out()).isZero();
        assertThat(result.phase()).isEqualTo("Succeeded");
        return result;
    }

    @Test
    void aStepAskingForItsLogsAsAnArtifactListsThemAndTheyAreStored() throws Exception {
        Path artifacts = dir.resolve("artifacts");
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "talk",
                                        """
                                            - name: talk
                                              plugin:
                                                wasm:
                                                  module: {file: %s}
                                                  logs: artifact
                                        """
                                                .formatted(TestModules.test("chatty"))),
                                "--artifact-dir",
                                artifacts.toString()));
        JsonNode logs = null;
        for (JsonNode node : result.json().path("status").path("nodes")) {
            if (node.path("templateName").asString().equals("talk")) {
                logs = node.at("/outputs/artifacts/0");
            }
        }
        assertThat(logs).as(result.out()).isNotNull();
        assertThat(logs.path("name").asString()).isEqualTo("guest-logs");
        assertThat(artifacts.resolve(logs.at("/s3/key").asString()))
                .hasContent("hello from the guest\nsecond line\n");
    }

    @Test
    void stepGroupsRunInOrderAndTheirInnerStepsSeeEarlierOutputs() {
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              steps:
                                                - - name: first
                                                    template: echo
                                                    arguments:
                                                      parameters: [{name: value, value: one}]
                                                - - name: left
                                                    template: echo
                                                    arguments:
                                                      parameters: [{name: value, value: "{{steps.first.outputs.parameters.value}}-left"}]
                                                  - name: right
                                                    template: echo
                                                    arguments:
                                                      parameters: [{name: value, value: "{{steps.first.outputs.parameters.value}}-right"}]
                                        """
                                                + echoTemplate("echo"))));
        assertThat(result.output("left", "value")).isEqualTo("one-left");
        assertThat(result.output("right", "value")).isEqualTo("one-right");
        JsonNode secondGroup = result.node("[1]");
        assertThat(secondGroup.path("type").asString()).isEqualTo("StepGroup");
        assertThat(secondGroup.path("children")).hasSize(2);
    }

    @Test
    void dagTasksRunAfterTheirDependenciesAndPassOutputsOn() {
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              dag:
                                                tasks:
                                                  - name: a
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: a}]}
                                                  - name: b
                                                    dependencies: [a]
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "{{tasks.a.outputs.parameters.value}}b"}]}
                                                  - name: c
                                                    depends: a
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "{{tasks.a.outputs.parameters.value}}c"}]}
                                                  - name: d
                                                    depends: b && c.Succeeded
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "{{tasks.b.outputs.parameters.value}}+{{tasks.c.outputs.parameters.value}}"}]}
                                              outputs:
                                                parameters:
                                                  - name: joined
                                                    valueFrom: {parameter: "{{tasks.d.outputs.parameters.value}}"}
                                        """
                                                + echoTemplate("echo"))));
        assertThat(result.output("d", "value")).isEqualTo("ab+ac");
        assertThat(
                        result.json()
                                .path("status")
                                .path("nodes")
                                .path(result.json().at("/metadata/name").asString())
                                .path("outputs")
                                .path("parameters")
                                .get(0)
                                .path("value")
                                .asString())
                .isEqualTo("ab+ac");
    }

    @Test
    void dependsOnAFailureRunsTheHandlerAndOmitsTheTasksThatNeededSuccess() {
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              dag:
                                                tasks:
                                                  - name: risky
                                                    template: fail
                                                  - name: cleanup
                                                    depends: risky.Failed
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: cleaned}]}
                                                  - name: publish
                                                    depends: risky
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: published}]}
                                        """
                                                + echoTemplate("echo")
                                                + failingTemplate("fail"))));
        assertThat(result.node("risky").path("phase").asString()).isEqualTo("Failed");
        assertThat(result.output("cleanup", "value")).isEqualTo("cleaned");
        assertThat(result.node("publish").path("phase").asString()).isEqualTo("Omitted");
    }

    @Test
    void withItemsRunsOneStepPerItemAndAggregatesTheirOutputs() {
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              steps:
                                                - - name: each
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "{{item.name}} is {{item.age}}"}]}
                                                    withItems:
                                                      - {name: ada, age: 36}
                                                      - {name: alan, age: 41}
                                                - - name: words
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "{{item}}!"}]}
                                                    withItems: [x, y, z]
                                                - - name: all
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "{{steps.each.outputs.parameters.value}}"}]}
                                        """
                                                + echoTemplate("echo"))));
        assertThat(result.output("each(0:age:36,name:ada)", "value")).isEqualTo("ada is 36");
        assertThat(result.output("each(1:age:41,name:alan)", "value")).isEqualTo("alan is 41");
        assertThat(result.output("words(2:z)", "value")).isEqualTo("z!");
        assertThat(result.output("all", "value")).isEqualTo("[\"ada is 36\",\"alan is 41\"]");
    }

    @Test
    void withParamExpandsAJsonListAnEarlierStepProduced() {
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              steps:
                                                - - name: list
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: '["red","green"]'}]}
                                                - - name: colour
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "{{item}}"}]}
                                                    withParam: "{{steps.list.outputs.parameters.value}}"
                                        """
                                                + echoTemplate("echo"))));
        assertThat(result.output("colour(0:red)", "value")).isEqualTo("red");
        assertThat(result.output("colour(1:green)", "value")).isEqualTo("green");
    }

    @Test
    void whenSkipsStepsWhoseConditionIsFalse() {
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              steps:
                                                - - name: count
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "7"}]}
                                                - - name: big
                                                    template: echo
                                                    when: "{{steps.count.outputs.parameters.value}} > 5"
                                                    arguments: {parameters: [{name: value, value: big}]}
                                                  - name: small
                                                    template: echo
                                                    when: "{{steps.count.outputs.parameters.value}} <= 5"
                                                    arguments: {parameters: [{name: value, value: small}]}
                                                  - name: heads
                                                    template: echo
                                                    when: "{{workflow.parameters.coin}} == heads && !(1 == 2)"
                                                    arguments: {parameters: [{name: value, value: heads}]}
                                        """
                                                + echoTemplate("echo")),
                                "-p",
                                "coin=heads"));
        assertThat(result.output("big", "value")).isEqualTo("big");
        assertThat(result.output("heads", "value")).isEqualTo("heads");
        JsonNode small = result.node("small");
        assertThat(small.path("phase").asString()).isEqualTo("Skipped");
        assertThat(small.path("message").asString()).isEqualTo("when '7 <= 5' evaluated false");
    }

    @Test
    void continueOnFailedLetsLaterStepsRun() {
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              steps:
                                                - - name: flaky
                                                    template: fail
                                                    continueOn: {failed: true}
                                                - - name: after
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "{{steps.flaky.status}}"}]}
                                        """
                                                + echoTemplate("echo")
                                                + failingTemplate("fail"))));
        assertThat(result.node("flaky").path("phase").asString()).isEqualTo("Failed");
        assertThat(result.output("after", "value")).isEqualTo("Failed");
    }

    @Test
    void aFailedStepFailsTheWorkflowAndLaterGroupsDoNotRun() {
        Result result =
                runYaml(
                        dir,
                        workflow(
                                "main",
                                """
                                    - name: main
                                      steps:
                                        - - name: broken
                                            template: fail
                                        - - name: never
                                            template: echo
                                            arguments: {parameters: [{name: value, value: x}]}
                                """
                                        + echoTemplate("echo")
                                        + failingTemplate("fail")));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.phase()).isEqualTo("Failed");
        assertThat(result.node("broken").path("message").asString()).contains("deliberate failure");
        assertThat(result.hasNode("never")).isFalse();
        assertThat(result.json().at("/status/message").asString())
                .startsWith("child 'broken' failed");
    }

    @Test
    void retryStrategyRetriesAFailingWasmStepUpToTheLimit() {
        Result result =
                runYaml(
                        dir,
                        workflow(
                                "main",
                                """
                                    - name: main
                                      steps:
                                        - - name: attempt
                                            template: fail
                                """
                                        + failingTemplate("fail")
                                        + """
                                              retryStrategy:
                                                limit: 2
                                        """));
        assertThat(result.exitCode()).isEqualTo(1);
        JsonNode retry = result.node("attempt");
        assertThat(retry.path("type").asString()).isEqualTo("Retry");
        assertThat(retry.path("children")).hasSize(3);
        assertThat(result.node("attempt(2)").path("phase").asString()).isEqualTo("Failed");
        assertThat(retry.path("message").asString())
                .startsWith("no more retries left (3 attempts)");
    }

    @Test
    void suspendIsSkippedWithANoteAndItsDefaultsBecomeOutputs() {
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              steps:
                                                - - name: approve
                                                    template: approve
                                                - - name: after
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "{{steps.approve.outputs.parameters.answer}}"}]}
                                            - name: approve
                                              suspend: {duration: 10m}
                                              outputs:
                                                parameters:
                                                  - name: answer
                                                    valueFrom: {supplied: {}, default: "yes"}
                                        """
                                                + echoTemplate("echo"))));
        JsonNode approve = result.node("approve");
        assertThat(approve.path("phase").asString()).isEqualTo("Skipped");
        assertThat(approve.path("message").asString()).contains("waits 10m");
        assertThat(result.output("after", "value")).isEqualTo("yes");
    }

    @Test
    void variablesOfTheWorkflowAndInputsAreSubstituted() {
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              inputs:
                                                parameters:
                                                  - name: greeting
                                              steps:
                                                - - name: who
                                                    template: echo
                                                    arguments:
                                                      parameters:
                                                        - name: value
                                                          value: "{{inputs.parameters.greeting}} {{workflow.name}} in {{workflow.namespace}}"
                                                - - name: defaulted
                                                    template: with-default
                                            - name: with-default
                                              inputs:
                                                parameters:
                                                  - name: value
                                                    default: "uid {{workflow.uid}}"
                                              outputs:
                                                parameters: [{name: value}]
                                              plugin:
                                                wasm:
                                                  module: {file: %s}
                                        """
                                                        .formatted(DryRunCli.echoModule())
                                                + echoTemplate("echo")
                                                + """
                                                  arguments:
                                                    parameters:
                                                      - name: greeting
                                                        value: hi
                                                """),
                                "-n",
                                "team-a"));
        String name = result.json().at("/metadata/name").asString();
        assertThat(name).startsWith("constructs-").hasSize("constructs-".length() + 5);
        assertThat(result.output("who", "value")).isEqualTo("hi " + name + " in team-a");
        assertThat(result.output("defaulted", "value"))
                .isEqualTo("uid " + result.json().at("/metadata/uid").asString());
    }

    @Test
    void stubsSupplyTheOutputsOfContainerSteps() {
        Path stubs =
                DryRunCli.write(
                        dir,
                        "stubs.yaml",
                        """
                        report:
                          parameters: {status: green}
                        """);
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              steps:
                                                - - name: build
                                                    template: build
                                                - - name: report
                                                    template: report
                                                - - name: echo
                                                    template: echo
                                                    arguments:
                                                      parameters:
                                                        - name: value
                                                          value: "{{steps.build.outputs.parameters.version}} {{steps.report.outputs.parameters.status}}"
                                            - name: build
                                              container: {image: golang:1.22, command: [make]}
                                              outputs:
                                                parameters:
                                                  - name: version
                                                    valueFrom: {path: /tmp/version}
                                            - name: report
                                              script: {image: python:3.12, source: "print(1)"}
                                              outputs:
                                                parameters:
                                                  - name: status
                                                    valueFrom: {path: /tmp/status}
                                        """
                                                + echoTemplate("echo")),
                                "--stub",
                                "build=param:version=1.2.3",
                                "--stubs",
                                stubs.toString()));
        assertThat(result.output("echo", "value")).isEqualTo("1.2.3 green");
        assertThat(result.node("build").path("message").asString())
                .isEqualTo("stubbed: container template not run locally");
    }

    @Test
    void workflowTemplateRefAndTemplateRefResolveAmongTheDocuments() {
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                """
                                apiVersion: argoproj.io/v1alpha1
                                kind: WorkflowTemplate
                                metadata:
                                  name: library
                                spec:
                                  templates:
                                """
                                        + echoTemplate("echo")
                                        + """
                                        ---
                                        apiVersion: argoproj.io/v1alpha1
                                        kind: WorkflowTemplate
                                        metadata:
                                          name: pipeline
                                        spec:
                                          entrypoint: main
                                          arguments:
                                            parameters: [{name: word, value: from-template}]
                                          templates:
                                            - name: main
                                              steps:
                                                - - name: use
                                                    templateRef: {name: library, template: echo}
                                                    arguments: {parameters: [{name: value, value: "{{workflow.parameters.word}}"}]}
                                        ---
                                        apiVersion: argoproj.io/v1alpha1
                                        kind: Workflow
                                        metadata:
                                          name: from-ref
                                        spec:
                                          workflowTemplateRef: {name: pipeline}
                                          arguments:
                                            parameters: [{name: word, value: overridden}]
                                        """));
        assertThat(result.json().at("/metadata/name").asString()).isEqualTo("from-ref");
        assertThat(result.output("use", "value")).isEqualTo("overridden");
    }

    @Test
    void moduleFilesAreRelativeToTheWorkflowFile() throws Exception {
        java.nio.file.Files.copy(Path.of(DryRunCli.echoModule()), dir.resolve("local-echo.wasm"));
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "echo",
                                        """
                                            - name: echo
                                              inputs: {parameters: [{name: value, value: relative}]}
                                              outputs: {parameters: [{name: value}]}
                                              plugin:
                                                wasm:
                                                  module: {file: local-echo.wasm}
                                        """)));
        assertThat(result.json().at("/status/nodes").toString()).contains("relative");
    }

    @Test
    void parameterFileAndEntrypointOverrideTheSpec() {
        Path parameters = DryRunCli.write(dir, "params.yaml", "word: from-file\nother: unused\n");
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "never-run",
                                        """
                                            - name: never-run
                                              suspend: {}
                                            - name: main
                                              steps:
                                                - - name: say
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "{{workflow.parameters.word}}"}]}
                                        """
                                                + echoTemplate("echo")
                                                + """
                                                  arguments:
                                                    parameters: [{name: word, value: from-spec}]
                                                """),
                                "--entrypoint",
                                "main",
                                "--parameter-file",
                                parameters.toString()));
        assertThat(result.output("say", "value")).isEqualTo("from-file");
    }

    @Test
    void aHundredAndTwentyParallelWasmStepsAllSucceed() {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            items.append("              - \"item ").append(i).append("\"\n");
        }
        long started = System.nanoTime();
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              steps:
                                                - - name: fan-out
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "{{item}}"}]}
                                                    withItems:
                                        """
                                                + items
                                                + echoTemplate("echo"))));
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("120 parallel wasm steps dry-ran in " + millis + " ms");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            values.add(result.output("fan-out(" + i + ":item " + i + ")", "value"));
        }
        assertThat(values).hasSize(120).allMatch(v -> v.startsWith("item "));
        assertThat(values.get(119)).isEqualTo("item 119");
    }

    @Test
    void templateParallelismRunsItsStepsOneAtATime() {
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              parallelism: 1
                                              steps:
                                                - - name: each
                                                    template: echo
                                                    arguments: {parameters: [{name: value, value: "{{item}}"}]}
                                                    withItems: [a, b, c, d]
                                        """
                                                + echoTemplate("echo"))));
        List<String> events =
                result.err()
                        .lines()
                        .filter(l -> l.contains(".each("))
                        .map(l -> l.contains("▶") ? "start" : "end")
                        .toList();
        assertThat(events)
                .containsExactly("start", "end", "start", "end", "start", "end", "start", "end");
    }

    @Test
    void aStubCanFailAStepAndNotesNameWhatIsNotEnforced() {
        Result result =
                runYaml(
                        dir,
                        workflow(
                                "main",
                                """
                                    - name: main
                                      activeDeadlineSeconds: 60
                                      steps:
                                        - - name: deploy
                                            template: deploy
                                    - name: deploy
                                      resource: {action: create, manifest: "kind: ConfigMap"}
                                """),
                        "--stub",
                        "deploy=failed:quota exceeded");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.node("deploy").path("message").asString())
                .isEqualTo("quota exceeded (stubbed: resource template not run locally)");
        assertThat(result.err())
                .contains("note: ")
                .contains("at spec.templates[0].activeDeadlineSeconds: not enforced by dry-run");
    }

    @Test
    void rawArtifactsReachTheWasmStepAndItsOutputsAreStored() throws Exception {
        Path artifacts = dir.resolve("artifacts");
        Result result =
                succeeded(
                        runYaml(
                                dir,
                                workflow(
                                        "main",
                                        """
                                            - name: main
                                              steps:
                                                - - name: count
                                                    template: count
                                                    arguments:
                                                      artifacts:
                                                        - name: text
                                                          raw: {data: "one two three"}
                                            - name: count
                                              inputs:
                                                artifacts: [{name: text, path: /in/text}]
                                              outputs:
                                                parameters: [{name: total}]
                                                artifacts: [{name: counts, path: /out/counts.json, archive: {none: {}}}]
                                              plugin:
                                                wasm:
                                                  module: {file: %s}
                                        """
                                                .formatted(
                                                        io.argowasm.TestModules.example(
                                                                "wordcount/wordcount"))),
                                "--artifact-dir",
                                artifacts.toString()));
        assertThat(result.output("count", "total")).isEqualTo("3");
        String key = result.node("count").at("/outputs/artifacts/0/s3/key").asString();
        assertThat(java.nio.file.Files.readString(artifacts.resolve(key)))
                .isEqualTo("{\"words\":3,\"lines\":1,\"bytes\":13}");
    }
}
