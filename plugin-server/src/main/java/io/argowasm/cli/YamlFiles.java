package io.argowasm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads YAML files the way users write them for Argo. */
final class YamlFiles {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private YamlFiles() {}

    static JsonNode read(Path file) throws IOException {
        return YAML.readTree(Files.readString(file));
    }
}
