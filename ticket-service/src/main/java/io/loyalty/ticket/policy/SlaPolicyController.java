package io.loyalty.ticket.policy;

import io.loyalty.ticket.ticket.Priority;
import io.loyalty.ticket.web.ApiProblem;
import io.loyalty.ticket.web.Input;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/api/v1/sla-policies")
public class SlaPolicyController {

    static final int MAX_MINUTES = 525_600; // a year
    static final int MAX_WINDOWS = 70;

    private final SlaPolicyRepository repository;
    private final SlaPolicyCatalog catalog;
    private final TransactionalOperator tx;

    public SlaPolicyController(SlaPolicyRepository repository, SlaPolicyCatalog catalog, TransactionalOperator tx) {
        this.repository = repository;
        this.catalog = catalog;
        this.tx = tx;
    }

    @GetMapping
    public Mono<Map<String, Object>> list() {
        return repository.allCurrent().map(SlaPolicyController::view).collectList()
                .map(items -> Map.of("items", items));
    }

    @GetMapping("/{priority}")
    public Mono<Map<String, Object>> get(@PathVariable String priority) {
        Priority p = priority(priority);
        return repository.current(p).map(SlaPolicyController::view)
                .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("No SLA policy for priority " + p)));
    }

    /** Replaces the policy; the same content again changes nothing (same version). */
    @PutMapping("/{priority}")
    public Mono<Map<String, Object>> put(@PathVariable String priority, @RequestBody SlaPolicyBody body) {
        Priority p = priority(priority);
        Input input = new Input();
        if (body == null) {
            throw ApiProblem.invalid("body", "is required");
        }
        Integer fr = input.intRange("firstResponseMinutes", body.firstResponseMinutes(), 1, MAX_MINUTES, true);
        Integer res = input.intRange("resolutionMinutes", body.resolutionMinutes(), 1, MAX_MINUTES, true);
        BusinessHoursBody hours = normalise(body.businessHours(), input.nested("businessHours."));
        if (hours != null) {
            // a target must be reachable within a bounded span of business time, or due instants would take
            // (nearly) forever to compute: at most five years of the calendar's weekly hours
            long reachable = weeklyMinutes(hours) * 52L * 5;
            if (fr != null && fr > reachable) {
                input.reject("firstResponseMinutes", "exceeds five years of these business hours (" + reachable + " minutes)");
            }
            if (res != null && res > reachable) {
                input.reject("resolutionMinutes", "exceeds five years of these business hours (" + reachable + " minutes)");
            }
        }
        input.throwIfInvalid();
        Mono<SlaPolicy> write = repository.lock(p)
                .then(repository.current(p))
                .filter(current -> current.sameAs(fr, res, hours))
                .switchIfEmpty(Mono.defer(() -> repository.replace(p, fr, res, hours)));
        return tx.transactional(write).doOnNext(catalog::remember).map(SlaPolicyController::view);
    }

    private static Priority priority(String value) {
        Input input = new Input();
        Priority p = input.enumValue("priority", value, Priority.class);
        input.throwIfInvalid();
        return p;
    }

    /** Validated, with the zone's canonical id and windows sorted, so equal calendars compare equal. */
    static BusinessHoursBody normalise(BusinessHoursBody hours, Input input) {
        if (hours == null) {
            return null;
        }
        String zone = null;
        if (hours.timeZone() == null || hours.timeZone().isBlank()) {
            input.reject("timeZone", "is required");
        } else {
            try {
                zone = ZoneId.of(hours.timeZone()).getId();
            } catch (DateTimeException e) {
                input.reject("timeZone", "must be an IANA time zone, e.g. Europe/Berlin");
            }
        }
        List<BusinessHoursBody.Window> windows = hours.windows();
        if (windows == null || windows.isEmpty()) {
            input.reject("windows", "must hold at least one window");
            return null;
        }
        if (windows.size() > MAX_WINDOWS) {
            input.reject("windows", "must hold at most " + MAX_WINDOWS + " windows");
            return null;
        }
        List<int[]> parsed = new ArrayList<>();
        List<BusinessHoursBody.Window> normal = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            BusinessHoursBody.Window w = windows.get(i);
            Input at = input.nested("windows[" + i + "].");
            if (w == null) {
                at.reject("", "must be a window");
                continue;
            }
            DayOfWeek day = at.enumValue("day", w.day(), DayOfWeek.class);
            int start = SlaPolicy.minutes(w.start());
            int end = SlaPolicy.minutes(w.end());
            if (start < 0 || start == 1440) {
                at.reject("start", "must be a time HH:MM from 00:00 to 23:59");
            }
            if (end < 0) {
                at.reject("end", "must be a time HH:MM from 00:01 to 24:00");
            }
            if (start >= 0 && end >= 0 && start < 1440 && start >= end) {
                at.reject("end", "must be after start");
            }
            if (day != null && start >= 0 && end > start) {
                for (int[] other : parsed) {
                    if (other[0] == day.ordinal() && start < other[2] && other[1] < end) {
                        at.reject("", "overlaps windows[" + other[3] + "]");
                    }
                }
                parsed.add(new int[] {day.ordinal(), start, end, i});
                normal.add(new BusinessHoursBody.Window(day.name(), w.start(), w.end()));
            }
        }
        if (input.hasErrors()) {
            return null;
        }
        normal.sort(Comparator.comparing((BusinessHoursBody.Window w) -> DayOfWeek.valueOf(w.day()))
                .thenComparing(BusinessHoursBody.Window::start));
        return new BusinessHoursBody(zone, List.copyOf(normal));
    }

    static long weeklyMinutes(BusinessHoursBody hours) {
        return hours.windows().stream().mapToLong(w -> SlaPolicy.minutes(w.end()) - SlaPolicy.minutes(w.start())).sum();
    }

    static Map<String, Object> view(SlaPolicy p) {
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("priority", p.priority());
        view.put("firstResponseMinutes", p.firstResponseMinutes());
        view.put("resolutionMinutes", p.resolutionMinutes());
        view.put("businessHours", p.businessHours());
        view.put("version", p.version());
        view.put("updatedAt", p.updatedAt());
        return view;
    }
}
