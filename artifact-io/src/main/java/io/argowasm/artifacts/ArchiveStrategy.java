package io.argowasm.artifacts;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An artifact's {@code archive} field.
 *
 * <p>{@link Kind#DEFAULT} (no field) means: inputs are unpacked when their content is a gzip'd tar,
 * outputs are stored as a tar+gzip. {@link Kind#TAR} forces both, {@link Kind#NONE} stores and
 * reads the raw file.
 *
 * @param kind which strategy was declared
 * @param compressionLevel gzip level for {@code tar: {compressionLevel: N}}, or {@code null} for
 *     the default level
 */
public record ArchiveStrategy(Kind kind, Integer compressionLevel) {
    /** The strategies Argo defines. */
    public enum Kind {
        DEFAULT,
        TAR,
        NONE,
        ZIP
    }

    public static final ArchiveStrategy DEFAULT = new ArchiveStrategy(Kind.DEFAULT, null);
    public static final ArchiveStrategy NONE = new ArchiveStrategy(Kind.NONE, null);

    public ArchiveStrategy {
        if (compressionLevel != null && (compressionLevel < -1 || compressionLevel > 9)) {
            throw new IllegalArgumentException(
                    "archive.tar.compressionLevel must be between -1 and 9, got %s"
                            .formatted(compressionLevel));
        }
    }

    public static ArchiveStrategy tar(Integer compressionLevel) {
        return new ArchiveStrategy(Kind.TAR, compressionLevel);
    }

    /** Whether outputs are stored as a tar+gzip ({@code .tgz}). */
    public boolean archivesOutputs() {
        return kind == Kind.DEFAULT || kind == Kind.TAR;
    }

    static ArchiveStrategy fromJson(JsonNode archive) {
        if (archive == null || archive.isNull() || archive.isMissingNode()) {
            return DEFAULT;
        }
        if (archive.has("none")) {
            return NONE;
        }
        if (archive.has("zip")) {
            return new ArchiveStrategy(Kind.ZIP, null);
        }
        if (archive.has("tar")) {
            JsonNode level = archive.path("tar").path("compressionLevel");
            return tar(level.isNumber() ? Integer.valueOf(level.asInt()) : null);
        }
        return DEFAULT;
    }

    /** The {@code archive} field as declared, or {@code null} when none was. */
    ObjectNode toJson() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode archive = nodes.objectNode();
        switch (kind) {
            case DEFAULT:
                return null;
            case NONE:
                archive.set("none", nodes.objectNode());
                break;
            case ZIP:
                archive.set("zip", nodes.objectNode());
                break;
            case TAR:
                ObjectNode tar = archive.putObject("tar");
                if (compressionLevel != null) {
                    tar.put("compressionLevel", compressionLevel);
                }
                break;
        }
        return archive;
    }
}
