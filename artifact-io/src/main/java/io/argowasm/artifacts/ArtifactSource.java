package io.argowasm.artifacts;

import java.util.List;
import java.util.Map;

/** Where an artifact's bytes come from or go to, as its Argo spec says. */
public sealed interface ArtifactSource {

    /** An S3 object: a key only (the workflow's repository) or a complete location. */
    record S3(S3Location location) implements ArtifactSource {}

    /** Inline content ({@code raw: {data}}); inputs only. */
    record Raw(String data) implements ArtifactSource {}

    /**
     * A URL fetched with GET ({@code http: {url, headers}}); inputs only.
     *
     * @param url the URL
     * @param headers literal headers to send, in declaration order
     */
    record Http(String url, List<Map.Entry<String, String>> headers) implements ArtifactSource {
        public Http {
            headers = List.copyOf(headers);
        }

        @Override
        public String toString() {
            // Header values are often tokens: show names only.
            return "Http[url=%s, headers=%s]"
                    .formatted(url, headers.stream().map(Map.Entry::getKey).toList());
        }
    }

    /** No location at all: an output that goes to the workflow's repository. */
    record Unset() implements ArtifactSource {}

    /**
     * A location type this plugin does not read or write (gcs, azure, git, hdfs, oss, artifactory,
     * hf, plugin, or http with {@code auth}).
     *
     * @param type the Argo field name of the location
     */
    record Unsupported(String type) implements ArtifactSource {}
}
