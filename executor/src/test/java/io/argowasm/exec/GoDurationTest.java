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
    void parsesWhatGoAcceptsAroundTheDot() {
        assertThat(GoDuration.parse(".5s")).isEqualTo(Duration.ofMillis(500));
        assertThat(GoDuration.parse("1.s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(GoDuration.parse("1h1m1s1ms1us1ns"))
                .isEqualTo(Duration.ofSeconds(3661).plusNanos(1_001_001));
        assertThat(GoDuration.parse("2µs")).isEqualTo(Duration.ofNanos(2_000));
        for (String bad : new String[] {".s", "1.2.3s", "1s.", "1sm", "h"}) {
            assertThatThrownBy(() -> GoDuration.parse(bad))
                    .as(bad)
                    .hasMessageContaining("use Go syntax");
        }
    }

    @Test
    void aLongTextIsRefusedByItsLengthWithoutBeingQuoted() {
        String digits = "1".repeat(16_000) + "s";
        assertThatThrownBy(() -> GoDuration.parse(digits))
                .isNotInstanceOf(GoDuration.OutOfRangeException.class)
                .hasMessage("a duration of 16001 characters is too long; at most 64 are read");
        assertThat(GoDuration.parse("0".repeat(62) + "1s")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aDurationLongerThanGoCanHoldIsOutOfRange() {
        assertThatThrownBy(() -> GoDuration.parse("9999999999999999999h"))
                .isInstanceOf(GoDuration.OutOfRangeException.class);
        assertThatThrownBy(() -> GoDuration.parse("2562048h"))
                .isInstanceOf(GoDuration.OutOfRangeException.class);
        assertThat(GoDuration.parse("2562047h")).isEqualTo(Duration.ofHours(2562047));
    }

    @Test
    void formatsAsGoPrints() {
        assertThat(GoDuration.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoDuration.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDuration.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
        assertThat(GoDuration.format(Duration.ofNanos(1))).isEqualTo("1ns");
        assertThat(GoDuration.format(Duration.ofNanos(1_500))).isEqualTo("1.5µs");
        assertThat(GoDuration.format(Duration.ofNanos(1_500_000))).isEqualTo("1.5ms");
        assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    }
}
