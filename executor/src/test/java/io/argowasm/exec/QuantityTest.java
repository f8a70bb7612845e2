package io.argowasm.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuantityTest {

    @Test
    void parsesKubernetesMemoryQuantities() {
        assertThat(Quantity.parseBytes("64Mi")).isEqualTo(64L << 20);
        assertThat(Quantity.parseBytes("1Gi")).isEqualTo(1L << 30);
        assertThat(Quantity.parseBytes("128M")).isEqualTo(128_000_000L);
        assertThat(Quantity.parseBytes("1048576")).isEqualTo(1L << 20);
        assertThat(Quantity.parseBytes("1.5Gi")).isEqualTo(3L << 29);
    }

    @Test
    void rejectsNonQuantities() {
        assertThatThrownBy(() -> Quantity.parseBytes("64MB")).hasMessageContaining("64Mi or 1Gi");
        assertThatThrownBy(() -> Quantity.parseBytes("-1Mi"))
                .hasMessageContaining("not a memory quantity");
    }

    @Test
    void aLongTextIsRefusedByItsLengthWithoutBeingQuoted() {
        String digits = "9".repeat(1_000_000);
        assertThatThrownBy(() -> Quantity.parseBytes(digits))
                .isNotInstanceOf(Quantity.OutOfRangeException.class)
                .hasMessage("a quantity of 1000000 characters is too long; at most 64 are read");
    }

    @Test
    void moreBytesThanALongHoldsAreOutOfRangeInsteadOfWrappingAround() {
        for (String huge :
                new String[] {
                    "18446744073709617152",
                    "9223372036854775808",
                    "8388608Ti",
                    "1e999999999",
                    "1e99999999999"
                }) {
            assertThatThrownBy(() -> Quantity.parseBytes(huge))
                    .as(huge)
                    .isInstanceOf(Quantity.OutOfRangeException.class);
        }
        assertThat(Quantity.parseBytes("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void formatsWithTheLargestExactBinarySuffix() {
        assertThat(Quantity.format(64L << 20)).isEqualTo("64Mi");
        assertThat(Quantity.format(1536L << 10)).isEqualTo("1536Ki");
        assertThat(Quantity.format(100)).isEqualTo("100");
    }
}
