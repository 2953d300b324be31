package io.loyalty.clv.model;

/**
 * Discounted customer lifetime value from a BG/NBD purchase model and an expected average value per
 * purchase (Gamma-Gamma): the expected purchases falling in each month m of the horizon, times the
 * expected value, discounted by (1 + monthlyDiscountRate)^m.
 */
public final class CustomerValue {

    private final BgNbdModel model;
    private final double[] monthEnds;
    private final double[] discount;
    /** Per-thread series accumulators, so that scoring calls allocate nothing and instances can be shared. */
    private final ThreadLocal<double[][]> scratch;

    private CustomerValue(BgNbdModel model, int horizonMonths, double monthlyDiscountRate, double timeUnitsPerMonth) {
        checkSettings(horizonMonths, monthlyDiscountRate, timeUnitsPerMonth);
        this.model = model;
        this.monthEnds = new double[horizonMonths];
        this.discount = new double[horizonMonths];
        for (int m = 1; m <= horizonMonths; m++) {
            monthEnds[m - 1] = m * timeUnitsPerMonth;
            discount[m - 1] = Math.pow(1 + monthlyDiscountRate, -m);
        }
        this.scratch = ThreadLocal.withInitial(() -> new double[3][horizonMonths]);
    }

    /** A scoring instance with the month ends and discount factors precomputed; its calls allocate nothing. */
    public static CustomerValue of(BgNbdModel model, int horizonMonths, double monthlyDiscountRate,
                                   double timeUnitsPerMonth) {
        if (model == null) {
            throw new IllegalArgumentException("a BG/NBD model is required");
        }
        return new CustomerValue(model, horizonMonths, monthlyDiscountRate, timeUnitsPerMonth);
    }

    /**
     * Discounted expected value over horizonMonths: the expected purchases falling in each month m
     * (difference of the BG/NBD conditional expectation at month ends) times expectedAverageValue,
     * discounted by (1 + monthlyDiscountRate)^m; timeUnitsPerMonth converts months to model time
     * (365.25/12 for DAY, 365.25/12/7 for WEEK).
     */
    public static double discountedClv(BgNbdParameters p, double x, double tx, double T, double expectedAverageValue,
                                       int horizonMonths, double monthlyDiscountRate, double timeUnitsPerMonth) {
        return of(BgNbdModel.of(p), horizonMonths, monthlyDiscountRate, timeUnitsPerMonth)
                .discountedClv(x, tx, T, expectedAverageValue);
    }

    /** Same as the static form for the settings of this instance. */
    public double discountedClv(double x, double tx, double T, double expectedAverageValue) {
        if (!(expectedAverageValue >= 0) || !Double.isFinite(expectedAverageValue)) {
            throw new IllegalArgumentException("expectedAverageValue must be finite and >= 0, was "
                    + expectedAverageValue);
        }
        // P(alive) is common to every month: E[Y(t)] = P(alive) * E[Y(t) | alive]
        double pAlive = model.probabilityAlive(x, tx, T);
        if (pAlive == 0 || expectedAverageValue == 0) {
            return 0;
        }
        double[][] buffers = scratch.get();
        double sum = model.discountedIncrementsIfAlive(x, T, monthEnds, discount, buffers[0], buffers[1], buffers[2]);
        return pAlive * sum * expectedAverageValue;
    }

    /**
     * Everything a scoring run needs for one customer in one pass, into out (length &gt;= 3, reused by the
     * caller so nothing is allocated): out[0] = P(alive), out[1] = E[Y(horizon)], out[2] = discounted CLV.
     * Cheaper than the three separate calls, which would evaluate P(alive) three times and the horizon's
     * series twice.
     */
    public void score(double x, double tx, double T, double expectedAverageValue, double[] out) {
        if (!(expectedAverageValue >= 0) || !Double.isFinite(expectedAverageValue)) {
            throw new IllegalArgumentException("expectedAverageValue must be finite and >= 0, was "
                    + expectedAverageValue);
        }
        double pAlive = model.probabilityAlive(x, tx, T);
        out[0] = pAlive;
        if (pAlive == 0 || monthEnds.length == 0) {
            out[1] = 0;
            out[2] = 0;
            return;
        }
        double[][] buffers = scratch.get();
        double sum = model.discountedIncrementsIfAlive(x, T, monthEnds, discount, buffers[0], buffers[1], buffers[2]);
        out[1] = pAlive * buffers[2][monthEnds.length - 1];
        out[2] = pAlive * sum * expectedAverageValue;
    }

    /** Expected purchases over the whole horizon, E[Y(horizon)] (the same value the CLV sums). */
    public double expectedPurchasesOverHorizon(double x, double tx, double T) {
        if (monthEnds.length == 0) {
            return 0;
        }
        return model.expectedPurchases(x, tx, T, monthEnds[monthEnds.length - 1]);
    }

    private static void checkSettings(int horizonMonths, double monthlyDiscountRate, double timeUnitsPerMonth) {
        if (horizonMonths < 0) {
            throw new IllegalArgumentException("horizonMonths must be >= 0, was " + horizonMonths);
        }
        if (!(monthlyDiscountRate > -1) || !Double.isFinite(monthlyDiscountRate)) {
            throw new IllegalArgumentException("monthlyDiscountRate must be finite and > -1, was "
                    + monthlyDiscountRate);
        }
        if (!(timeUnitsPerMonth > 0) || !Double.isFinite(timeUnitsPerMonth)) {
            throw new IllegalArgumentException("timeUnitsPerMonth must be positive and finite, was "
                    + timeUnitsPerMonth);
        }
    }
}
