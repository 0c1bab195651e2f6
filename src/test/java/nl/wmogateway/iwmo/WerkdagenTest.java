package nl.wmogateway.iwmo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WerkdagenTest {

    @ParameterizedTest(name = "Easter {0} is {1}")
    @CsvSource({
        "2008, 2008-03-23",
        "2011, 2011-04-24",
        "2024, 2024-03-31",
        "2025, 2025-04-20",
        "2026, 2026-04-05",
        "2027, 2027-03-28",
        "2038, 2038-04-25",
        "2285, 2285-03-22"
    })
    void easterFollowsTheGregorianCalendar(int jaar, LocalDate pasen) {
        assertThat(Werkdagen.eerstePaasdag(jaar)).isEqualTo(pasen);
    }

    @Test
    void theHolidaysOf2026AreTheEightOfTheAlgemeneTermijnenwetOnWeekdays() {
        assertThat(Werkdagen.feestdagen(2026))
                .containsExactly(
                        LocalDate.of(2026, 1, 1),
                        LocalDate.of(2026, 4, 6),
                        LocalDate.of(2026, 4, 27),
                        LocalDate.of(2026, 5, 5),
                        LocalDate.of(2026, 5, 14),
                        LocalDate.of(2026, 5, 25),
                        LocalDate.of(2026, 12, 25),
                        LocalDate.of(2026, 12, 26));
    }

    @Test
    void saturdayAndSundayAreNoWorkingDays() {
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2026, 3, 14))).isFalse();
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2026, 3, 15))).isFalse();
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2026, 3, 16))).isTrue();
    }

    @Test
    void tweedePaasdagIsNoWorkingDayButGoedeVrijdagIs() {
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2026, 4, 6))).isFalse();
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2026, 4, 3))).isTrue();
    }

    @Test
    void koningsdagMovesToSaturdayWhen27AprilIsASunday() {
        assertThat(Werkdagen.feestdagen(2025))
                .contains(LocalDate.of(2025, 4, 26))
                .doesNotContain(LocalDate.of(2025, 4, 27));
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2026, 4, 27))).isFalse();
    }

    @Test
    void koninginnedagOn30AprilCountsBefore2014() {
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2013, 4, 30))).isFalse();
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2014, 4, 30))).isTrue();
    }

    @Test
    void theFifthOfMayIsNoWorkingDayInAnyYearAsTheAlgemeneTermijnenwetSays() {
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2025, 5, 5))).isFalse();
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2026, 5, 5))).isFalse();
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2027, 5, 5))).isFalse();
        // Tuesday 5 May 2026: a WMO315 of Monday the 4th is due five werkdagen later, on Tuesday the 12th
        assertThat(Werkdagen.plus(LocalDate.of(2026, 5, 4), 5)).isEqualTo(LocalDate.of(2026, 5, 12));
    }

    @Test
    void hemelvaartsdagAndTweedePinksterdagAreNoWorkingDays() {
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2026, 5, 14))).isFalse();
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2026, 5, 25))).isFalse();
    }

    @Test
    void christmasAndNewYearAreNoWorkingDays() {
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2025, 12, 25))).isFalse();
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2025, 12, 26))).isFalse();
        assertThat(Werkdagen.isWerkdag(LocalDate.of(2026, 1, 1))).isFalse();
    }

    @Test
    void aRetourOnGoedeVrijdagIsDueOnThursdayAfterEaster() {
        assertThat(Werkdagen.plus(LocalDate.of(2026, 4, 3), 3)).isEqualTo(LocalDate.of(2026, 4, 9));
    }

    @Test
    void aToewijzingAfterAVerzoekTheMondayBeforeHemelvaartIsDueTheNextTuesday() {
        assertThat(Werkdagen.plus(LocalDate.of(2026, 5, 11), 5)).isEqualTo(LocalDate.of(2026, 5, 19));
    }

    @Test
    void countingStartsTheDayAfterAndSkipsTheWeekend() {
        assertThat(Werkdagen.plus(LocalDate.of(2026, 3, 13), 1)).isEqualTo(LocalDate.of(2026, 3, 16));
        assertThat(Werkdagen.plus(LocalDate.of(2026, 3, 14), 1)).isEqualTo(LocalDate.of(2026, 3, 16));
    }

    @Test
    void zeroWorkingDaysIsTheSameDay() {
        assertThat(Werkdagen.plus(LocalDate.of(2026, 3, 14), 0)).isEqualTo(LocalDate.of(2026, 3, 14));
    }

    @Test
    void aNegativeNumberOfWorkingDaysIsRefused() {
        assertThatThrownBy(() -> Werkdagen.plus(LocalDate.of(2026, 3, 14), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void tussenCountsTheWorkingDaysAfterTheFirstUpToAndIncludingTheSecond() {
        assertThat(Werkdagen.tussen(LocalDate.of(2026, 3, 13), LocalDate.of(2026, 3, 16)))
                .isEqualTo(1);
        assertThat(Werkdagen.tussen(LocalDate.of(2026, 4, 3), LocalDate.of(2026, 4, 9)))
                .isEqualTo(3);
        assertThat(Werkdagen.tussen(LocalDate.of(2026, 3, 16), LocalDate.of(2026, 3, 16)))
                .isZero();
    }

    @Test
    void tussenIsNegativeWhenTheSecondDateComesFirst() {
        assertThat(Werkdagen.tussen(LocalDate.of(2026, 4, 9), LocalDate.of(2026, 4, 3)))
                .isEqualTo(-3);
    }

    @Test
    void tussenUndoesPlusForEveryStartDayOfAYear() {
        for (LocalDate dag = LocalDate.of(2025, 1, 1); dag.getYear() == 2025; dag = dag.plusDays(1)) {
            for (int n : new int[] {1, 3, 5, 10}) {
                assertThat(Werkdagen.tussen(dag, Werkdagen.plus(dag, n)))
                        .as("from %s plus %d", dag, n)
                        .isEqualTo(n);
            }
        }
    }
}
