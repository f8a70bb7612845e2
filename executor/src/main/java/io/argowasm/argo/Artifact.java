package io.argowasm.argo;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Argo's {@code Artifact}: a name, the path the template declares, and one location ({@code s3},
 * {@code raw}, {@code http}, ...). Fields this plugin does not interpret are kept as they came, so
 * an artifact can be echoed back unchanged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Artifact {

    private String name;
    private String path;
    private Boolean optional;
    private final Map<String, JsonNode> other = new LinkedHashMap<>();

    public Artifact() {}

    public Artifact(String name, String path) {
        this.name = name;
        this.path = path;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Boolean getOptional() {
        return optional;
    }

    public void setOptional(Boolean optional) {
        this.optional = optional;
    }

    @JsonIgnore
    public boolean isOptional() {
        return Boolean.TRUE.equals(optional);
    }

    /**
     * Any other field: the location ({@code s3}, {@code raw}, ...), {@code archive}, {@code mode}.
     */
    @JsonAnyGetter
    public Map<String, JsonNode> other() {
        return other;
    }

    @JsonAnySetter
    public void set(String field, JsonNode value) {
        other.put(field, value);
    }

    public JsonNode field(String field) {
        return other.get(field);
    }
}
