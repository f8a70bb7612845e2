package io.argowasm.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected texts are what kubectl writes for the same quantities ({@code create quota --hard}). */
class CanonicalQuantityTest {

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
        "2, 2",
        "100m, 100m",
        "256Mi, 256Mi",
        "0.5, 500m",
        "1.5, 1500m",
        "1000m, 1",
        "1.0, 1",
        "1024Mi, 1Gi",
        "2048Mi, 2Gi",
        "1.5Gi, 1536Mi",
        "1.5Ki, 1536",
        "1025Ki, 1025Ki",
        "100M, 100M",
        "10E, 10E",
        "0.0000000001, 1n",
        "0, 0",
        "0m, 0",
        "1e3, 1e3",
        "1e-3, 1e-3",
        "1.500, 1.500",
        "123456789012345678, 123456789012345678",
        "1234567890123456789m, 1234567890123456789m"
    })
    void writesQuantitiesAsKubernetes(String quantity, String written) {
        assertThat(CanonicalQuantity.of(quantity)).isEqualTo(written);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lots", "1.5 Gi", "-1", "01", "1MB", "1e"})
    void refusesWhatIsNotAQuantity(String quantity) {
        assertThatThrownBy(() -> CanonicalQuantity.of(quantity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a resource quantity");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"10Ei", "100.5E"})
    void refusesQuantitiesBeyondTheLargestKubernetesAccepts(String quantity) {
        assertThatThrownBy(() -> CanonicalQuantity.of(quantity))
                .hasMessageContaining("larger than the largest resource quantity");
    }
}
