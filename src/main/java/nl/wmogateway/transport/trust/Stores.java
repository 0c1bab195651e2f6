package nl.wmogateway.transport.trust;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;

/** Opens PKCS#12 files with messages that name the file and never the password. */
final class Stores {

    private Stores() {
    }

    static KeyStore load(Path path, char[] password, String kind) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(kind + " " + path.toAbsolutePath() + " does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalStateException(kind + " " + path + " could not be opened: wrong password", e);
            }
            throw new IllegalStateException(kind + " " + path + " could not be read as PKCS#12: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(kind + " " + path + " could not be read as PKCS#12: " + e.getMessage(), e);
        }
    }
}
