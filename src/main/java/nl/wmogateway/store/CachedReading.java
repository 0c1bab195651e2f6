package nl.wmogateway.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * A value read from the database at most once per {@code fresh}, however often it is asked for
 * (a metrics scrape): the last reading serves until it is older, or the clock went back. While
 * the database cannot be reached the last value stays ({@code initial} before the first reading).
 */
public final class CachedReading<T> {

    private static final Logger log = LoggerFactory.getLogger(CachedReading.class);

    private final String what;
    private final Duration fresh;
    private final Clock clock;
    private final Supplier<T> read;
    private T value;
    private Optional<Instant> readAt = Optional.empty();

    public CachedReading(String what, Duration fresh, Clock clock, T initial, Supplier<T> read) {
        this.what = what;
        this.fresh = fresh;
        this.clock = clock;
        this.value = initial;
        this.read = read;
    }

    public synchronized T get() {
        Instant now = clock.instant();
        if (readAt.isEmpty()
                || now.isBefore(readAt.get())
                || !now.isBefore(readAt.get().plus(fresh))) {
            try {
                value = read.get();
            } catch (DataAccessException e) {
                log.debug("{} not read: {}", what, e.getClass().getSimpleName());
            }
            readAt = Optional.of(now);
        }
        return value;
    }
}
