package io.dindclusters.preflight;

import io.dindclusters.docker.DockerEngine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the checks judge: what the engine says of its host, whether it runs privileged containers, and the key=value
 * lines the probe container printed ({@link HostProbe#SCRIPT}); a value the probe could not read is "missing".
 */
record HostFacts(DockerEngine.EngineInfo engine, boolean privilegedAllowed, Map<String, String> probe) {

    static Map<String, String> parse(String probeOutput) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : probeOutput.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    String value(String key) {
        return probe.getOrDefault(key, "missing");
    }

    /** A number the probe read, or -1 when it could not. */
    long number(String key) {
        try {
            return Long.parseLong(value(key));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    boolean yes(String key) {
        return "yes".equals(value(key));
    }
}
