package io.argowasm.module.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryCredentialsTest {

    private static String auth(String user, String password) {
        return Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String user(RegistryCredentials credentials, String reference) {
        return credentials
                .find(OciReference.parse(reference))
                .map(RegistryCredentials.Login::username)
                .orElse(null);
    }

    @Test
    void matchesKeysAsKubernetesDoes() {
        RegistryCredentials credentials =
                RegistryCredentials.parse(
                        """
                        {"auths": {
                          "https://ghcr.io": {"auth": "%s"},
                          "ghcr.io/team-a": {"auth": "%s"},
                          "*.azurecr.io": {"auth": "%s"},
                          "reg.example:5000": {"username": "porter", "password": "p"},
                          "https://index.docker.io/v1/": {"auth": "%s"}
                        }}
                        """
                                .formatted(
                                        auth("anyone", "a"),
                                        auth("team-a", "b"),
                                        auth("azure", "c"),
                                        auth("hub", "d")),
                        "test");
        assertThat(user(credentials, "ghcr.io/team-b/m:v1")).isEqualTo("anyone");
        assertThat(user(credentials, "ghcr.io/team-a/m:v1")).isEqualTo("team-a");
        assertThat(user(credentials, "ghcr.io/team-ab/m:v1")).isEqualTo("anyone");
        assertThat(user(credentials, "mine.azurecr.io/m")).isEqualTo("azure");
        assertThat(user(credentials, "a.mine.azurecr.io/m")).isNull();
        assertThat(user(credentials, "reg.example:5000/m")).isEqualTo("porter");
        assertThat(user(credentials, "reg.example/m")).isNull();
        assertThat(user(credentials, "reg.example:5001/m")).isNull();
        assertThat(user(credentials, "greet:v1")).isEqualTo("hub");
        assertThat(user(credentials, "quay.io/m")).isNull();
    }

    @Test
    void theLegacyBareMapIsRead() {
        RegistryCredentials credentials =
                RegistryCredentials.parse(
                        "{\"quay.io\": {\"auth\": \"%s\"}}".formatted(auth("q", "x")), "test");
        assertThat(credentials.find(OciReference.parse("quay.io/m")).orElseThrow().password())
                .isEqualTo("x");
    }

    @Test
    void badEntriesAreNamed() {
        assertThatThrownBy(
                        () ->
                                RegistryCredentials.parse(
                                        "{\"auths\": {\"ghcr.io\": {\"auth\": \"bm8tY29sb24=\"}}}",
                                        "cfg.json"))
                .hasMessageContaining("cfg.json")
                .hasMessageContaining("auths.\"ghcr.io\".auth");
        assertThatThrownBy(() -> RegistryCredentials.parse("[", "cfg.json"))
                .hasMessageContaining("cfg.json is not JSON");
    }
}
