package io.loyalty.clv.model;

import java.util.Arrays;

import org.hipparchus.linear.EigenDecompositionSymmetric;

/**
 * Gauss quadrature for expectations over p ~ Beta(a, b) (Gauss-Jacobi moved to [0, 1]): nodes and weights by
 * Golub-Welsch from the closed-form recurrence coefficients of the Jacobi polynomials. It suits the BG/NBD
 * expectation E_p[(1 - (1 + p s)^-k) / p] when the Beta mass sits away from p = 0 (large a): there the
 * hypergeometric series needs ~(a-1) z / (1-z) terms and its partial sums overflow, while a handful of nodes
 * is exact to rounding (one node, at the mean, in the limit of vanishing dropout heterogeneity).
 */
final class GaussJacobiRule {

    /** Relative error allowed on E[1/p]; the expectations it stands for then stay below ~1e-12. */
    static final double TOLERANCE = 1e-12;
    /** Beyond this the Beta is too spread for Gauss-Jacobi to beat the other methods. */
    static final int MAX_NODES = 64;
    static final GaussJacobiRule UNAVAILABLE = new GaussJacobiRule(new double[0], new double[0]);

    private final double[] nodes;
    private final double[] weights;

    private GaussJacobiRule(double[] nodes, double[] weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    /**
     * The smallest rule for Beta(a, b) that integrates 1/p to {@link #TOLERANCE}, or {@link #UNAVAILABLE}
     * when none with at most {@link #MAX_NODES} nodes does (or a &lt;= 1, where E[1/p] is infinite).
     * (1 - (1 + p s)^-k) / p increases to 1/p as s grows, and the quadrature error does too (checked against
     * 40-digit references while building this), so E[1/p] = (a+b-1)/(a-1), known exactly, is the hardest case.
     */
    static GaussJacobiRule forBeta(double a, double b) {
        if (!(a > 1)) {
            return UNAVAILABLE;
        }
        double[] diagonal = new double[MAX_NODES];
        double[] offDiagonalSquared = new double[MAX_NODES];
        recurrence(a, b, diagonal, offDiagonalSquared);
        int n = nodesForInversePower(diagonal, offDiagonalSquared, 1 + b / (a - 1));
        if (n == 0) {
            return UNAVAILABLE;
        }
        double[] secondary = new double[n - 1];
        for (int j = 1; j < n; j++) {
            secondary[j - 1] = Math.sqrt(offDiagonalSquared[j]);
        }
        double[] main = Arrays.copyOf(diagonal, n);
        EigenDecompositionSymmetric eigen = new EigenDecompositionSymmetric(main, secondary);
        double[] nodes = new double[n];
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = eigen.getEigenvalue(i);
            double first = eigen.getEigenvector(i).getEntry(0);
            weights[i] = first * first;
            if (!(nodes[i] > 0 && nodes[i] < 1)) {
                return UNAVAILABLE;
            }
        }
        return new GaussJacobiRule(nodes, weights);
    }

    /**
     * Recurrence coefficients of the monic orthogonal polynomials for Beta(a, b) on [0, 1],
     * p pi_j = pi_(j+1) + diagonal[j] pi_j + offDiagonalSquared[j] pi_(j-1), written so that every factor is
     * positive (no cancellation when the mean a/(a+b) is tiny or close to 1).
     */
    private static void recurrence(double a, double b, double[] diagonal, double[] offDiagonalSquared) {
        double ab = a + b;
        diagonal[0] = a / ab;
        for (int j = 1; j < diagonal.length; j++) {
            diagonal[j] = ((j + a) * (j + ab - 2) + j * (j + b)) / ((2 * j + ab - 2) * (2 * j + ab));
        }
        // j = 1 is the variance; the general form has (a+b-1)/(a+b-1) there
        offDiagonalSquared[1] = a * b / (ab * ab * (ab + 1));
        for (int j = 2; j < offDiagonalSquared.length; j++) {
            double m = 2 * j + ab - 2;
            offDiagonalSquared[j] = j * (j + b - 1) * (j + a - 1) * (j + ab - 2) / (m * m * (m + 1) * (m - 1));
        }
    }

    /**
     * Smallest n whose n-node rule gives E[1/p] to TOLERANCE, 0 if none up to the table's length. The n-node
     * Gauss sum of 1/(zeta - p) is the n-th convergent sigma_n / pi_n of the Jacobi continued fraction, so
     * all candidates come from one forward recurrence at zeta = 0 (rescaled: pi_n(0) under- or overflows).
     */
    private static int nodesForInversePower(double[] diagonal, double[] offDiagonalSquared, double exact) {
        double piPrevious = 0;
        double pi = 1;
        double sigmaPrevious = -1;
        double sigma = 0;
        for (int j = 0; j < diagonal.length; j++) {
            double beta = j == 0 ? 1 : offDiagonalSquared[j];
            double piNext = -diagonal[j] * pi - beta * piPrevious;
            double sigmaNext = -diagonal[j] * sigma - beta * sigmaPrevious;
            double scale = 1 / Math.abs(piNext);
            piPrevious = pi * scale;
            sigmaPrevious = sigma * scale;
            pi = piNext * scale;
            sigma = sigmaNext * scale;
            if (Math.abs(-sigma / pi - exact) <= TOLERANCE * exact) {
                return j + 1;
            }
        }
        return 0;
    }

    boolean usable() {
        return nodes.length > 0;
    }

    int size() {
        return nodes.length;
    }

    double node(int i) {
        return nodes[i];
    }

    double weight(int i) {
        return weights[i];
    }

    /** E_p[(1 - (1 + p s)^-k) / p]: BG/NBD expected purchases in s = t/(alpha+T) when alive, k = r + x. */
    double expectedPurchasesIfAlive(double k, double s) {
        double sum = 0;
        for (int i = 0; i < nodes.length; i++) {
            sum += weights[i] * BetaIntegral.purchasesGivenDropout(nodes[i], k, s);
        }
        return sum;
    }
}
