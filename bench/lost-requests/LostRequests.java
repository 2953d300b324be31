import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Sends N sequential GETs over one keep-alive HTTP/1.1 connection and counts the ones never answered within
 * the timeout: the reproduction of the requests our services lose now and then when the CPU is contended.
 * Usage: java LostRequests.java <url> <requests> [timeoutSeconds=3]
 */
public class LostRequests {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int requests = Integer.parseInt(args[1]);
        Duration timeout = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 3);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int lost = 0;
        long started = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            try {
                client.send(HttpRequest.newBuilder(url).timeout(timeout).build(), HttpResponse.BodyHandlers.discarding());
            } catch (HttpTimeoutException e) {
                lost++;
                System.out.println(java.time.Instant.now() + " request " + i + ": no answer in " + timeout.toSeconds() + " s");
            }
        }
        System.out.printf("%s: %d of %d requests unanswered, %d ms in all%n", url, lost, requests,
                (System.nanoTime() - started) / 1_000_000);
    }
}
