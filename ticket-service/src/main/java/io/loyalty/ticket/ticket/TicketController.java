package io.loyalty.ticket.ticket;

import io.loyalty.ticket.TicketProperties;
import io.loyalty.ticket.sla.TicketEventType;
import io.loyalty.ticket.sla.TicketStatus;
import io.loyalty.ticket.ticket.EventIngestion.EventCommand;
import io.loyalty.ticket.ticket.TicketBodies.BatchEvent;
import io.loyalty.ticket.ticket.TicketBodies.BatchResult;
import io.loyalty.ticket.ticket.TicketBodies.CreateTicket;
import io.loyalty.ticket.ticket.TicketBodies.Event;
import io.loyalty.ticket.ticket.TicketBodies.EventBatch;
import io.loyalty.ticket.web.ApiProblem;
import io.loyalty.ticket.web.Cursors;
import io.loyalty.ticket.web.Input;
import io.loyalty.ticket.web.Page;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@RestController
public class TicketController {

    static final String CURSOR_KIND = "tickets";

    private final TicketService tickets;
    private final EventIngestion ingestion;
    private final TicketProperties properties;
    private final Clock clock;

    public TicketController(TicketService tickets, EventIngestion ingestion, TicketProperties properties, Clock clock) {
        this.tickets = tickets;
        this.ingestion = ingestion;
        this.properties = properties;
        this.clock = clock;
    }

    @PostMapping("/api/v1/tickets")
    public Mono<ResponseEntity<TicketView>> create(@RequestBody CreateTicket body) {
        requireBody(body);
        Input input = new Input();
        String externalId = input.identifier("externalId", body.externalId());
        String customerId = input.identifier("customerId", body.customerId());
        String subject = input.text("subject", body.subject(), 500);
        Priority priority = input.enumValue("priority", body.priority(), Priority.class);
        Channel channel = input.enumValue("channel", body.channel(), Channel.class);
        Instant openedAt = notInTheFuture(input, "openedAt", input.timestamp("openedAt", body.openedAt(), false));
        input.throwIfInvalid();
        return tickets.create(new TicketService.NewTicket(externalId, customerId, subject, priority, channel, openedAt))
                .map(result -> result.created()
                        ? ResponseEntity.created(URI.create("/api/v1/tickets/" + result.ticket().id())).body(result.ticket())
                        : ResponseEntity.ok(result.ticket()));
    }

    @GetMapping("/api/v1/tickets/{ticketId}")
    public Mono<TicketView> get(@PathVariable String ticketId) {
        Input input = new Input();
        UUID id = input.uuid("ticketId", ticketId);
        input.throwIfInvalid();
        return tickets.get(id);
    }

    @GetMapping("/api/v1/tickets")
    public Mono<Page<TicketView>> list(@RequestParam(required = false) String customerId,
                                       @RequestParam(required = false) String status,
                                       @RequestParam(required = false) String limit,
                                       @RequestParam(required = false) String cursor) {
        Input input = new Input();
        String customer = customerId == null ? null : input.identifier("customerId", customerId);
        TicketStatus state = status == null ? null : input.enumValue("status", status, TicketStatus.class);
        int size = input.limit(limit, properties.defaultPageSize(), properties.maxPageSize());
        Long after = Cursors.decode(CURSOR_KIND, cursor, input);
        input.throwIfInvalid();
        return tickets.list(customer, state == null ? null : state.name(), after == null ? 0 : after, size)
                .flatMap(rows -> {
                    boolean more = rows.size() > size;
                    List<TicketRow> page = more ? rows.subList(0, size) : rows;
                    String next = more ? Cursors.encode(CURSOR_KIND, page.get(page.size() - 1).seq()) : null;
                    return tickets.views(page).map(items -> new Page<>(items, next));
                });
    }

    @PostMapping("/api/v1/tickets/{ticketId}/events")
    public Mono<TicketView> event(@PathVariable String ticketId, @RequestBody Event body) {
        requireBody(body);
        Input input = new Input();
        UUID id = input.uuid("ticketId", ticketId);
        EventCommand command = command(input, id, body.eventId(), body.type(), body.at());
        input.throwIfInvalid();
        return ingestion.ingest(List.of(command), false)
                .flatMap(outcome -> tickets.views(List.of(outcome.tickets().get(id))))
                .map(views -> views.get(0));
    }

    /** Events across tickets, all or nothing: any invalid event and nothing of the batch is stored. */
    @PostMapping("/api/v1/ticket-events/batch")
    public Mono<BatchResult> batch(@RequestBody EventBatch body) {
        requireBody(body);
        Input input = new Input();
        List<BatchEvent> events = body.events();
        if (events == null || events.isEmpty()) {
            throw ApiProblem.invalid("events", "must hold at least one event");
        }
        if (events.size() > properties.maxBatchEvents()) {
            throw ApiProblem.invalid("events", "must hold at most " + properties.maxBatchEvents() + " events");
        }
        List<EventCommand> commands = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            BatchEvent e = events.get(i);
            Input item = input.nested("events[" + i + "].");
            if (e == null) {
                item.reject("", "must be an event");
                continue;
            }
            UUID id = item.uuid("ticketId", e.ticketId());
            commands.add(command(item, id, e.eventId(), e.type(), e.at()));
        }
        input.throwIfInvalid();
        return ingestion.ingest(commands, true).map(o -> new BatchResult(o.accepted(), o.duplicates()));
    }

    private EventCommand command(Input input, UUID ticketId, String eventId, String type, String at) {
        String id = input.identifier("eventId", eventId);
        TicketEventType eventType = input.enumValue("type", type, TicketEventType.class);
        Instant instant = notInTheFuture(input, "at", input.timestamp("at", at, true));
        return new EventCommand(ticketId, id, eventType, instant);
    }

    private static void requireBody(Object body) {
        if (body == null) {
            throw ApiProblem.invalid("body", "must be a JSON object");
        }
    }

    private Instant notInTheFuture(Input input, String field, Instant value) {
        if (value != null && value.isAfter(clock.instant().plus(properties.maxClockSkew()))) {
            input.reject(field, "must not be in the future");
            return null;
        }
        return value;
    }

}
