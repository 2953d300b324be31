package io.loyalty.clv.model;

/** BG/NBD (Fader, Hardie &amp; Lee 2005) parameters, time in the model's time unit. */
public record BgNbdParameters(double r, double alpha, double a, double b, double logLikelihood) {}
