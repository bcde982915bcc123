package io.dindclusters.support;

/** Reading the Prometheus text exposition, as a scraper does. */
public final class Prometheus {

    private Prometheus() {
    }

    /** The sum of the samples of {@code metric} whose labels include every one of {@code labels}; 0 when none. */
    public static double sample(String exposition, String metric, String... labels) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if ((line.startsWith(metric + "{") || line.startsWith(metric + " ")) && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
