package io.argowasm.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argowasm.argo.Json;
import io.argowasm.argo.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestReplyTest {

    static GuestReply parse(String json) throws StepFailure {
        return GuestReply.parse(Json.mapper(), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stringsPassAsTheyAreAndOtherValuesBecomeJsonText() throws Exception {
        GuestReply reply =
                parse(
                        "{\"parameters\":{\"s\":\"text\",\"n\":42,\"o\":{\"a\":[1,true]},\"z\":null},\"message\":\"done\"}");
        assertThat(reply.parameters())
                .containsEntry("s", "text")
                .containsEntry("n", "42")
                .containsEntry("o", "{\"a\":[1,true]}")
                .containsEntry("z", "null");
        assertThat(reply.message()).isEqualTo("done");
    }

    @Test
    void declaredOutputsComeFirstThenUndeclaredOnes() throws Exception {
        List<Parameter> out =
                parse("{\"parameters\":{\"extra\":\"e\",\"b\":\"2\",\"a\":\"1\"}}")
                        .outputs(List.of(Parameter.of("a", null), Parameter.of("b", null)));
        assertThat(out).extracting(Parameter::name).containsExactly("a", "b", "extra");
    }

    @Test
    void aMissingDeclaredOutputFallsBackToValueFromDefault() throws Exception {
        Parameter withDefault = new Parameter("a", null, null, new Parameter.ValueFrom("fallback"));
        assertThat(parse("{}").outputs(List.of(withDefault)))
                .containsExactly(Parameter.of("a", "fallback"));
    }

    @Test
    void aMissingDeclaredOutputWithoutDefaultFailsNamingIt() {
        assertThatThrownBy(
                        () ->
                                parse("{\"parameters\":{\"x\":\"1\"}}")
                                        .outputs(List.of(Parameter.of("total", null))))
                .hasMessageContaining("declared output parameter total")
                .hasMessageContaining("returned: x");
    }

    @Test
    void responsesThatAreNotAnObjectOfParametersFail() {
        assertThatThrownBy(() -> parse("not json")).hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> parse("{\"parameters\":[1]}"))
                .hasMessageContaining("not an object");
    }
}
