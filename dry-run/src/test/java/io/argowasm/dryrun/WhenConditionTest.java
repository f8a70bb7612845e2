package io.argowasm.dryrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WhenConditionTest {

    @ParameterizedTest
    @CsvSource(
            delimiterString = " => ",
            quoteCharacter = '`',
            value = {
                "heads == heads => true",
                "heads != tails => true",
                "'two words' == \"two words\" => true",
                "7 > 5 => true",
                "7 >= 7 => true",
                "3 < 2 => false",
                "2.5 <= 2.50 => true",
                "10 == 10.0 => true",
                "abc =~ '^a.c$' => true",
                "abc !~ 'z' => true",
                "true && !false => true",
                "1 == 2 || (3 == 3 && yes == yes) => true",
                "!(heads == heads) => false",
                "true => true",
                "5 == '5' => false"
            })
    void evaluatesAsArgoDoes(String condition, boolean expected) {
        assertThat(WhenCondition.holds(condition)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"a >", "(a == a", "heads", "a > b", "1 + 1 == 2", "'open == x", "x =~ '('"})
    void refusesWhatItCannotEvaluateNamingTheCondition(String condition) {
        assertThatThrownBy(() -> WhenCondition.holds(condition))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(condition);
    }
}
