package io.loyalty.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every service image must do: pinned JRE 17 base, layered Boot jar, numeric non-root user, JVM sized to the container. */
final class DockerfileRules {

    static final String LAYER_ORDER = "dependencies, spring-boot-loader, snapshot-dependencies, application";
    private static final Pattern ARG = Pattern.compile("(?m)^ARG\\s+(\\w+)=(\\S+)");
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)");
    private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\S+)");
    private static final Pattern LAYER_COPY = Pattern.compile("(?m)^COPY\\s+--from=\\S+\\s+\\S*/extracted/([a-z-]+)/\\s");

    private DockerfileRules() {
    }

    /** Dockerfile text with continuation lines joined. */
    private static String joined(String dockerfile) {
        return dockerfile.replaceAll("\\\\\\r?\\n\\s*", " ");
    }

    static List<String> check(String dockerfile) {
        String text = joined(dockerfile);
        List<String> problems = new ArrayList<>();
        Map<String, String> args = new java.util.HashMap<>();
        Matcher arg = ARG.matcher(text);
        while (arg.find()) {
            args.put(arg.group(1), arg.group(2));
        }
        Matcher from = FROM.matcher(text);
        int lastFrom = -1;
        while (from.find()) {
            lastFrom = from.start();
            String image = from.group(1);
            Matcher ref = Pattern.compile("^\\$\\{?(\\w+)}?$").matcher(image);
            String resolved = ref.matches() ? args.getOrDefault(ref.group(1), "") : image;
            if (!DeploymentRules.pinned(resolved)) {
                problems.add("base image '" + resolved + "' is not pinned");
            } else if (!resolved.contains("@sha256:") && !resolved.matches(".*:\\d+\\.\\d+\\.\\d+.*")) {
                problems.add("base image '" + resolved + "' is pinned to a moving tag, not an exact version");
            }
            if (!resolved.matches(".*(jre|jdk).*17.*|.*17.*(jre|jdk).*")) {
                problems.add("base image '" + resolved + "' is not a Java 17 runtime");
            }
        }
        if (!text.contains("-Djarmode=tools") || !text.matches("(?s).*\\bextract\\b[^\\n]*--layers[^\\n]*--launcher.*")) {
            problems.add("the jar is not extracted with -Djarmode=tools extract --layers --launcher");
        }
        List<String> layers = new ArrayList<>();
        Matcher copy = LAYER_COPY.matcher(text);
        while (copy.find()) {
            layers.add(copy.group(1));
        }
        if (!String.join(", ", layers).equals(LAYER_ORDER)) {
            problems.add("layers copied as [" + String.join(", ", layers) + "], expected [" + LAYER_ORDER + "]");
        }
        Matcher user = USER.matcher(text);
        String finalUser = null;
        while (user.find()) {
            if (user.start() > lastFrom) {
                finalUser = user.group(1);
            }
        }
        if (finalUser == null) {
            problems.add("the final stage sets no USER, so it runs as root");
        } else if (!finalUser.matches("\\d+(:\\d+)?") || finalUser.matches("0(:\\d+)?")) {
            problems.add("USER " + finalUser + " is not a numeric non-root UID");
        }
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT\\s+(\\[.*])\\s*$").matcher(text);
        if (!entrypoint.find()) {
            problems.add("no exec-form ENTRYPOINT (a shell form would not forward SIGTERM to the JVM)");
        } else {
            String ep = entrypoint.group(1);
            if (!ep.contains("-XX:MaxRAMPercentage=")) {
                problems.add("the JVM heap is not sized from the container (-XX:MaxRAMPercentage)");
            }
            if (!ep.contains("org.springframework.boot.loader.launch.JarLauncher")) {
                problems.add("the entrypoint does not start the extracted launcher");
            }
        }
        return problems;
    }

    static List<Integer> exposedPorts(String dockerfile) {
        List<Integer> ports = new ArrayList<>();
        Matcher expose = Pattern.compile("(?m)^EXPOSE\\s+(.+)$").matcher(joined(dockerfile));
        while (expose.find()) {
            for (String port : expose.group(1).trim().split("\\s+")) {
                ports.add(Integer.parseInt(port.replaceAll("/tcp$", "")));
            }
        }
        return ports;
    }

    static long uid(String dockerfile) {
        Matcher user = USER.matcher(joined(dockerfile));
        String last = null;
        while (user.find()) {
            last = user.group(1);
        }
        return last == null ? 0 : Long.parseLong(last.split(":")[0]);
    }
}
