package nl.wmogateway.iwmo;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dutch working days, for the iWmo deadlines: a WMO301 or WMO319 within 5 werkdagen after the
 * WMO315/WMO317, every retour within 3 werkdagen (OP090). The deadline for something received on
 * day {@code d} is {@code plus(d, n)}: the day of receipt itself never counts.
 *
 * <p>A werkdag is Monday to Friday except the algemeen erkende feestdagen of the Algemene
 * termijnenwet (art. 3), which the law uses for every statutory period:
 * <ul>
 *   <li>Nieuwjaarsdag (1 January);</li>
 *   <li>Tweede Paasdag (Easter Monday), with Easter by the anonymous Gregorian algorithm;</li>
 *   <li>Koningsdag: 27 April, or 26 April when the 27th is a Sunday (from 2014; before that
 *       Koninginnedag, 30 April, or 29 April when the 30th is a Sunday);</li>
 *   <li>the fifth of May (Bevrijdingsdag), every year: the Act names it without exception, even
 *       though many collective agreements give it off only in lustrum years;</li>
 *   <li>Hemelvaartsdag (Easter + 39 days) and Tweede Pinksterdag (Easter + 50 days);</li>
 *   <li>Eerste and Tweede Kerstdag (25 and 26 December).</li>
 * </ul>
 * Goede Vrijdag is not among them (government offices and most gemeenten work). Eerste Paasdag
 * and Eerste Pinksterdag fall on a Sunday anyway. The iWmo standard itself does not define
 * werkdagen; the Act is what a gemeente's own deadlines follow. When a partner agreement counts
 * more days off (Goede Vrijdag), a deadline computed here can be one working day earlier than
 * the partner's: safe for the gateway's own deadlines, but check the agreement before calling a
 * partner's message late.
 */
public final class Werkdagen {

    private static final MonthDay NIEUWJAARSDAG = MonthDay.of(1, 1);
    private static final MonthDay BEVRIJDINGSDAG = MonthDay.of(5, 5);
    private static final MonthDay EERSTE_KERSTDAG = MonthDay.of(12, 25);
    private static final MonthDay TWEEDE_KERSTDAG = MonthDay.of(12, 26);
    private static final int EERSTE_KONINGSDAG = 2014;

    private static final Map<Integer, NavigableSet<LocalDate>> FEESTDAGEN = new ConcurrentHashMap<>();

    private Werkdagen() {}

    /** Whether {@code dag} is a Dutch working day: Monday to Friday and not a national holiday. */
    public static boolean isWerkdag(LocalDate dag) {
        Objects.requireNonNull(dag, "dag");
        DayOfWeek dow = dag.getDayOfWeek();
        return dow != DayOfWeek.SATURDAY
                && dow != DayOfWeek.SUNDAY
                && !feestdagen(dag.getYear()).contains(dag);
    }

    /**
     * The {@code werkdagen}-th working day after {@code from}; {@code from} itself never counts,
     * and {@code plus(from, 0)} is {@code from}. A retour on a message received on Friday
     * 3 April 2026 is due {@code plus(2026-04-03, 3)} = Thursday 9 April (Easter Monday is off).
     *
     * @throws IllegalArgumentException when {@code werkdagen} is negative
     */
    public static LocalDate plus(LocalDate from, int werkdagen) {
        Objects.requireNonNull(from, "from");
        if (werkdagen < 0) {
            throw new IllegalArgumentException("werkdagen " + werkdagen + " must not be negative");
        }
        LocalDate dag = from;
        int geteld = 0;
        while (geteld < werkdagen) {
            dag = dag.plusDays(1);
            if (isWerkdag(dag)) {
                geteld++;
            }
        }
        return dag;
    }

    /**
     * The number of working days after {@code a} up to and including {@code b}; negative when
     * {@code b} lies before {@code a}. For a working day {@code b}, {@code plus(a, tussen(a, b))}
     * is {@code b}: a retour received on day {@code b} for a message of day {@code a} is late when
     * {@code tussen(a, b) > 3}.
     */
    public static int tussen(LocalDate a, LocalDate b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (b.isBefore(a)) {
            return -tussen(b, a);
        }
        int aantal = 0;
        for (LocalDate dag = a.plusDays(1); !dag.isAfter(b); dag = dag.plusDays(1)) {
            if (isWerkdag(dag)) {
                aantal++;
            }
        }
        return aantal;
    }

    /** The national holidays of {@code jaar} that this class treats as days off, in date order. */
    public static NavigableSet<LocalDate> feestdagen(int jaar) {
        return FEESTDAGEN.computeIfAbsent(jaar, Werkdagen::bereken);
    }

    /** Easter Sunday, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
    static LocalDate eerstePaasdag(int jaar) {
        int a = jaar % 19;
        int b = jaar / 100;
        int c = jaar % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int maand = (h + l - 7 * m + 114) / 31;
        int dag = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(jaar, maand, dag);
    }

    private static NavigableSet<LocalDate> bereken(int jaar) {
        TreeSet<LocalDate> dagen = new TreeSet<>();
        LocalDate pasen = eerstePaasdag(jaar);
        dagen.add(NIEUWJAARSDAG.atYear(jaar));
        dagen.add(pasen.plusDays(1));
        dagen.add(koningsdag(jaar));
        dagen.add(BEVRIJDINGSDAG.atYear(jaar));
        dagen.add(pasen.plusDays(39));
        dagen.add(pasen.plusDays(50));
        dagen.add(EERSTE_KERSTDAG.atYear(jaar));
        dagen.add(TWEEDE_KERSTDAG.atYear(jaar));
        return Collections.unmodifiableNavigableSet(dagen);
    }

    private static LocalDate koningsdag(int jaar) {
        LocalDate dag = jaar >= EERSTE_KONINGSDAG ? LocalDate.of(jaar, 4, 27) : LocalDate.of(jaar, 4, 30);
        return dag.getDayOfWeek() == DayOfWeek.SUNDAY ? dag.minusDays(1) : dag;
    }
}
