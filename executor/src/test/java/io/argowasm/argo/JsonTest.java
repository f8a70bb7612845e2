package io.argowasm.argo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

class JsonTest {

    private static String object(Iterable<String> names) {
        StringBuilder json = new StringBuilder("{");
        for (String name : names) {
            json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":1");
        }
        return json.append('}').toString();
    }

    private static String ordinary(int n) {
        StringBuilder json = new StringBuilder("{\"template\":{\"name\":\"t\",\"options\":{");
        for (int k = 0; k < 20; k++) {
            json.append(k > 0 ? "," : "").append("\"option%d_%d\":%d".formatted(n, k, k));
        }
        return json.append("}}}").toString();
    }

    @Test
    void collidingNamesInOneDocumentLeaveLaterDocumentsAlone() {
        byte[] crafted = object(CollidingNames.first(3000)).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 50; i++) {
            if (i % 5 == 0) {
                try {
                    Json.mapper().readTree(crafted);
                } catch (JacksonException e) {
                    // Refusing the crafted document is fine; spoiling the next one is not.
                }
            }
            byte[] bytes = ordinary(i).getBytes(StandardCharsets.UTF_8);
            assertThat(Json.mapper().readTree(bytes).at("/template/options").size()).isEqualTo(20);
            assertThat(Json.mapper().readTree(ordinary(i)).at("/template/name").asString())
                    .isEqualTo("t");
        }
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> Json.mapper().readTree(bytes))
                .isInstanceOf(JacksonException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void theReadLimitsAreThoseDocumented() {
        assertThatThrownBy(() -> Json.mapper().readTree("[".repeat(Json.MAX_NESTING_DEPTH + 1)))
                .hasMessageContaining("Document nesting depth");
        assertThatThrownBy(() -> Json.mapper().readTree("{\"" + "n".repeat(5000) + "\":1}"))
                .hasMessageContaining("Name length");
        assertThatThrownBy(() -> Json.mapper().readTree("1".repeat(1001)))
                .hasMessageContaining("Number value length");
    }
}
