package io.loyalty.clv.model;

import java.util.Arrays;

import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.exception.MathRuntimeException;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.DecompositionSolver;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.MaxIter;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Minimises a smooth objective of log-parameters (so positivity of the model parameters is automatic).
 * BFGS with analytic gradients and a backtracking line search does the work; when it does not reach a
 * stationary point (flat or badly scaled surfaces) Hipparchus' Nelder-Mead restarts the search and BFGS
 * polishes its result.
 */
final class LogSpaceMinimizer {

    /** Objective: returns f(theta) and writes its gradient; non-finite values mean "outside the domain". */
    interface Objective {
        double valueAndGradient(double[] theta, double[] gradient);
    }

    record Result(double[] theta, double value, double gradientNorm, int iterations, boolean converged) {}

    /** Bound on |log-parameter|: e^30 ~ 1e13 is far beyond any meaningful parameter of these models. */
    static final double THETA_BOUND = 30.0;
    private static final int MAX_ITERATIONS = 300;
    private static final double GRADIENT_TOLERANCE = 1e-9;

    private LogSpaceMinimizer() {}

    /**
     * @param maxEvaluations bound on objective evaluations over all stages; when it is reached the best
     *                       point seen so far is returned (degenerate data, e.g. parameters running off to
     *                       a boundary, must not turn a fit into minutes of work)
     */
    static Result minimize(Objective objective, double[][] starts, int maxEvaluations) {
        Budgeted budgeted = new Budgeted(objective, maxEvaluations);
        try {
            Result best = null;
            for (double[] start : starts) {
                Result r = bfgs(budgeted, start);
                if (!r.converged()) {
                    Result nm = bfgs(budgeted, nelderMead(budgeted, r.theta()));
                    if (nm.value() <= r.value()) {
                        r = nm;
                    }
                }
                if (best == null || r.value() < best.value()) {
                    best = r;
                }
                if (best.converged()) {
                    break;
                }
            }
            return newtonPolish(budgeted, best);
        } catch (BudgetExhausted e) {
            if (budgeted.bestTheta == null) {
                throw new IllegalArgumentException("the likelihood is not finite for these data");
            }
            return new Result(budgeted.bestTheta, budgeted.bestValue, Double.NaN, budgeted.count, false);
        }
    }

    /** Evaluation budget for a fit over the given rows: ~1.5e8 row evaluations (seconds), at least 1,500. */
    static int budgetFor(int rows) {
        return (int) Math.max(1_500, Math.min(20_000, 1.5e8 / Math.max(1, rows)));
    }

    private static final class BudgetExhausted extends RuntimeException {
        BudgetExhausted() {
            super(null, null, false, false);
        }
    }

    /** Counts evaluations and remembers the best finite point. */
    private static final class Budgeted implements Objective {
        final Objective inner;
        final int max;
        int count;
        double bestValue = Double.POSITIVE_INFINITY;
        double[] bestTheta;

        Budgeted(Objective inner, int max) {
            this.inner = inner;
            this.max = max;
        }

        @Override
        public double valueAndGradient(double[] theta, double[] gradient) {
            if (++count > max) {
                throw new BudgetExhausted();
            }
            double v = inner.valueAndGradient(theta, gradient);
            if (Double.isFinite(v) && (bestTheta == null || v < bestValue)) {
                bestValue = v;
                bestTheta = theta.clone();
            }
            return v;
        }
    }

    /**
     * BFGS stops on a small gradient, which on the long flat ridges of these likelihoods (p, q and v of
     * Gamma-Gamma move together) still leaves the parameters off in the sixth digit. A few Newton steps with
     * a Hessian from central differences of the analytic gradient finish the job; a step is kept only if
     * it lowers the gradient without raising the objective beyond rounding.
     */
    static Result newtonPolish(Objective objective, Result start) {
        int n = start.theta().length;
        double[] x = start.theta().clone();
        double[] g = new double[n];
        double f = objective.valueAndGradient(x, g);
        if (!Double.isFinite(f)) {
            return start;
        }
        double[] gp = new double[n];
        double[] gm = new double[n];
        double[] probe = new double[n];
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        for (int iter = 0; iter < 4; iter++) {
            double[][] hess = new double[n][n];
            double h = 1e-5;
            for (int j = 0; j < n; j++) {
                System.arraycopy(x, 0, probe, 0, n);
                probe[j] = x[j] + h;
                objective.valueAndGradient(probe, gp);
                probe[j] = x[j] - h;
                objective.valueAndGradient(probe, gm);
                for (int i = 0; i < n; i++) {
                    hess[i][j] = (gp[i] - gm[i]) / (2 * h);
                }
            }
            double[] step;
            try {
                RealMatrix m = MatrixUtils.createRealMatrix(hess);
                m = m.add(m.transpose()).scalarMultiply(0.5);
                DecompositionSolver solver = new CholeskyDecomposition(m, 1e-14, 1e-14).getSolver();
                step = solver.solve(MatrixUtils.createRealVector(g)).mapMultiply(-1).toArray();
            } catch (MathRuntimeException notPositiveDefinite) {
                break;
            }
            for (int i = 0; i < n; i++) {
                xNew[i] = x[i] + step[i];
            }
            clamp(xNew);
            double fNew = objective.valueAndGradient(xNew, gNew);
            // near the optimum f changes below its own rounding: judge the step by the gradient too
            if (!Double.isFinite(fNew) || !allFinite(gNew) || fNew > f + 1e-12 * Math.abs(f)
                    || maxAbs(gNew) >= maxAbs(g)) {
                break;
            }
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            f = fNew;
            if (maxAbs(step) < 1e-12) {
                break;
            }
        }
        return new Result(x, f, maxAbs(g), start.iterations(), start.converged() || maxAbs(g) < GRADIENT_TOLERANCE);
    }

    static Result bfgs(Objective objective, double[] start) {
        int n = start.length;
        double[] x = clamp(start.clone());
        double[] g = new double[n];
        double f = objective.valueAndGradient(x, g);
        if (!Double.isFinite(f) || !allFinite(g)) {
            return new Result(x, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0, false);
        }
        double[][] h = identity(n);
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        double[] d = new double[n];
        int iter = 0;
        boolean converged = false;
        for (; iter < MAX_ITERATIONS; iter++) {
            if (maxAbs(g) < GRADIENT_TOLERANCE) {
                converged = true;
                break;
            }
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s -= h[i][j] * g[j];
                }
                d[i] = s;
            }
            double slope = dot(d, g);
            if (!(slope < 0)) {
                // lost descent direction (rounding): restart from steepest descent
                h = identity(n);
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i];
                }
                slope = dot(d, g);
            }
            // keep the first trial step within a box of size 1 in log space
            double step = Math.min(1.0, 1.0 / Math.max(1e-300, maxAbs(d)));
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int ls = 0; ls < 60; ls++) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + step * d[i];
                }
                clamp(xNew);
                fNew = objective.valueAndGradient(xNew, gNew);
                if (Double.isFinite(fNew) && allFinite(gNew) && fNew <= f + 1e-4 * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                // no decrease possible along d at machine precision: we are at the optimum up to rounding
                converged = maxAbs(g) < 1e-6;
                break;
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }
            double sy = dot(s, y);
            if (sy > 1e-14 * Math.sqrt(dot(s, s) * dot(y, y))) {
                if (iter == 0) {
                    // scale the initial inverse Hessian to the curvature just seen
                    double scale = sy / dot(y, y);
                    for (int i = 0; i < n; i++) {
                        Arrays.fill(h[i], 0);
                        h[i][i] = scale;
                    }
                }
                bfgsUpdate(h, s, y, sy);
            }
            double fOld = f;
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            f = fNew;
            if (Math.abs(fOld - f) <= 1e-16 * Math.max(1, Math.abs(f)) && maxAbs(s) < 1e-12) {
                converged = maxAbs(g) < 1e-6;
                break;
            }
        }
        return new Result(x, f, maxAbs(g), iter, converged);
    }

    private static double[] nelderMead(Objective objective, double[] start) {
        double[] scratch = new double[start.length];
        double[] best = clamp(start.clone());
        double[] bestValue = {Double.POSITIVE_INFINITY};
        SimplexOptimizer optimizer = new SimplexOptimizer(1e-13, 1e-13);
        try {
            PointValuePair p = optimizer.optimize(
                    new MaxEval(2_000), new MaxIter(2_000),
                    new ObjectiveFunction(t -> {
                        double[] point = clamp(t.clone());
                        double v = objective.valueAndGradient(point, scratch);
                        if (Double.isFinite(v) && v < bestValue[0]) {
                            bestValue[0] = v;
                            System.arraycopy(point, 0, best, 0, point.length);
                        }
                        return Double.isFinite(v) ? v : Double.MAX_VALUE;
                    }),
                    GoalType.MINIMIZE,
                    new InitialGuess(clamp(start.clone())),
                    new NelderMeadSimplex(start.length, 0.5));
            return clamp(p.getPointRef().clone());
        } catch (MathIllegalStateException tooManyEvaluations) {
            // not converged within its budget: continue from the best vertex seen
            return best;
        }
    }

    private static void bfgsUpdate(double[][] h, double[] s, double[] y, double sy) {
        int n = s.length;
        double rho = 1.0 / sy;
        double[] hy = new double[n];
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (int j = 0; j < n; j++) {
                v += h[i][j] * y[j];
            }
            hy[i] = v;
        }
        double yhy = dot(y, hy);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
            }
        }
    }

    private static double[] clamp(double[] t) {
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.max(-THETA_BOUND, Math.min(THETA_BOUND, t[i]));
        }
        return t;
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
