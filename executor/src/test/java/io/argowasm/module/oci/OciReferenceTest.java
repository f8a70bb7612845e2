package io.argowasm.module.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OciReferenceTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void readsRegistryRepositoryTagAndDigest() {
        OciReference ref = OciReference.parse("ghcr.io/team/tools/greet:v1.2@" + DIGEST);
        assertThat(ref.registry()).isEqualTo("ghcr.io");
        assertThat(ref.repository()).isEqualTo("team/tools/greet");
        assertThat(ref.tag()).isEqualTo("v1.2");
        assertThat(ref.digest()).isEqualTo(DIGEST);
        assertThat(ref.manifestReference()).isEqualTo(DIGEST);
        assertThat(ref).hasToString("ghcr.io/team/tools/greet:v1.2@" + DIGEST);
    }

    @Test
    void aPortIsPartOfTheRegistryNotATag() {
        OciReference ref = OciReference.parse("127.0.0.1:5000/greet");
        assertThat(ref.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(ref.hostName()).isEqualTo("127.0.0.1");
        assertThat(ref.repository()).isEqualTo("greet");
        assertThat(ref.tag()).isEqualTo("latest");
        assertThat(OciReference.parse("localhost/m:1").registry()).isEqualTo("localhost");
    }

    @Test
    void namesWithoutARegistryAreOnDockerHub() {
        OciReference single = OciReference.parse("greet:v1");
        assertThat(single.registry()).isEqualTo("docker.io");
        assertThat(single.repository()).isEqualTo("library/greet");
        assertThat(single.apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(OciReference.parse("team/greet").repository()).isEqualTo("team/greet");
        assertThat(OciReference.parse("index.docker.io/team/greet").registry())
                .isEqualTo("docker.io");
    }

    @Test
    void aDigestAloneLeavesNoTag() {
        OciReference ref = OciReference.parse("reg.example/m@" + DIGEST);
        assertThat(ref.tag()).isNull();
        assertThat(ref.manifestReference()).isEqualTo(DIGEST);
    }

    @Test
    void refusesMalformedReferencesSayingWhichPart() {
        assertThatThrownBy(() -> OciReference.parse("https://ghcr.io/team/m:v1"))
                .hasMessageContaining("without a scheme")
                .hasMessageContaining("REGISTRY/REPOSITORY");
        assertThatThrownBy(() -> OciReference.parse("ghcr.io/Team/m"))
                .hasMessageContaining("'Team'");
        assertThatThrownBy(() -> OciReference.parse("ghcr.io/team/m@sha256:abc"))
                .hasMessageContaining("digest 'sha256:abc'");
        assertThatThrownBy(() -> OciReference.parse("ghcr.io/team/m:bad!tag"))
                .hasMessageContaining("tag 'bad!tag'");
        assertThatThrownBy(() -> OciReference.parse("ghcr.io//m")).hasMessageContaining("''");
        assertThatThrownBy(() -> OciReference.parse(" ")).hasMessageContaining("empty");
    }
}
