package io.sightline.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles of measured values, by nearest rank: always one of the values measured, never an interpolation. */
final class Percentiles {

    private Percentiles() {}

    /** The {@code p} (0-1) percentile of {@code values}; 0 for no values. */
    static double nearestRank(List<Double> values, double p) {
        return nearestRank(values.stream().mapToDouble(Double::doubleValue).toArray(), p);
    }

    /** The {@code p} (0-1) percentile of {@code values}; 0 for no values. */
    static double nearestRank(double[] values, double p) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
