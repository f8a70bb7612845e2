package io.argowasm.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCheckTest {

    @TempDir Path dir;

    @Test
    void acceptsOnlyTheBearerTokenFromTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "s3cret-token\n");
        TokenCheck check = TokenCheck.fromFile(file);
        assertThat(check.accepts("Bearer s3cret-token")).isTrue();
        assertThat(check.accepts("Bearer s3cret-tokeN")).isFalse();
        assertThat(check.accepts("Bearer s3cret")).isFalse();
        assertThat(check.accepts("s3cret-token")).isFalse();
        assertThat(check.accepts(null)).isFalse();
    }

    @Test
    void aChangedTokenFileIsReadAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first");
        TokenCheck check = TokenCheck.fromFile(file, Duration.ZERO);
        assertThat(check.accepts("Bearer first")).isTrue();
        Files.writeString(file, "second");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(check.accepts("Bearer second")).isTrue();
        assertThat(check.accepts("Bearer first")).isFalse();
    }

    @Test
    void aTokenFileBrieflyAbsentKeepsTheLastToken() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "kept");
        TokenCheck check = TokenCheck.fromFile(file, Duration.ZERO);
        Files.delete(file);
        assertThat(check.accepts("Bearer kept")).isTrue();
    }

    @Test
    void aMissingOrEmptyTokenFileIsAClearStartUpError() throws Exception {
        assertThatThrownBy(() -> TokenCheck.fromFile(dir.resolve("absent")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("--no-auth");
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");
        assertThatThrownBy(() -> TokenCheck.fromFile(empty)).hasMessageContaining("is empty");
    }

    @Test
    void disabledAcceptsAnything() {
        assertThat(TokenCheck.disabled().accepts(null)).isTrue();
    }
}
