package io.argowasm.argo;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The process's one JSON mapper, configured for Argo's wire format and for input nobody vouches
 * for: request bodies come from whoever can create a Workflow, responses from any module.
 */
public final class Json {

    /** Deeper JSON is refused; Argo's bodies nest about 10 levels. */
    public static final int MAX_NESTING_DEPTH = 500;

    /** Longer numbers are refused: parsing one costs time quadratic in its length. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /** Longer property names are refused; parameter and option names are short. */
    public static final int MAX_NAME_LENGTH = 4096;

    /**
     * Longer strings are refused; a backstop only, as the body and response caps bound them first.
     */
    public static final int MAX_STRING_LENGTH = 256 << 20;

    private static final JsonFactory FACTORY =
            new OwnSymbolsJsonFactory(
                    JsonFactory.builder()
                            .streamReadConstraints(
                                    StreamReadConstraints.builder()
                                            .maxNestingDepth(MAX_NESTING_DEPTH)
                                            .maxNumberLength(MAX_NUMBER_LENGTH)
                                            .maxNameLength(MAX_NAME_LENGTH)
                                            .maxStringLength(MAX_STRING_LENGTH)
                                            .build()));

    private static final JsonMapper MAPPER =
            JsonMapper.builder(FACTORY)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .build();

    private Json() {}

    public static JsonMapper mapper() {
        return MAPPER;
    }
}
