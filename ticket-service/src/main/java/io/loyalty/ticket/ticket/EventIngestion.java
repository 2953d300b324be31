package io.loyalty.ticket.ticket;

import io.loyalty.ticket.policy.SlaPolicyCatalog;
import io.loyalty.ticket.sla.SlaEngine;
import io.loyalty.ticket.sla.SlaTargets;
import io.loyalty.ticket.sla.TicketEventType;
import io.loyalty.ticket.sla.TransitionRejected;
import io.loyalty.ticket.ticket.TicketRepository.StoredEvent;
import io.loyalty.ticket.web.ApiProblem;
import io.loyalty.ticket.web.FieldError;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Applies lifecycle events, one or a batch across tickets, all or nothing. One transaction locks the
 * tickets, reads the event ids already seen, runs the SLA engine in memory in the order given and writes
 * the new events and the tickets' derived columns in one statement.
 */
@Service
public class EventIngestion {

    public record EventCommand(UUID ticketId, String eventId, TicketEventType type, Instant at) {
    }

    /** The tickets after the batch, and how many events were new or replays. */
    public record Outcome(Map<UUID, TicketRow> tickets, int accepted, int duplicates) {
    }

    private static final int MAX_REPORTED_ERRORS = 100;

    private final TicketRepository repository;
    private final SlaPolicyCatalog catalog;
    private final TransactionalOperator tx;

    public EventIngestion(TicketRepository repository, SlaPolicyCatalog catalog, TransactionalOperator tx) {
        this.repository = repository;
        this.catalog = catalog;
        this.tx = tx;
    }

    /**
     * @param batch whether errors name events as {@code events[i].field} (a batch) or plain fields (one event)
     */
    public Mono<Outcome> ingest(List<EventCommand> commands, boolean batch) {
        Set<UUID> ids = new LinkedHashSet<>();
        commands.forEach(c -> ids.add(c.ticketId()));
        Mono<Outcome> work = repository.lockForUpdate(ids).collectMap(TicketRow::id)
                .flatMap(tickets -> repository.findEvents(
                                commands.stream().map(EventCommand::ticketId).toList(),
                                commands.stream().map(EventCommand::eventId).toList())
                        .collectMap(e -> key(e.ticketId(), e.eventId()))
                        .flatMap(known -> catalog.targets(tickets.values().stream().map(TicketRow::slaPolicyVersion)
                                        .filter(Objects::nonNull).distinct().toList())
                                .flatMap(targets -> apply(commands, batch, new HashMap<>(tickets),
                                        new HashMap<>(known), targets))));
        return tx.transactional(work);
    }

    private Mono<Outcome> apply(List<EventCommand> commands, boolean batch, Map<UUID, TicketRow> tickets,
                                Map<String, StoredEvent> known, Map<Long, SlaTargets> targets) {
        List<FieldError> errors = new ArrayList<>();
        String problemType = null;
        List<StoredEvent> fresh = new ArrayList<>();
        Map<UUID, TicketRow> changed = new LinkedHashMap<>();
        int duplicates = 0;
        for (int i = 0; i < commands.size(); i++) {
            EventCommand c = commands.get(i);
            String prefix = batch ? "events[" + i + "]." : "";
            TicketRow ticket = tickets.get(c.ticketId());
            if (ticket == null) {
                if (!batch) {
                    return Mono.error(ApiProblem.notFound("No ticket " + c.ticketId()));
                }
                errors.add(new FieldError(prefix + "ticketId", "no such ticket"));
                problemType = problemType == null ? "unknown-ticket" : problemType;
                continue;
            }
            String key = key(c.ticketId(), c.eventId());
            StoredEvent seen = known.get(key);
            if (seen != null) {
                if (seen.type() == c.type() && seen.at().equals(c.at())) {
                    duplicates++;
                } else {
                    errors.add(new FieldError(prefix + "eventId", "was already used on this ticket for "
                            + seen.type() + " at " + seen.at()));
                    problemType = problemType == null ? "event-id-conflict" : problemType;
                }
                continue;
            }
            try {
                TicketRow next = ticket.withClock(SlaEngine.apply(ticket.clock(), c.type(), c.at(),
                        SlaPolicyCatalog.of(targets, ticket.slaPolicyVersion())));
                tickets.put(next.id(), next);
                changed.put(next.id(), next);
                StoredEvent event = new StoredEvent(c.ticketId(), c.eventId(), c.type(), c.at());
                known.put(key, event);
                fresh.add(event);
            } catch (TransitionRejected e) {
                boolean order = e.reason() == TransitionRejected.Reason.OUT_OF_ORDER;
                errors.add(new FieldError(prefix + (order ? "at" : "type"), e.getMessage()));
                problemType = problemType == null ? (order ? "event-out-of-order" : "illegal-transition") : problemType;
            }
            if (errors.size() >= MAX_REPORTED_ERRORS) {
                break;
            }
        }
        if (!errors.isEmpty()) {
            String detail = batch
                    ? errors.size() + " event(s) cannot be applied; nothing from this batch was stored"
                    : errors.get(0).message();
            return Mono.error(ApiProblem.conflict(problemType, title(problemType), detail, errors));
        }
        int accepted = fresh.size();
        int dup = duplicates;
        return repository.write(fresh, new ArrayList<>(changed.values()))
                .thenReturn(new Outcome(tickets, accepted, dup));
    }

    private static String title(String type) {
        return switch (type) {
            case "unknown-ticket" -> "Unknown ticket";
            case "event-id-conflict" -> "Event id already used";
            case "event-out-of-order" -> "Event out of order";
            default -> "Transition not allowed";
        };
    }

    private static String key(UUID ticket, String eventId) {
        return ticket + "\n" + eventId;
    }
}
