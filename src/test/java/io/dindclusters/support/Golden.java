package io.dindclusters.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reviewed golden files under src/test/resources/golden, read from the source tree (not from a copy on the class
 * path that an update leaves stale). With {@code -Dgolden.update=true} each file is rewritten and the test fails
 * anyway, saying so: an update run never passes, so a passing run is always a comparison. Review the diff, then run
 * again without the flag.
 */
public final class Golden {

    static final String UPDATE = "golden.update";
    static final Path ROOT = Path.of("src", "test", "resources", "golden");

    private Golden() {
    }

    /** Asserts that {@code actual} is the golden file {@code name} (a path under golden/). */
    public static void assertMatches(String name, String actual) {
        assertMatches(ROOT.resolve(name), actual, UPDATE);
    }

    /**
     * Asserts that {@code actual} is the content of {@code file}; with the system property {@code updateFlag} set,
     * writes it there first and fails.
     */
    public static void assertMatches(Path file, String actual, String updateFlag) {
        try {
            if (Boolean.getBoolean(updateFlag)) {
                boolean changed = !Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(actual);
                if (changed) {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, actual, StandardCharsets.UTF_8);
                }
                throw new AssertionError("-D" + updateFlag + ": " + file + (changed ? " rewritten" : " unchanged")
                        + "; review the diff and run again without the flag to compare");
            }
            assertThat(Files.exists(file)).as(file + " exists (write it with -D" + updateFlag + "=true)").isTrue();
            assertThat(actual).as("%s differs; if the change is intended, rerun with -D%s=true, review the diff and "
                    + "commit it", file, updateFlag).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
