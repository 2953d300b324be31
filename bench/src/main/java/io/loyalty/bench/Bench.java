package io.loyalty.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code java -jar bench.jar <scenario> --name value ...}; bench/run.sh starts the platform and runs them
 * all. Scenarios: {@code purchases} (ingestion through a base URL: the gateway or a service directly),
 * {@code copy} (the same rows by raw COPY into the same PostgreSQL), {@code settle} (vacuum, analyze and
 * checkpoint after those, and wait for autovacuum), {@code pages} (ranked pages at a
 * fixed request rate), {@code csv} (the whole ranked list as CSV).
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: bench purchases|copy|settle|pages|csv --name value ...");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        for (int i = 0; i + 1 < rest.length; i += 2) {
            options.put(rest[i].replaceFirst("^--", ""), rest[i + 1]);
        }
        switch (args[0]) {
            case "purchases" -> PurchaseIngestion.run(options);
            case "copy" -> PurchaseIngestion.copy(options);
            case "settle" -> PurchaseIngestion.settle(options);
            case "pages" -> RankedPages.run(options);
            case "csv" -> RankedPages.csv(options);
            default -> {
                System.err.println("unknown scenario " + args[0]);
                System.exit(2);
            }
        }
    }

    static String option(Map<String, String> options, String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }
}
