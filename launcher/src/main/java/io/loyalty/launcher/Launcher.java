package io.loyalty.launcher;

import java.util.Arrays;

/** Entry point of the launcher jar: {@code db} runs the local database, {@code demo} loads demo data. */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "db" -> LocalDatabase.main(rest);
            case "demo" -> DemoData.main(rest);
            default -> {
                System.err.println("usage: launcher db | demo --gateway URL --api-key KEY [--customers N] [--seed S]");
                System.exit(2);
            }
        }
    }
}
