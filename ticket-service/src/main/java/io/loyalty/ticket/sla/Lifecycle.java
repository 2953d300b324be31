package io.loyalty.ticket.sla;

import static io.loyalty.ticket.sla.TicketStatus.CLOSED;
import static io.loyalty.ticket.sla.TicketStatus.ON_HOLD;
import static io.loyalty.ticket.sla.TicketStatus.OPEN;
import static io.loyalty.ticket.sla.TicketStatus.PENDING;
import static io.loyalty.ticket.sla.TicketStatus.SOLVED;

/**
 * The ticket state machine. Modelled on Zendesk: an agent reply opens a new ticket, a customer reply
 * brings a waiting ticket back to the team, a customer reply to a solved ticket reopens it, only a solved
 * ticket can be closed and a closed ticket takes nothing more.
 */
public final class Lifecycle {

    private Lifecycle() {
    }

    /** The status after the event, or {@link TransitionRejected} when the event makes no sense now. */
    public static TicketStatus next(TicketStatus status, TicketEventType event) {
        TicketStatus next = switch (status) {
            case NEW -> switch (event) {
                case AGENT_REPLY -> OPEN;
                case CUSTOMER_REPLY -> TicketStatus.NEW;
                case PENDING -> PENDING;
                case ON_HOLD -> ON_HOLD;
                case SOLVED -> SOLVED;
                case REOPENED, CLOSED -> null;
            };
            case OPEN -> switch (event) {
                case AGENT_REPLY, CUSTOMER_REPLY -> OPEN;
                case PENDING -> PENDING;
                case ON_HOLD -> ON_HOLD;
                case SOLVED -> SOLVED;
                case REOPENED, CLOSED -> null;
            };
            case PENDING -> switch (event) {
                // an agent may nudge a customer without changing who the ticket waits on
                case AGENT_REPLY -> PENDING;
                case CUSTOMER_REPLY -> OPEN;
                case ON_HOLD -> ON_HOLD;
                case SOLVED -> SOLVED;
                case PENDING, REOPENED, CLOSED -> null;
            };
            case ON_HOLD -> switch (event) {
                case AGENT_REPLY -> ON_HOLD;
                case CUSTOMER_REPLY -> OPEN;
                case PENDING -> PENDING;
                case SOLVED -> SOLVED;
                case ON_HOLD, REOPENED, CLOSED -> null;
            };
            case SOLVED -> switch (event) {
                case CUSTOMER_REPLY, REOPENED -> OPEN;
                case CLOSED -> CLOSED;
                case AGENT_REPLY, PENDING, ON_HOLD, SOLVED -> null;
            };
            case CLOSED -> null;
        };
        if (next == null) {
            throw new TransitionRejected(TransitionRejected.Reason.ILLEGAL_TRANSITION,
                    event + " is not possible on a " + status + " ticket" + hint(status, event));
        }
        return next;
    }

    /** Whether the event takes a solved ticket back to the team. */
    public static boolean reopens(TicketStatus status, TicketEventType event) {
        return status == SOLVED && (event == TicketEventType.REOPENED || event == TicketEventType.CUSTOMER_REPLY);
    }

    private static String hint(TicketStatus status, TicketEventType event) {
        if (status == CLOSED) {
            return ": a closed ticket is final, open a new ticket instead";
        }
        if (status == SOLVED && event == TicketEventType.AGENT_REPLY) {
            return ": reopen it first";
        }
        if (event == TicketEventType.REOPENED) {
            return ": only a solved ticket can be reopened";
        }
        if (event == TicketEventType.CLOSED) {
            return ": only a solved ticket can be closed";
        }
        return "";
    }
}
