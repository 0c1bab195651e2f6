package nl.wmogateway.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import nl.wmogateway.config.WmoProperties;
import nl.wmogateway.store.Sealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The keys of encryption at rest, from {@code wmo.storage.keys} or {@code wmo.storage.keys-file}. */
@Configuration
class StorageConfig {

    private static final Logger log = LoggerFactory.getLogger(StorageConfig.class);

    /** The example keys of the demo profile (application-demo.yaml): refused anywhere else. */
    static final java.util.Set<String> EXAMPLE_KEYS = java.util.Set.of(
            "N8ZYF5P0IcXsgI1M6hCgQXroMoNfUV6Fcg9KucTvX7E=", "AhgE1Cl9TwDy6UrBL7fd964HB0cq4kb6qjup/oLWArk=");

    @Bean
    Sealer sealer(WmoProperties props, ObjectProvider<ProductionGuard> guard) {
        // the start-up guard lists every unsafe setting at once, this one included, before a key is read
        guard.ifAvailable(g -> {});
        Sealer sealer = Sealer.parse(
                keyList(props.storage()), Optional.of(props.storage().currentKey()));
        log.info("stored client data is sealed with storage key '{}'", sealer.currentKeyId());
        return sealer;
    }

    /** The key list as configured: the property, else the file; empty when neither is set. */
    static String keyList(WmoProperties.Storage storage) {
        if (!storage.keys().isBlank()) {
            return storage.keys();
        }
        if (storage.keysFile().isBlank()) {
            return "";
        }
        Path file = Path.of(storage.keysFile());
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the storage keys file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
