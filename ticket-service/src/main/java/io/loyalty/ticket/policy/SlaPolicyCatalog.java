package io.loyalty.ticket.policy;

import io.loyalty.ticket.sla.SlaTargets;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The targets of policy versions by id. Versions never change once written, so they are cached for the
 * life of the process and event ingestion does not read them again.
 */
@Component
public class SlaPolicyCatalog {

    private final SlaPolicyRepository repository;
    private final Map<Long, SlaTargets> cache = new ConcurrentHashMap<>();

    public SlaPolicyCatalog(SlaPolicyRepository repository) {
        this.repository = repository;
    }

    /** Targets for every version asked for; tickets without a policy (null) get {@link SlaTargets#NONE}. */
    public Mono<Map<Long, SlaTargets>> targets(Collection<Long> versions) {
        List<Long> missing = versions.stream().filter(v -> v != null && !cache.containsKey(v)).distinct().toList();
        Mono<Void> load = missing.isEmpty() ? Mono.empty()
                : repository.byVersions(missing).doOnNext(p -> cache.put(p.version(), p.targets())).then();
        return load.then(Mono.fromSupplier(() -> {
            Map<Long, SlaTargets> result = new HashMap<>();
            for (Long v : versions) {
                if (v != null) {
                    result.put(v, cache.get(v));
                }
            }
            return result;
        }));
    }

    public void remember(SlaPolicy policy) {
        cache.put(policy.version(), policy.targets());
    }

    public static SlaTargets of(Map<Long, SlaTargets> targets, Long version) {
        return version == null ? SlaTargets.NONE : targets.get(version);
    }
}
