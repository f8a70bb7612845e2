package io.argowasm.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

    @Test
    void parsesGoDurations() {
        assertThat(GoDuration.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDuration.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("100us")).isEqualTo(Duration.ofNanos(100_000));
        assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void rejectsWhatGoRejectsWithAHint() {
        for (String bad : new String[] {"", "30", "s", "1x", "30 s", "-"}) {
            assertThatThrownBy(() -> GoDuration.parse(bad))
                    .as(bad)
                    .hasMessageContaining("use Go syntax");
        }
    }

    @Test
    void formatsAsGoPrints() {
        assertThat(GoDuration.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoDuration.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDuration.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
    }
}
