package io.loyalty.clv.model;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Micro-benchmark of the CLV models (not a test; run by hand):
 * <pre>
 *   ./mvnw -q -o -pl clv-service test-compile exec:java \
 *       -Dexec.mainClass=io.loyalty.clv.model.ClvModelBenchmark -Dexec.classpathScope=test
 * </pre>
 * (or, where the exec plugin is not cached: build the test classpath with dependency:build-classpath and run
 * java -cp target/test-classes:target/classes:... io.loyalty.clv.model.ClvModelBenchmark).
 * Optional argument: number of simulated customers for the scoring part (default 1,000,000).
 * Measures fit time on the CDNOW rows and on simulated distinct rows, and the per-customer cost of
 * P(alive), E[Y(t)] and the 12-month discounted CLV. Prints a Markdown table.
 */
public final class ClvModelBenchmark {

    private ClvModelBenchmark() {}

    public static void main(String[] args) {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        System.out.println("## Machine");
        System.out.println("- processors: " + Runtime.getRuntime().availableProcessors()
                + ", max heap: " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        System.out.println("- java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        System.out.println("- os: " + ManagementFactory.getOperatingSystemMXBean().getName() + " "
                + ManagementFactory.getOperatingSystemMXBean().getArch()
                + ", load average at start: " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println();

        CdnowData.Summaries cdnow = CdnowData.summaryCsv();
        CdnowData.Summaries rep = CdnowData.fromTransactions().repeaters();
        System.out.println("| measurement | rows | time |");
        System.out.println("|---|---|---|");
        double bgCdnow = medianMillis(15, () -> BgNbdModel.fit(cdnow.x(), cdnow.tx(), cdnow.T(), cdnow.weight()));
        row("BG/NBD fit, CDNOW", cdnow.size(), ms(bgCdnow));
        double ggCdnow = medianMillis(15, () -> GammaGammaModel.fit(rep.x(), rep.zbar(), rep.weight()));
        row("Gamma-Gamma fit, CDNOW repeaters", rep.size(), ms(ggCdnow));

        BgNbdParameters truth = new BgNbdParameters(0.75, 20, 0.5, 5, 0);
        for (int n : new int[] {100_000, 200_000}) {
            Simulation.Data d = Simulation.bgNbd(truth, n, 730, 11);
            double t = medianMillis(3, () -> BgNbdModel.fit(d.x(), d.tx(), d.T(), d.weight()));
            row("BG/NBD fit, simulated distinct rows (continuous time)", n, ms(t));
            double[][] g = repeaters(d);
            double tg = medianMillis(3, () -> GammaGammaModel.fit(g[0], g[1], g[2]));
            row("Gamma-Gamma fit, simulated repeaters", g[0].length, ms(tg));
        }

        // a scoring run's view: customers summarised in whole days, identical summaries compressed
        Simulation.Data sim = Simulation.bgNbd(truth, customers, 730, 23);
        for (int i = 0; i < customers; i++) {
            sim.T()[i] = Math.ceil(sim.T()[i]);
            sim.tx()[i] = Math.min(sim.T()[i], Math.ceil(sim.tx()[i]));
        }
        long c0 = System.nanoTime();
        double[][] comp = compress(sim);
        long c1 = System.nanoTime();
        System.out.printf("| compress %,d day-grained summaries (boxed HashMap, test code only) | %,d | %.0f ms wall |%n",
                customers, comp[0].length, (c1 - c0) / 1e6);
        System.gc(); // the boxed map above is garbage now; do not bill its collection to the fit
        BgNbdParameters[] holder = new BgNbdParameters[1];
        double tc = medianMillis(3, () -> holder[0] = BgNbdModel.fit(comp[0], comp[1], comp[2], comp[3]));
        row("BG/NBD fit on those distinct rows", comp[0].length, ms(tc));
        BgNbdParameters p = holder[0];
        double[][] g = repeaters(sim);
        GammaGammaParameters[] gh = new GammaGammaParameters[1];
        double tgg = medianMillis(3, () -> gh[0] = GammaGammaModel.fit(g[0], g[1], g[2]));
        row("Gamma-Gamma fit on the repeaters (uncompressed)", g[0].length, ms(tgg));
        GammaGammaParameters gg = gh[0];

        BgNbdModel model = BgNbdModel.of(p);
        CustomerValue clv = CustomerValue.of(model, 12, 0.01, 365.25 / 12);
        double[] x = sim.x();
        double[] tx = sim.tx();
        double[] bigT = sim.T();
        double[] z = sim.zbar();
        double[] sink = new double[1];
        Runnable alive = () -> {
            double s = 0;
            for (int i = 0; i < customers; i++) {
                s += model.probabilityAlive(x[i], tx[i], bigT[i]);
            }
            sink[0] += s;
        };
        Runnable expected = () -> {
            double s = 0;
            for (int i = 0; i < customers; i++) {
                s += model.expectedPurchases(x[i], tx[i], bigT[i], 365.25);
            }
            sink[0] += s;
        };
        Runnable value = () -> {
            double s = 0;
            for (int i = 0; i < customers; i++) {
                double eav = GammaGammaModel.expectedAverageValue(gg, x[i], z[i]);
                s += clv.discountedClv(x[i], tx[i], bigT[i], eav);
            }
            sink[0] += s;
        };
        row("P(alive), 1 thread", customers, perCustomer(medianMillis(3, alive), customers));
        row("E[Y(365.25 days)], 1 thread", customers, perCustomer(medianMillis(3, expected), customers));
        row("E[Z] + 12-month discounted CLV (12 month ends), 1 thread", customers,
                perCustomer(medianMillis(3, value), customers));
        Runnable oneScore = () -> {
            double[] out = new double[3];
            double s = 0;
            for (int i = 0; i < customers; i++) {
                clv.score(x[i], tx[i], bigT[i], GammaGammaModel.expectedAverageValue(gg, x[i], z[i]), out);
                s += out[0] + out[1] + out[2];
            }
            sink[0] += s;
        };
        row("CustomerValue.score (P(alive), E[Y(12 months)], E[Z], CLV in one pass), 1 thread", customers,
                perCustomer(medianMillis(3, oneScore), customers));
        int threads = Runtime.getRuntime().availableProcessors();
        ForkJoinPool pool = new ForkJoinPool(threads);
        double tAll = medianMillis(3, () -> pool.submit(() -> IntStream.range(0, customers).parallel().forEach(i -> {
            double[] out = new double[3];
            clv.score(x[i], tx[i], bigT[i], GammaGammaModel.expectedAverageValue(gg, x[i], z[i]), out);
            if (out[0] < 0 || out[1] < 0 || out[2] < 0) {
                throw new IllegalStateException();
            }
        })).join());
        pool.shutdown();
        System.out.printf("| CustomerValue.score, %d threads | %,d | %.0f ms wall, %.0f ms CPU |%n", threads,
                customers, tAll, lastCpuMillis);
        System.out.println();
        System.out.println("load average at end: " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("fitted on the simulated data: " + p + ", " + gg + " (checksum " + sink[0] + ")");
    }

    private static double[][] repeaters(Simulation.Data d) {
        int n = 0;
        for (double v : d.x()) {
            n += v > 0 && Double.isFinite(v) ? 1 : 0;
        }
        double[][] out = new double[3][n];
        int k = 0;
        for (int i = 0; i < d.x().length; i++) {
            if (d.x()[i] > 0) {
                out[0][k] = d.x()[i];
                out[1][k] = d.zbar()[i];
                out[2][k++] = 1;
            }
        }
        return out;
    }

    private static double[][] compress(Simulation.Data d) {
        Map<List<Double>, double[]> m = new HashMap<>();
        for (int i = 0; i < d.x().length; i++) {
            double txi = d.x()[i] > 0 ? d.tx()[i] : 0;
            m.computeIfAbsent(List.of(d.x()[i], txi, d.T()[i]), k -> new double[1])[0]++; // boxing: slow, test only
        }
        double[][] out = new double[4][m.size()];
        int k = 0;
        for (Map.Entry<List<Double>, double[]> e : m.entrySet()) {
            out[0][k] = e.getKey().get(0);
            out[1][k] = e.getKey().get(1);
            out[2][k] = e.getKey().get(2);
            out[3][k++] = e.getValue()[0];
        }
        return out;
    }

    /**
     * Median wall time of the runs, in ms; the median CPU time of the whole process (all threads: the fit's
     * parallel chunks, GC) goes to lastCpuMillis. Other work on a shared machine inflates wall time, not CPU.
     */
    private static double medianMillis(int runs, Runnable r) {
        com.sun.management.OperatingSystemMXBean mx =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        r.run(); // warm-up
        double[] t = new double[runs];
        double[] cpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            long c = mx.getProcessCpuTime();
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e6;
            cpu[i] = (mx.getProcessCpuTime() - c) / 1e6;
        }
        Arrays.sort(t);
        Arrays.sort(cpu);
        lastCpuMillis = cpu[runs / 2];
        return t[runs / 2];
    }

    private static double lastCpuMillis;

    private static void row(String what, int rows, String time) {
        System.out.printf("| %s | %,d | %s |%n", what, rows, time);
    }

    private static String ms(double millis) {
        return String.format("%.1f ms wall (%.1f ms CPU)", millis, lastCpuMillis);
    }

    private static String perCustomer(double millis, int n) {
        return String.format("%.0f ms wall, %.0f ms CPU = %.0f ns CPU/customer", millis, lastCpuMillis,
                lastCpuMillis * 1e6 / n);
    }
}
