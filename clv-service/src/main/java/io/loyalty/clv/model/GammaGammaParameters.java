package io.loyalty.clv.model;

/** Gamma-Gamma spend model (Fader, Hardie &amp; Lee, "RFM and CLV: Using Iso-Value Curves"). */
public record GammaGammaParameters(double p, double q, double v, double logLikelihood) {}
