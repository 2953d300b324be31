package io.loyalty.clv.signals;

/** The signal services, named as they appear in {@code signals.missing}. */
public enum SignalSource {
    SURVEY("survey"), TICKET("ticket");

    private final String label;

    SignalSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
