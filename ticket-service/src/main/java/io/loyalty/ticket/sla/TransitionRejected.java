package io.loyalty.ticket.sla;

/** An event that makes no sense for the ticket as it stands. */
public final class TransitionRejected extends RuntimeException {

    public enum Reason { ILLEGAL_TRANSITION, OUT_OF_ORDER }

    private final Reason reason;

    public TransitionRejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
