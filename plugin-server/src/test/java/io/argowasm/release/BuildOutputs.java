package io.argowasm.release;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

/** Files the build writes, as the poms name them, for tests of what a release publishes. */
final class BuildOutputs {

    /** The runnable jar, relative to the repository root. */
    static final String JAR = "plugin-server/target/wasm-executor-plugin.jar";

    private BuildOutputs() {}

    /** The jar the shade plugin writes, by plugin-server/pom.xml's {@code finalName}. */
    static String jarFromShadeConfiguration() throws Exception {
        Path pom = ReleaseWorkflowsTest.REPOSITORY.resolve("plugin-server/pom.xml");
        Document document =
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        String finalName =
                XPathFactory.newInstance()
                        .newXPath()
                        .evaluate(
                                "//plugin[artifactId='maven-shade-plugin']//configuration/finalName",
                                document);
        return "plugin-server/target/%s.jar".formatted(finalName);
    }
}
