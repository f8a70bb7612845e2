package io.argowasm.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    void aReplacedTokenFileIsNoticedThoughItsModificationTimeIsKept() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first");
        FileTime modified = Files.getLastModifiedTime(file);
        TokenCheck check = TokenCheck.fromFile(file, Duration.ZERO);
        assertThat(check.accepts("Bearer first")).isTrue();
        Path replacement = Files.writeString(dir.resolve("token.new"), "other");
        Files.setLastModifiedTime(replacement, modified);
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING);
        assertThat(check.accepts("Bearer other")).isTrue();
        assertThat(check.accepts("Bearer first")).isFalse();
        Files.writeString(file, "again");
        Files.setLastModifiedTime(file, modified);
        assertThat(check.accepts("Bearer again")).isTrue();
    }

    @Test
    void aReplacedTokenFileIsNoticedWithinSecondsAtTheDefaultRecheck() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first");
        FileTime modified = Files.getLastModifiedTime(file);
        TokenCheck check = TokenCheck.fromFile(file);
        Files.writeString(file, "other");
        Files.setLastModifiedTime(file, modified);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!check.accepts("Bearer other") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(check.accepts("Bearer other")).isTrue();
        assertThat(check.accepts("Bearer first")).isFalse();
    }

    @Test
    void theSchemeIsMatchedWhateverItsCase() throws Exception {
        TokenCheck check = TokenCheck.fromFile(Files.writeString(dir.resolve("token"), "tok"));
        for (String header :
                new String[] {"Bearer tok", "bearer tok", "BEARER tok", "bEaReR tok"}) {
            assertThat(check.accepts(header)).as(header).isTrue();
        }
        for (String header : new String[] {"Basic tok", "Bearertok", "Bearer", "Bearer ", "tok"}) {
            assertThat(check.accepts(header)).as(header).isFalse();
        }
    }

    @Test
    void aTokenFileThatIsNotUtf8IsAClearStartUpError() throws Exception {
        Path file = Files.write(dir.resolve("token"), new byte[] {'t', (byte) 0xFF, 'k'});
        assertThatThrownBy(() -> TokenCheck.fromFile(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("token file " + file + " is not UTF-8 text")
                .hasMessageContaining("--token-file");
    }

    @Test
    void aTokenFileReplacedByOneThatIsNotUtf8KeepsTheLastToken() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "kept");
        TokenCheck check = TokenCheck.fromFile(file, Duration.ZERO);
        Files.write(file, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertThat(check.accepts("Bearer kept")).isTrue();
        Files.writeString(file, "  \n");
        assertThat(check.accepts("Bearer kept")).isTrue();
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
