package org.sstorchestrator.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The few statistics the benchmark reports: median, range and a straight-line fit. */
final class Stats {

    private Stats() {
    }

    /** The median of the non-null values, or null if there are none. */
    static Double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values.stream().filter(Objects::nonNull).toList());
        if (s.isEmpty()) {
            return null;
        }
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** seconds = fixed + perGb × GB, fitted by least squares. */
    record Fit(double fixedSeconds, double secondsPerGb) {

        /**
         * End-to-end throughput the slope means: MB moved per second of the size-dependent part;
         * null when the slope is not positive, as when sizes too small to matter drown in noise.
         */
        Double megabytesPerSecond() {
            return secondsPerGb > 0 ? 1024 / secondsPerGb : null;
        }

        /** Empty unless the points span at least two sizes: one size fixes no slope. */
        static Optional<Fit> of(List<double[]> gbAndSeconds) {
            int n = gbAndSeconds.size();
            if (n < 2) {
                return Optional.empty();
            }
            double sx = 0;
            double sy = 0;
            for (double[] p : gbAndSeconds) {
                sx += p[0];
                sy += p[1];
            }
            double mx = sx / n;
            double my = sy / n;
            double sxx = 0;
            double sxy = 0;
            for (double[] p : gbAndSeconds) {
                sxx += (p[0] - mx) * (p[0] - mx);
                sxy += (p[0] - mx) * (p[1] - my);
            }
            if (sxx < 1e-12) {
                return Optional.empty();
            }
            double slope = sxy / sxx;
            return Optional.of(new Fit(my - slope * mx, slope));
        }
    }
}
