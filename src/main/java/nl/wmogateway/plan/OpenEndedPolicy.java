package nl.wmogateway.plan;

import java.time.LocalDate;
import java.time.Period;
import java.util.Locale;
import java.util.Optional;

/**
 * How a gemeente wants an open-ended product with a volume per week in its iWmo messages.
 * Passend beschikken grants long-running support without an end date, but the official iWmo rule
 * CD076 requires an end date (ToewijzingEinddatum in a WMO315, Einddatum in a WMO301) whenever
 * the Frequentie is 2, per week. Configured per gemeente in {@code routes/partners.yaml}
 * ({@code openEnded}); docs/configuration.md weighs the choices.
 *
 * <ul>
 *   <li>{@link Mode#END_DATE} (the default): a technical end date, the day before
 *       {@code ingangsdatum + horizon} (default 5 years), unless the gemeente or the plan gives an
 *       earlier one. The volume stays per week, as the nurse wrote it. The evaluation moment is not
 *       an end: it still travels in the plan JSON and to the EHR, and the WMO315's Commentaar says
 *       the end date is technical.</li>
 *   <li>{@link Mode#PER_MONTH}: the volume per week becomes a volume per month (Frequentie 4),
 *       rounded up: {@code ceil(volume * 52 / 12)}, so 180 minutes per week is 780 per month. No end
 *       date is needed; the care organisation can spread the hours over the month, and a month of
 *       four weeks has a little more per week than asked.</li>
 * </ul>
 *
 * @param mode    which of the two
 * @param horizon for {@link Mode#END_DATE}: how long after its start the technical end date lies
 */
public record OpenEndedPolicy(Mode mode, Period horizon) {

    /** The two ways to satisfy CD076 for an open-ended product per week. */
    public enum Mode {
        END_DATE,
        PER_MONTH
    }

    public static final Period DEFAULT_HORIZON = Period.ofYears(5);
    public static final OpenEndedPolicy DEFAULT = new OpenEndedPolicy(Mode.END_DATE, DEFAULT_HORIZON);
    private static final int WEEKS_PER_YEAR = 52;
    private static final int MONTHS_PER_YEAR = 12;

    public OpenEndedPolicy {
        mode = mode == null ? Mode.END_DATE : mode;
        horizon = horizon == null ? DEFAULT_HORIZON : horizon;
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException(
                    "openEnded.horizon must be a positive period such as P5Y, got " + horizon);
        }
    }

    /** From the configuration's words: {@code mode} END_DATE or PER_MONTH, {@code horizon} ISO-8601 (P5Y). */
    public static OpenEndedPolicy of(Optional<String> mode, Optional<String> horizon) {
        Mode m = mode.filter(s -> !s.isBlank())
                .map(s -> Mode.valueOf(s.strip().toUpperCase(Locale.ROOT).replace('-', '_')))
                .orElse(Mode.END_DATE);
        Period h = horizon.filter(s -> !s.isBlank())
                .map(s -> Period.parse(s.strip()))
                .orElse(DEFAULT_HORIZON);
        return new OpenEndedPolicy(m, h);
    }

    /** A product's volume and end date as written in iWmo. {@code technicalEnd}: the end date is the policy's, not a decision. */
    public record Written(Optional<Omvang> omvang, Optional<LocalDate> einddatum, boolean technicalEnd) {}

    /** What to write for a product that starts on {@code ingangsdatum} with this volume and end date. */
    public Written apply(Optional<Omvang> omvang, LocalDate ingangsdatum, Optional<LocalDate> einddatum) {
        boolean perWeek = omvang.map(o -> Omvang.FREQUENTIE_PER_WEEK.equals(o.frequentie()))
                .orElse(false);
        if (!perWeek || einddatum.isPresent()) {
            return new Written(omvang, einddatum, false);
        }
        if (mode == Mode.PER_MONTH) {
            Omvang week = omvang.get();
            long perMonth = ((long) week.volume() * WEEKS_PER_YEAR + MONTHS_PER_YEAR - 1) / MONTHS_PER_YEAR;
            return new Written(
                    Optional.of(new Omvang(
                            (int) Math.min(perMonth, Integer.MAX_VALUE), week.eenheid(), Omvang.FREQUENTIE_PER_MAAND)),
                    Optional.empty(),
                    false);
        }
        return new Written(omvang, Optional.of(ingangsdatum.plus(horizon).minusDays(1)), true);
    }
}
