package nl.wmogateway.iwmo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BsnTest {

    @ParameterizedTest
    @ValueSource(strings = {"999911120", "111222333", "123456782", "012345672"})
    void nineDigitsPassingTheElevenTestAreValid(String bsn) {
        assertThat(Bsn.isValid(bsn)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"123456789", "999911121", "111222334"})
    void nineDigitsFailingTheElevenTestAreInvalid(String bsn) {
        assertThat(Bsn.isValid(bsn)).isFalse();
    }

    @Test
    void allZerosIsRefusedAlthoughItPassesTheArithmetic() {
        assertThat(Bsn.isValid("000000000")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12345672", "9999111200", "99991112"})
    void anythingButNineDigitsIsInvalid(String bsn) {
        assertThat(Bsn.isValid(bsn)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "99991112A",
                " 99991112",
                "999 11120",
                "99991112-",
                "\u0669\u0669\u0669\u0669\u0661\u0661\u0661\u0662\u0660",
                "\uFF19\uFF19\uFF19\uFF19\uFF11\uFF11\uFF11\uFF12\uFF10"
            })
    void lettersSpacesAndNonAsciiDigitsAreInvalid(String bsn) {
        assertThat(Bsn.isValid(bsn)).isFalse();
    }

    @Test
    void nullIsInvalid() {
        assertThat(Bsn.isValid(null)).isFalse();
    }
}
