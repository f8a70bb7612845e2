package io.argowasm.argo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Argo's {@code Parameter}: a name and a string value, possibly with a default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Parameter(
        String name,
        String value,
        @JsonProperty("default") String defaultValue,
        ValueFrom valueFrom) {

    public static Parameter of(String name, String value) {
        return new Parameter(name, value, null, null);
    }

    /** The value a declared output falls back to when the step supplies none. */
    public String fallback() {
        return valueFrom != null && valueFrom.defaultValue() != null
                ? valueFrom.defaultValue()
                : null;
    }

    /** Where an output parameter's value comes from; only {@code default} matters to a plugin. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ValueFrom(@JsonProperty("default") String defaultValue) {}
}
