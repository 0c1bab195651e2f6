package nl.wmogateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** docs/limits.md lists every intake limit with the default the code has. */
class LimitsDocumentationTest {

    private static final Pattern ROW =
            Pattern.compile("^\\| `wmo\\.intake\\.([a-z-]+)` \\| `([^`]*)` \\|", Pattern.MULTILINE);

    @Test
    void everyIntakeSettingIsDocumentedWithItsDefault() throws Exception {
        Map<String, String> documented = documented();
        IntakeLimits defaults = IntakeLimits.defaults();

        for (RecordComponent component : IntakeLimits.class.getRecordComponents()) {
            String setting = kebab(component.getName());
            assertThat(documented)
                    .as("docs/limits.md row for wmo.intake." + setting)
                    .containsKey(setting);
            assertThat(documented.get(setting))
                    .as("default of wmo.intake." + setting)
                    .isEqualTo(format(component.getAccessor().invoke(defaults)));
        }
    }

    private static Map<String, String> documented() throws IOException {
        Map<String, String> rows = new HashMap<>();
        Matcher m = ROW.matcher(Files.readString(Path.of("docs/limits.md")));
        while (m.find()) {
            rows.put(m.group(1), m.group(2));
        }
        return rows;
    }

    private static String format(Object value) {
        if (value instanceof DataSize size) {
            return size.toBytes() % (1024 * 1024) == 0 ? size.toMegabytes() + "MB" : size.toKilobytes() + "KB";
        }
        if (value instanceof Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        if (value instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
