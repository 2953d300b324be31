package io.loyalty.clv.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.loyalty.clv.ClvServiceApplication;
import io.loyalty.proto.clv.v1.IngestSummary;
import io.loyalty.proto.clv.v1.Purchase;
import io.loyalty.proto.clv.v1.PurchaseIngestServiceGrpc;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rerunnable scale benchmark (not a test): starts clv-service in this JVM (run it with -Xmx1g), generates
 * customers from the BG/NBD and Gamma-Gamma processes (r=0.75, alpha=20 days, a=0.5, b=5, p=6, q=4, v=15,
 * two years of history, first purchases over the first year, seeded), sends the first --api-customers customers' purchases through
 * POST /api/v1/purchases/batch (5000 per batch, --concurrency in flight) for the ingestion figure, COPYs
 * the rest straight into the purchases table, then runs a scoring run (DAY units, 12 months) and reports its
 * wall time and the peak heap of the JVM during the run. bench/clv/run.sh passes the arguments.
 *
 * <p>Arguments: --customers=N --api-customers=N --concurrency=N --seed=N --order=customer|time (the API's purchases
 * sent customer by customer, generated while sending, or all in the order they happened, generated and sorted
 * before the clock starts) --order-ids=customer|numbered (orderId o{customer}-{n}, or, with --order=time, a number
 * that grows with each purchase sent, as an order system numbers orders) --customer-ids=ascending|shuffled (with
 * --order=customer: the customers' ids in the order sent, or in a random order, each customer's purchases still
 * together) --via=rest|grpc (the REST batch endpoint, or the gRPC client-streaming ingest in streams of
 * --stream-purchases=N, 100000 by default) --runs=N (runs one after another on the same
 * data: from the second on, a run's rankings join the previous run's P(alive), as every run after the first does)
 */
public final class ClvServiceBenchmark {

    private static final double R = 0.75, ALPHA = 20, A = 0.5, B = 5, P = 6, Q = 4, V = 15;
    private static final int HISTORY_DAYS = 730;
    private static final int ACQUISITION_DAYS = 365;
    private static final LocalDate END = LocalDate.of(2026, 10, 31);
    private static final Instant START = END.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(HISTORY_DAYS * 86400L);

    private ClvServiceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int customers = intArg(args, "customers", 100_000);
        int apiCustomers = intArg(args, "api-customers", Math.min(customers, 100_000));
        int concurrency = intArg(args, "concurrency", 4);
        long seed = intArg(args, "seed", 42);
        int runs = intArg(args, "runs", 1);
        boolean timeOrder = switch (stringArg(args, "order", "customer")) {
            case "customer" -> false;
            case "time" -> true;
            default -> throw new IllegalArgumentException("--order is customer or time");
        };
        boolean numberedOrders = switch (stringArg(args, "order-ids", "customer")) {
            case "customer" -> false;
            case "numbered" -> {
                if (!timeOrder) {
                    throw new IllegalArgumentException("--order-ids=numbered goes with --order=time");
                }
                yield true;
            }
            default -> throw new IllegalArgumentException("--order-ids is customer or numbered");
        };
        String customerIds = stringArg(args, "customer-ids", "ascending");
        int streamPurchases = intArg(args, "stream-purchases", 100_000);
        // customer i's id is c{label[i]}: ascending, the ids come in order (a customer-sorted export of sequential ids);
        // shuffled, each customer's purchases still come together but the customers in a random order of their ids
        int[] label = switch (customerIds) {
            case "ascending" -> IntStream.range(0, customers).toArray();
            case "shuffled" -> {
                if (timeOrder) {
                    throw new IllegalArgumentException("--customer-ids=shuffled goes with --order=customer");
                }
                yield shuffled(customers, new SplittableRandom(seed + 1));
            }
            default -> throw new IllegalArgumentException("--customer-ids is ascending or shuffled");
        };
        boolean grpc = switch (stringArg(args, "via", "rest")) {
            case "rest" -> false;
            case "grpc" -> true;
            default -> throw new IllegalArgumentException("--via is rest or grpc");
        };
        int grpcPort;
        try (ServerSocket free = new ServerSocket(0)) {
            grpcPort = free.getLocalPort();
        }
        ConfigurableApplicationContext app = SpringApplication.run(ClvServiceApplication.class,
                "--server.port=0", "--spring.grpc.server.port=" + grpcPort, "--logging.level.root=WARN", "--logging.level.io.loyalty=INFO");
        try {
            Environment env = app.getEnvironment();
            int port = Integer.parseInt(env.getProperty("local.server.port"));
            String url = env.getProperty("spring.flyway.url");
            String user = env.getProperty("spring.flyway.user");
            String password = env.getProperty("spring.flyway.password");
            try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                s.execute("TRUNCATE purchases, referrals, churn_events, scoring_run_customers");
            }
            SplittableRandom rnd = new SplittableRandom(seed);
            Generator gen = new Generator(rnd);

            // 1. ingestion through the API
            HttpClient http = HttpClient.newHttpClient();
            ManagedChannel channel = grpc ? ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build() : null;
            Sender sender = grpc ? new GrpcSender(channel, concurrency, streamPurchases)
                    : new RestSender(http, port, concurrency);
            long t0;
            if (timeOrder) {
                t0 = sendInTimeOrder(gen, apiCustomers, sender, numberedOrders);
            } else {
                t0 = System.nanoTime();
                for (int i = 0; i < apiCustomers; i++) {
                    for (Generator.Purchase p : gen.customer(i)) {
                        sender.add(label[i], p.n(), p.at(), p.amount());
                    }
                }
            }
            sender.finish();
            long apiPurchases = sender.sent;
            double apiSeconds = (System.nanoTime() - t0) / 1e9;
            if (channel != null) {
                channel.shutdown();
            }

            // 2. the rest by COPY
            long copyPurchases = 0;
            t0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                        "COPY purchases (order_id, customer_id, occurred_at, amount, original_amount, currency) FROM STDIN");
                StringBuilder out = new StringBuilder(1 << 20);
                for (int i = apiCustomers; i < customers; i++) {
                    for (Generator.Purchase p : gen.customer(i)) {
                        out.append('o').append(label[i]).append('-').append(p.n()).append("\tc").append(label[i]).append('\t')
                                .append(p.at()).append('\t').append(p.amount()).append('\t').append(p.amount())
                                .append("\tUSD\n");
                        copyPurchases++;
                    }
                    if (out.length() > (1 << 20)) {
                        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
                        copy.writeToCopy(bytes, 0, bytes.length);
                        out.setLength(0);
                    }
                }
                byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                copy.endCopy();
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM ANALYZE purchases");
                }
            }
            double copySeconds = (System.nanoTime() - t0) / 1e9;

            // 3. the scoring run, heap peaks reset after a GC so they show the run's own footprint
            for (int round = 1; round <= runs; round++) {
                System.gc();
                List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
                heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
                long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                JsonMapper json = JsonMapper.builder().build();
                t0 = System.nanoTime();
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/scoring-runs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"calibrationEnd\":\"" + END
                                + "\",\"timeUnit\":\"DAY\",\"horizonMonths\":12,\"monthlyDiscountRate\":0.01}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                long runId = json.readTree(created.body()).get("id").longValue();
                JsonNode run;
                while (true) {
                    run = json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/api/v1/scoring-runs/" + runId)).build(), HttpResponse.BodyHandlers.ofString()).body());
                    if (!run.get("status").stringValue().equals("RUNNING")) {
                        break;
                    }
                    Thread.sleep(50);
                }
                double scoringSeconds = (System.nanoTime() - t0) / 1e9;
                long heapPeak = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
                long stored;
                try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM scoring_run_customers WHERE run_id = " + runId)) {
                    rs.next();
                    stored = rs.getLong(1);
                }
                long maxHeap = Runtime.getRuntime().maxMemory();
                System.out.printf(Locale.ROOT, """
                        customers generated            %,d
                        purchases through the API      %,d in %.2f s = %,.0f purchases/s (%s, %d in flight, %s order, %s order ids, %s customer ids)
                        purchases by COPY              %,d in %.2f s
                        scoring run %d                 %s in %.2f s (wall, POST to SUCCEEDED), %,d customers, %,d result rows
                        run diagnostics                %s
                        model                          %s
                        heap during the run            peak %,d MB (sum of heap pool peaks; %,d MB in use before), max heap %,d MB
                        """, customers, apiPurchases, apiSeconds, apiPurchases / apiSeconds,
                        grpc ? "gRPC streams of " + streamPurchases : "REST batches of 5000", concurrency,
                        timeOrder ? "time" : "customer", numberedOrders ? "numbered" : "customer",
                        customerIds,
                        copyPurchases, copySeconds, runId, run.get("status").stringValue(), scoringSeconds,
                        run.get("customers").longValue(), stored, run.get("diagnostics"), run.get("model"),
                        heapPeak >> 20, heapBefore >> 20, maxHeap >> 20);
            }
        } finally {
            app.close();
        }
    }

    /** Where the benchmark's purchases go: the REST batch endpoint or the gRPC client-streaming ingest. */
    private abstract static class Sender {
        final int concurrency;
        final Semaphore inFlight;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        long sent;

        /** The first of the numbered orderIds: fixed width, so that their text order is their number order. */
        static final long FIRST_ORDER_NUMBER = 1_000_000_000L;

        Sender(int concurrency) {
            this.concurrency = concurrency;
            this.inFlight = new Semaphore(concurrency);
        }

        abstract void add(int customer, int n, Instant at, String amount) throws InterruptedException;

        /** The purchase with an order number that grows with every purchase sent, as an order system numbers them. */
        abstract void addNumbered(int customer, Instant at, String amount) throws InterruptedException;

        /** Sends what is pending and waits until every request has its answer. */
        void finish() throws InterruptedException {
            flush();
            inFlight.acquire(concurrency);
            inFlight.release(concurrency);
            if (failure.get() != null) {
                throw new IllegalStateException("ingestion failed", failure.get());
            }
        }

        abstract void flush() throws InterruptedException;
    }

    /**
     * Batches of 5000 purchases, {@code concurrency} in flight. Nothing of a sent batch is kept (a response holds its
     * request, body included): the permits tell when all are done.
     */
    private static final class RestSender extends Sender {
        private final HttpClient http;
        private final URI uri;
        private final StringBuilder batch = new StringBuilder(1 << 20);
        private int inBatch;

        RestSender(HttpClient http, int port, int concurrency) {
            super(concurrency);
            this.http = http;
            this.uri = URI.create("http://localhost:" + port + "/api/v1/purchases/batch");
        }

        @Override
        void add(int customer, int n, Instant at, String amount) throws InterruptedException {
            batch.append(inBatch == 0 ? "{\"purchases\":[" : ",");
            batch.append("{\"orderId\":\"o").append(customer).append('-').append(n);
            rest(customer, at, amount);
        }

        @Override
        void addNumbered(int customer, Instant at, String amount) throws InterruptedException {
            batch.append(inBatch == 0 ? "{\"purchases\":[" : ",");
            batch.append("{\"orderId\":\"n").append(FIRST_ORDER_NUMBER + sent);
            rest(customer, at, amount);
        }

        private void rest(int customer, Instant at, String amount) throws InterruptedException {
            batch.append("\",\"customerId\":\"c").append(customer)
                    .append("\",\"occurredAt\":\"").append(at)
                    .append("\",\"amount\":").append(amount)
                    .append(",\"currency\":\"USD\"}");
            sent++;
            if (++inBatch == 5000) {
                flush();
            }
        }

        @Override
        void flush() throws InterruptedException {
            if (inBatch == 0) {
                return;
            }
            String body = batch.append("]}").toString();
            batch.setLength(0);
            inBatch = 0;
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                inFlight.release();
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else if (response.statusCode() != 200) {
                    failure.compareAndSet(null, new IOException("HTTP " + response.statusCode() + ": " + response.body()));
                }
            });
        }
    }

    /**
     * Client streams of {@code perStream} purchases each, {@code concurrency} of them open at once, written as fast as
     * gRPC's flow control lets them (the service reads a stream a chunk at a time, as it stores them).
     */
    private static final class GrpcSender extends Sender {
        private final PurchaseIngestServiceGrpc.PurchaseIngestServiceStub stub;
        private final int perStream;
        private ClientCallStreamObserver<Purchase> stream;
        private final Object ready = new Object();
        private int inStream;
        private final AtomicLong accepted = new AtomicLong();

        GrpcSender(ManagedChannel channel, int concurrency, int perStream) {
            super(concurrency);
            this.stub = PurchaseIngestServiceGrpc.newStub(channel);
            this.perStream = perStream;
        }

        @Override
        void add(int customer, int n, Instant at, String amount) throws InterruptedException {
            send("o" + customer + "-" + n, customer, at, amount);
        }

        @Override
        void addNumbered(int customer, Instant at, String amount) throws InterruptedException {
            send("n" + (FIRST_ORDER_NUMBER + sent), customer, at, amount);
        }

        private void send(String orderId, int customer, Instant at, String amount) throws InterruptedException {
            if (failure.get() != null) { // a stream ended in an error: stop at once rather than write into dead calls
                throw new IllegalStateException("ingestion failed", failure.get());
            }
            sent++;
            if (stream == null) {
                open();
            }
            synchronized (ready) {
                while (!stream.isReady() && failure.get() == null) {
                    ready.wait(100);
                }
            }
            stream.onNext(Purchase.newBuilder().setOrderId(orderId).setCustomerId("c" + customer)
                    .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
                    .setAmount(amount).setCurrency("USD").build());
            if (++inStream == perStream) {
                flush();
            }
        }

        private void open() throws InterruptedException {
            inFlight.acquire();
            stub.ingestPurchases(new ClientResponseObserver<Purchase, IngestSummary>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<Purchase> call) {
                    stream = call;
                    call.setOnReadyHandler(() -> {
                        synchronized (ready) {
                            ready.notifyAll();
                        }
                    });
                }

                @Override
                public void onNext(IngestSummary summary) {
                    accepted.addAndGet(summary.getAccepted());
                }

                @Override
                public void onError(Throwable error) {
                    failure.compareAndSet(null, error);
                    inFlight.release();
                }

                @Override
                public void onCompleted() {
                    inFlight.release();
                }
            });
        }

        /** Also checks that the service accepted every purchase sent (the stream summaries' sum). */
        @Override
        void finish() throws InterruptedException {
            super.finish();
            if (accepted.get() != sent) {
                throw new IllegalStateException("gRPC accepted " + accepted.get() + " of " + sent + " purchases");
            }
        }

        @Override
        void flush() {
            if (stream != null) {
                stream.onCompleted();
                stream = null;
                inStream = 0;
            }
        }
    }

    /**
     * Generates the customers' purchases first and sorts them by time (not timed), then sends them in that order;
     * returns when sending started. The arrays die with this method, before the scoring run's heap is measured.
     */
    private static long sendInTimeOrder(Generator gen, int customers, Sender sender, boolean numbered)
            throws InterruptedException {
        Generator.TimeOrdered purchases = gen.timeOrdered(customers);
        long started = System.nanoTime();
        for (long key : purchases.order()) {
            int index = (int) (key & Generator.INDEX_MASK);
            Instant at = START.plusMillis(key >>> Generator.INDEX_BITS);
            String amount = Generator.amount(purchases.amount()[index]);
            if (numbered) {
                sender.addNumbered(purchases.customer()[index], at, amount);
            } else {
                sender.add(purchases.customer()[index], purchases.number()[index], at, amount);
            }
        }
        return started;
    }

    /** 0..n-1 in a random order (Fisher-Yates). */
    private static int[] shuffled(int n, SplittableRandom rnd) {
        int[] a = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static String stringArg(String[] args, String name, String dflt) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return a.substring(name.length() + 3);
            }
        }
        return dflt;
    }

    private static int intArg(String[] args, String name, int dflt) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return Integer.parseInt(a.substring(name.length() + 3));
            }
        }
        return dflt;
    }

    /** Transactions of one customer from the BG/NBD (purchases) and Gamma-Gamma (spend) processes. */
    static final class Generator {
        record Purchase(int n, Instant at, String amount) {
        }

        private final SplittableRandom rnd;

        Generator(SplittableRandom rnd) {
            this.rnd = rnd;
        }

        /** String.format's "%.2f" digits (half-up from the shortest decimal form), at a fraction of its cost. */
        static String amount(double value) {
            return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).toPlainString();
        }

        static final int INDEX_BITS = 24;
        static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

        /** Purchases in time order: each key of {@code order} is milliseconds since START above an index into the arrays. */
        record TimeOrdered(long[] order, int[] customer, int[] number, double[] amount) {
        }

        /**
         * The first {@code customers} customers' purchases (the same ones, drawn in the same order, as
         * {@link #customer} gives one by one) in the order they happened: customers interleaved, as a live feed
         * sends them.
         */
        TimeOrdered timeOrdered(int customers) {
            int capacity = customers * 12 + 1024;
            long[] keys = new long[capacity];
            int[] customerOf = new int[capacity];
            int[] numberOf = new int[capacity];
            double[] amountOf = new double[capacity];
            int count = 0;
            for (int i = 0; i < customers; i++) {
                for (Purchase p : customer(i)) {
                    if (count == keys.length) {
                        int grown = keys.length + keys.length / 4;
                        keys = Arrays.copyOf(keys, grown);
                        customerOf = Arrays.copyOf(customerOf, grown);
                        numberOf = Arrays.copyOf(numberOf, grown);
                        amountOf = Arrays.copyOf(amountOf, grown);
                    }
                    if (count > INDEX_MASK) {
                        throw new IllegalArgumentException("--order=time holds at most " + INDEX_MASK + " purchases");
                    }
                    keys[count] = (p.at().toEpochMilli() - START.toEpochMilli()) << INDEX_BITS | count;
                    customerOf[count] = i;
                    numberOf[count] = p.n();
                    amountOf[count] = Double.parseDouble(p.amount());
                    count++;
                }
            }
            long[] order = Arrays.copyOf(keys, count);
            Arrays.sort(order);
            return new TimeOrdered(order, customerOf, numberOf, amountOf);
        }

        List<Purchase> customer(int i) {
            double lambda = gamma(R) / ALPHA;             // purchases per day
            double p = beta(A, B);                          // dropout after each repeat purchase
            double nu = gamma(Q) / V;                       // spend rate
            // first purchases spread over the first year of the two: ~11.7 purchases per customer, the
            // issue's 11.7M purchases of 1M customers
            double t = rnd.nextDouble() * ACQUISITION_DAYS;
            List<Purchase> out = new ArrayList<>();
            int n = 0;
            while (t < HISTORY_DAYS) {
                double z = gamma(P) / nu;
                // not String.format: the generator runs inside the timed ingestion, on the service's cores
                out.add(new Purchase(n++, START.plusMillis((long) (t * 86_400_000L)), amount(Math.min(z, 999_999))));
                if (n > 1 && rnd.nextDouble() < p) {
                    break;
                }
                t += -Math.log(1 - rnd.nextDouble()) / lambda;
            }
            return out;
        }

        /** Marsaglia-Tsang with the u^(1/k) boost for k &lt; 1; unit scale. */
        double gamma(double k) {
            if (k < 1) {
                return gamma(k + 1) * Math.pow(rnd.nextDouble(), 1 / k);
            }
            double d = k - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
            while (true) {
                double x, v;
                do {
                    x = normal();
                    v = 1 + c * x;
                } while (v <= 0);
                v = v * v * v;
                double u = rnd.nextDouble();
                if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                    return d * v;
                }
            }
        }

        double beta(double a, double b) {
            double x = gamma(a);
            return x / (x + gamma(b));
        }

        private double normal() {
            double u = 1 - rnd.nextDouble(), v = rnd.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }
    }
}
