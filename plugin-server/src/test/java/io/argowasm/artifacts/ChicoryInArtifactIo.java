package io.argowasm.artifacts;

import com.dylibso.chicory.wasm.Parser;

/** What artifact-io must never do; ArchitectureTest proves its rules catch this class. */
public final class ChicoryInArtifactIo {

    Parser parser;
}
