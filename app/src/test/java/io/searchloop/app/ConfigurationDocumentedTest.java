package io.searchloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's configuration table and the variables the services read are the same set: a setting
 * nobody documents, or a documented one nobody reads (renamed, misspelt), fails here.
 */
class ConfigurationDocumentedTest {
    /** Read by the launcher scripts and the runtime, not by a service's configuration record. */
    private static final Set<String> OUTSIDE_THE_RECORDS =
            Set.of("PG_BIN", "SEARCHLOOP_CACHE_DIR", "DJL_OFFLINE", "JAVA_OPTS");

    private static final Pattern KEY = Pattern.compile("`(_?[A-Z][A-Z0-9_]*)(\\*?)`");

    @Test
    void shouldDocumentExactlyTheVariablesTheServicesRead() throws IOException {
        Set<String> documented = documented();
        documented.removeAll(OUTSIDE_THE_RECORDS);

        assertThat(documented).as("documented in README").isEqualTo(ServiceKeys.all());
    }

    /**
     * The first column of README's table under "## Configuration"; {@code `_SUFFIX`} continues the
     * row's first key ({@code `PAIR_WEIGHT_CLICK`, `_ADD_TO_CART`}); a wildcard key is skipped.
     */
    private static Set<String> documented() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Configuration");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Set<String> keys = new TreeSet<>();
        for (String line : section.lines().toList()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher m = KEY.matcher(line.split("\\|", -1)[1]);
            String first = null;
            while (m.find()) {
                if (!m.group(2).isEmpty()) {
                    continue;
                }
                String key = m.group(1);
                if (key.startsWith("_")) {
                    key = first.substring(0, first.lastIndexOf('_')) + key;
                } else if (first == null) {
                    first = key;
                }
                keys.add(key);
            }
        }
        return keys;
    }
}
