package io.loyalty.ticket.ticket;

import io.loyalty.ticket.policy.SlaPolicy;
import io.loyalty.ticket.policy.SlaPolicyCatalog;
import io.loyalty.ticket.policy.SlaPolicyRepository;
import io.loyalty.ticket.sla.SlaEngine;
import io.loyalty.ticket.sla.SlaTargets;
import io.loyalty.ticket.web.ApiProblem;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

@Service
public class TicketService {

    public record NewTicket(String externalId, String customerId, String subject, Priority priority, Channel channel,
                            Instant openedAt) {
    }

    public record Created(TicketView ticket, boolean created) {
    }

    private final TicketRepository tickets;
    private final SlaPolicyRepository policies;
    private final SlaPolicyCatalog catalog;
    private final Clock clock;

    public TicketService(TicketRepository tickets, SlaPolicyRepository policies, SlaPolicyCatalog catalog, Clock clock) {
        this.tickets = tickets;
        this.policies = policies;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * Opens a ticket under the priority's current SLA policy version. The same externalId with the same
     * content again is a replay (created = false); with other content it is a 409.
     */
    public Mono<Created> create(NewTicket t) {
        Instant now = clock.instant();
        return policies.current(t.priority()).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(policy -> {
            SlaTargets targets = policy.map(SlaPolicy::targets).orElse(SlaTargets.NONE);
            policy.ifPresent(catalog::remember);
            Instant openedAt = t.openedAt() != null ? t.openedAt() : now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            TicketRow row = new TicketRow(UUID.randomUUID(), 0, t.externalId(), t.customerId(), t.subject(),
                    t.priority(), t.channel(), openedAt, t.openedAt() != null,
                    policy.map(SlaPolicy::version).orElse(null), SlaEngine.open(openedAt, targets));
            return tickets.insert(row)
                    .flatMap(inserted -> view(inserted, now).map(v -> new Created(v, true)))
                    .switchIfEmpty(Mono.defer(() -> tickets.findByExternalId(t.externalId())
                            .flatMap(existing -> replay(existing, t, now))));
        });
    }

    private Mono<Created> replay(TicketRow existing, NewTicket t, Instant now) {
        boolean same = existing.customerId().equals(t.customerId()) && existing.subject().equals(t.subject())
                && existing.priority() == t.priority() && existing.channel() == t.channel()
                && (t.openedAt() == null ? !existing.openedAtGiven()
                    : existing.openedAtGiven() && existing.openedAt().equals(t.openedAt()));
        if (!same) {
            return Mono.error(ApiProblem.conflict("external-id-conflict", "External id already used",
                    "A ticket with externalId " + t.externalId() + " exists with different content (id "
                            + existing.id() + ")"));
        }
        return view(existing, now).map(v -> new Created(v, false));
    }

    public Mono<TicketView> get(UUID id) {
        Instant now = clock.instant();
        return tickets.findById(id).flatMap(row -> view(row, now))
                .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("No ticket " + id)));
    }

    public Mono<List<TicketRow>> list(String customerId, String status, long afterSeq, int limit) {
        return tickets.list(customerId, status, afterSeq, limit).collectList();
    }

    public Mono<List<TicketView>> views(List<TicketRow> rows) {
        Instant now = clock.instant();
        return catalog.targets(rows.stream().map(TicketRow::slaPolicyVersion).filter(Objects::nonNull).toList())
                .map(targets -> rows.stream()
                        .map(r -> TicketView.of(r, SlaPolicyCatalog.of(targets, r.slaPolicyVersion()), now)).toList());
    }

    Mono<TicketView> view(TicketRow row, Instant now) {
        List<Long> versions = row.slaPolicyVersion() == null ? List.of() : List.of(row.slaPolicyVersion());
        return catalog.targets(versions)
                .map((Map<Long, SlaTargets> targets) ->
                        TicketView.of(row, SlaPolicyCatalog.of(targets, row.slaPolicyVersion()), now));
    }
}
