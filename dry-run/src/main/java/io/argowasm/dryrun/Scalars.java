package io.argowasm.dryrun;

import io.argowasm.argo.Json;
import tools.jackson.databind.JsonNode;

/** Argo's string view of YAML values: scalars as written, everything else as JSON. */
final class Scalars {

    private Scalars() {}

    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        if (value.isValueNode()) {
            return value.asString();
        }
        return Json.mapper().writeValueAsString(value);
    }
}
