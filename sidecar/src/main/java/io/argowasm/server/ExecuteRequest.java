package io.argowasm.server;

import io.argowasm.argo.ExecuteTemplateArgs;
import io.argowasm.argo.Json;
import io.argowasm.exec.TemplateExecutor;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a {@code template.execute} body: JSON, an object with a {@code template} object, and, for a
 * template of this plugin, Argo's shape. Anything else is a {@link BadRequestException} whose
 * message tells the caller what is wrong; nothing else escapes, whatever the bytes.
 */
final class ExecuteRequest {

    private ExecuteRequest() {}

    /**
     * @return the arguments, or empty when the template belongs to another plugin
     * @throws BadRequestException when the body is not a template.execute request
     */
    static Optional<ExecuteTemplateArgs> read(byte[] body) throws BadRequestException {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw new BadRequestException("malformed JSON: %s".formatted(e.getOriginalMessage()));
        }
        if (tree == null || !tree.isObject() || !tree.path("template").isObject()) {
            throw new BadRequestException(
                    "not a template.execute request: the body needs a 'template' object");
        }
        if (!TemplateExecutor.isWasmTemplate(tree.path("template"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().treeToValue(tree, ExecuteTemplateArgs.class));
        } catch (JacksonException e) {
            throw new BadRequestException(
                    "the template does not have Argo's shape: %s"
                            .formatted(e.getOriginalMessage()));
        }
    }

    /** A body that is not a template.execute request; the message is for the caller. */
    static final class BadRequestException extends Exception {
        BadRequestException(String message) {
            super(message);
        }
    }
}
