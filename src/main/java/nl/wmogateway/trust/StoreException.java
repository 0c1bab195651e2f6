package nl.wmogateway.trust;

import java.nio.file.Path;

/** A key- or truststore that cannot be used, with the file it concerns; the message never holds a password. */
public final class StoreException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    StoreException(Path path, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** The store file the problem is in. */
    public Path path() {
        return path;
    }
}
