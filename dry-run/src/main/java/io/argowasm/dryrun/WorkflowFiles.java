package io.argowasm.dryrun;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads the YAML documents of workflow files, as {@code argo submit} accepts them. */
public final class WorkflowFiles {

    /** The workflow {@code dry-run} runs when given no file, bundled in the plugin's jar. */
    public static final String DEFAULT_WORKFLOW = "workflows/hello.yaml";

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private WorkflowFiles() {}

    /**
     * Every non-empty document of a file.
     *
     * @throws InvalidWorkflowException when the file is missing, is not YAML, or holds something
     *     other than objects
     */
    public static List<WorkflowDocument> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidWorkflowException("workflow file %s does not exist".formatted(file));
        } catch (IOException e) {
            throw new InvalidWorkflowException(
                    "cannot read workflow file %s: %s".formatted(file, e));
        }
        return parse(file.toString(), text);
    }

    /** The documents of the bundled default workflow. */
    public static List<WorkflowDocument> bundledDefault() {
        try (InputStream in =
                WorkflowFiles.class.getClassLoader().getResourceAsStream(DEFAULT_WORKFLOW)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the plugin's jar lacks %s; rebuild it with mvn package"
                                .formatted(DEFAULT_WORKFLOW));
            }
            return parse(DEFAULT_WORKFLOW, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents of YAML text; {@code source} names it in messages. */
    public static List<WorkflowDocument> parse(String source, String text) {
        List<WorkflowDocument> documents = new ArrayList<>();
        int index = 0;
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                index++;
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                if (!(node instanceof ObjectNode object)) {
                    throw new InvalidWorkflowException(
                            ("%s, document %s: expected a Workflow or WorkflowTemplate object,"
                                            + " found %s")
                                    .formatted(source, index, node.getNodeType()));
                }
                documents.add(new WorkflowDocument(source, index, object));
            }
        } catch (JacksonException e) {
            throw new InvalidWorkflowException(
                    "%s is not valid YAML: %s%s"
                            .formatted(
                                    source,
                                    e.getOriginalMessage().lines().findFirst().orElse(""),
                                    location(e)));
        }
        if (documents.isEmpty()) {
            throw new InvalidWorkflowException("%s holds no YAML document".formatted(source));
        }
        return documents;
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null
                ? ""
                : " (line %s, column %s)"
                        .formatted(e.getLocation().getLineNr(), e.getLocation().getColumnNr());
    }
}
