package nl.wmogateway.pki;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The validity period of a certificate, both ends inclusive, at whole-second precision (the
 * precision X.509 stores).
 *
 * @param notBefore the first instant the certificate is valid
 * @param notAfter  the last instant the certificate is valid
 */
public record Validity(Instant notBefore, Instant notAfter) {

    public Validity {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
        notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
        if (!notBefore.isBefore(notAfter)) {
            throw new IllegalArgumentException("notBefore " + notBefore + " must be before notAfter " + notAfter);
        }
    }

    /** From 00:00:00 UTC on {@code firstDay} up to and including 23:59:59 UTC on {@code lastDay}. */
    public static Validity between(LocalDate firstDay, LocalDate lastDay) {
        return new Validity(
                firstDay.atStartOfDay().toInstant(ZoneOffset.UTC),
                lastDay.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusSeconds(1));
    }

    /** Whether {@code instant} lies within this period. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(notBefore) && !instant.isAfter(notAfter);
    }
}
