package io.argowasm.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every example workflow is a valid Workflow by Argo's JSON schema (argo/schema.json, Argo's
 * api/jsonschema/schema.json) and follows the rules Argo's validation adds for plugin templates.
 */
class ExampleWorkflowsSchemaTest {

    private static final Path EXAMPLES = Path.of("..", "examples", "workflows");
    private static final String WORKFLOW = "io.argoproj.workflow.v1alpha1.Workflow";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** The valueFrom fields Argo counts as the source of an output parameter. */
    private static final Set<String> SOURCES =
            Set.of("path", "jqFilter", "jsonPath", "parameter", "expression", "supplied");

    private static Schema workflowSchema;

    @BeforeAll
    static void loadSchema() throws IOException {
        String text;
        try (InputStream in =
                ExampleWorkflowsSchemaTest.class
                        .getClassLoader()
                        .getResourceAsStream("argo/schema.json")) {
            assertThat(in).as("argo/schema.json on the classpath").isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // Kubernetes' x-kubernetes-* keywords describe merge behaviour, not validity.
        Dialect draft202012 = Dialects.getDraft202012();
        Dialect kubernetes =
                Dialect.builder(draft202012)
                        .unknownKeywordFactory(
                                (keyword, context) ->
                                        keyword.startsWith("x-kubernetes-")
                                                ? new AnnotationKeyword(keyword)
                                                : null)
                        .build();
        // The schema's root accepts any Argo kind (oneOf); the examples must be Workflows.
        String id = new ObjectMapper().readTree(text).get("$id").stringValue();
        SchemaRegistry registry =
                SchemaRegistry.withDialect(
                        kubernetes, builder -> builder.schemas(Map.of(id, text)));
        workflowSchema = registry.getSchema(SchemaLocation.of(id + "#/definitions/" + WORKFLOW));
    }

    static Stream<Arguments> exampleDocuments() throws IOException {
        List<Arguments> documents = new ArrayList<>();
        List<Path> yaml = new ArrayList<>();
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(yaml::add);
        }
        // Examples that need a cluster (a private registry, a derived image) sit beside their
        // other files, as examples/NAME/workflow.yaml.
        try (Stream<Path> dirs = Files.list(EXAMPLES.getParent())) {
            dirs.map(d -> d.resolve("workflow.yaml"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .forEach(yaml::add);
        }
        for (Path file : yaml) {
            try (MappingIterator<JsonNode> it =
                    YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class)) {
                int index = 0;
                while (it.hasNext()) {
                    documents.add(
                            arguments(
                                    EXAMPLES.getParent().relativize(file) + "#" + index++,
                                    it.next()));
                }
            }
        }
        return documents.stream();
    }

    @Test
    void theExamplesAreThere() throws IOException {
        assertThat(exampleDocuments().map(a -> (String) a.get()[0]))
                .contains(
                        "workflows/hello.yaml#0",
                        "workflows/params-pipeline.yaml#0",
                        "workflows/dag.yaml#0",
                        "workflows/artifacts.yaml#0",
                        "workflows/module-from-artifact.yaml#0",
                        "derived-image/workflow.yaml#0",
                        "private-registry/workflow.yaml#0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleDocuments")
    void everyExampleIsAWorkflowByArgosSchema(String document, JsonNode workflow) {
        assertThat(problems(workflow)).as(document).isEmpty();
    }

    /**
     * What workflow/validate/validate.go checks beyond the schema: plugin templates count as leaf
     * templates, so every artifact needs a path, and every output parameter needs a value or
     * exactly one source ({@code valueFrom.supplied} for values the plugin supplies).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleDocuments")
    void pluginTemplatesPassArgosValidation(String document, JsonNode workflow) {
        List<String> problems = new ArrayList<>();
        for (JsonNode template : workflow.path("spec").path("templates")) {
            if (!template.has("plugin")) {
                continue;
            }
            String name = "templates." + template.path("name").asString();
            for (String kind : List.of("inputs", "outputs")) {
                for (JsonNode artifact : template.path(kind).path("artifacts")) {
                    if (artifact.path("path").asString("").isEmpty()) {
                        problems.add(
                                "%s.%s.artifacts.%s has no path"
                                        .formatted(name, kind, artifact.path("name").asString()));
                    }
                }
            }
            for (JsonNode parameter : template.path("outputs").path("parameters")) {
                long sources =
                        parameter.path("valueFrom").propertyNames().stream()
                                .filter(SOURCES::contains)
                                .count();
                boolean valid = parameter.has("value") ? !parameter.has("valueFrom") : sources == 1;
                if (!valid) {
                    problems.add(
                            "%s.outputs.parameters.%s needs a value or one valueFrom source"
                                    .formatted(name, parameter.path("name").asString()));
                }
            }
        }
        assertThat(problems).as(document).isEmpty();
    }

    @Test
    void aBrokenWorkflowFailsNamingTheField() {
        JsonNode broken =
                YAML.readTree(
                        """
                        apiVersion: argoproj.io/v1alpha1
                        kind: Workflow
                        metadata:
                          generateName: broken-
                        spec:
                          entrypoint: greet
                          templates:
                            - name: greet
                              inputs:
                                parameters:
                                  - value: a parameter without a name
                              plugin:
                                wasm:
                                  operation: greet
                        """);

        assertThat(problems(broken))
                .containsExactly(
                        "/spec/templates/0/inputs/parameters/0: required property 'name' not"
                                + " found");
    }

    @Test
    void aListWrittenAsTextFailsNamingTheField() {
        JsonNode broken =
                YAML.readTree(
                        """
                        apiVersion: argoproj.io/v1alpha1
                        kind: Workflow
                        metadata:
                          generateName: broken-
                        spec:
                          entrypoint: main
                          templates:
                            - name: main
                              dag:
                                tasks:
                                  - name: b
                                    template: main
                                    dependencies: a
                        """);

        assertThat(problems(broken))
                .singleElement()
                .asString()
                .isEqualTo(
                        "/spec/templates/0/dag/tasks/0/dependencies: string found, array expected");
    }

    private static List<String> problems(JsonNode workflow) {
        return workflowSchema.validate(workflow).stream().map(Error::toString).toList();
    }
}
