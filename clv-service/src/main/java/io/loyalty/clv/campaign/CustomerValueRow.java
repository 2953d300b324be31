package io.loyalty.clv.campaign;

/**
 * One customer's values from a scoring run, the input of the rankings.
 *
 * @param frequency repeat purchase days in the calibration period (0 = never bought again)
 */
public record CustomerValueRow(String customerId, int frequency, double clv, double probabilityAlive,
                               double expectedPurchases, double referralValue) {
}
