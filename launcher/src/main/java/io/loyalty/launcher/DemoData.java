package io.loyalty.launcher;

import io.loyalty.launcher.demo.DemoDataGenerator;
import io.loyalty.launcher.demo.DemoDataSet;
import io.loyalty.launcher.demo.DemoLoader;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code launcher demo --gateway URL --api-key KEY [--customers N] [--seed S] [--currency USD]}: draws the
 * demo population and loads it through the gateway, then runs a first scoring run. A marker in the data
 * directory keeps a restarted platform from loading the same population twice.
 */
final class DemoData {

    private DemoData() {
    }

    static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        URI gateway = URI.create(options.getOrDefault("gateway", "http://127.0.0.1:8080"));
        String apiKey = required(options, "api-key");
        int customers = Integer.parseInt(options.getOrDefault("customers", "3000"));
        long seed = Long.parseLong(options.getOrDefault("seed", "20261123"));
        String currency = options.getOrDefault("currency", "USD");
        Path marker = Path.of(System.getenv().getOrDefault("LOYALTY_DATA_DIR", "data"), "demo-loaded");
        if (Files.exists(marker)) {
            System.out.println("[demo] already loaded (" + Files.readString(marker).trim() + "); delete " + marker
                    + " to load again");
            return;
        }
        LocalDate asOf = LocalDate.now(ZoneOffset.UTC);
        DemoDataSet data = new DemoDataGenerator(seed, asOf).generate(customers);
        DemoLoader loader = new DemoLoader(gateway, apiKey, currency);
        long started = System.nanoTime();
        loader.load(data);
        JsonNode run = loader.score(Duration.ofMinutes(5));
        System.out.printf("[demo] loaded in %.1f s; scoring run %s %s%n", (System.nanoTime() - started) / 1e9,
                run.get("id"), run.get("status"));
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "seed " + seed + ", " + customers + " customers, as of " + asOf + "\n");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
