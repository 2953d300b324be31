package io.loyalty.clv.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws customer summaries from the BG/NBD and Gamma-Gamma processes (tests and the benchmark). */
final class Simulation {

    record Data(double[] x, double[] tx, double[] T, double[] zbar, double[] weight) {}

    private Simulation() {}

    /**
     * n customers, each with its own acquisition so that T is uniform on (0, maxT]: lambda ~ Gamma(r, alpha),
     * p ~ Beta(a, b), Poisson purchases at rate lambda, dropout with probability p after each repeat
     * purchase; spend per purchase ~ Gamma(6, nu), nu ~ Gamma(4, 15) (the p, q, v).
     */
    static Data bgNbd(BgNbdParameters par, int n, double maxT, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] tx = new double[n];
        double[] bigT = new double[n];
        double[] zbar = new double[n];
        for (int i = 0; i < n; i++) {
            double lambda = gamma(rnd, par.r()) / par.alpha();
            double p = beta(rnd, par.a(), par.b());
            double nu = gamma(rnd, 4) / 15;
            double T = maxT * (1 - rnd.nextDouble());
            double t = 0;
            int count = 0;
            double last = 0;
            double spend = 0;
            while (true) {
                t += -Math.log(1 - rnd.nextDouble()) / lambda;
                if (t > T) {
                    break;
                }
                count++;
                last = t;
                spend += gamma(rnd, 6) / nu;
                if (rnd.nextDouble() < p) {
                    break;
                }
            }
            x[i] = count;
            tx[i] = last;
            bigT[i] = T;
            zbar[i] = count > 0 ? spend / count : 0;
        }
        double[] w = new double[n];
        Arrays.fill(w, 1);
        return new Data(x, tx, bigT, zbar, w);
    }

    /** Marsaglia-Tsang, with the u^(1/k) boost for shape k &lt; 1; unit scale. */
    static double gamma(SplittableRandom rnd, double k) {
        if (k < 1) {
            return gamma(rnd, k + 1) * Math.pow(1 - rnd.nextDouble(), 1 / k);
        }
        double d = k - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z;
            double v;
            do {
                z = normal(rnd);
                v = 1 + c * z;
            } while (v <= 0);
            v = v * v * v;
            double u = 1 - rnd.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    static double beta(SplittableRandom rnd, double a, double b) {
        double g1 = gamma(rnd, a);
        double g2 = gamma(rnd, b);
        return g1 / (g1 + g2);
    }

    private static double normal(SplittableRandom rnd) {
        double u1 = 1 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
