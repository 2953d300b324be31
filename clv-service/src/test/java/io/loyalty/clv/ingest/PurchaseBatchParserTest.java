package io.loyalty.clv.ingest;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.loyalty.clv.ingest.Records.Purchase;
import io.loyalty.clv.web.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming read of purchase batches against the definition it replaces: the JSON decoder's JsonNode
 * (decodeToMono, as the endpoint bound it) walked by Validation.purchases. On generated bodies, valid and not,
 * both must give the same purchases or the same error (status, title, detail, every field error in order) or
 * the same decoding failure, under the default mapper and under mappers with other features.
 */
class PurchaseBatchParserTest {

    private static final ResolvableType JSON_NODE = ResolvableType.forClass(JsonNode.class);
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static Validation newValidation(int maxBatchSize, BigDecimal maxAmount) {
        IngestProperties properties = new IngestProperties(maxBatchSize, maxAmount,
                Duration.ofMinutes(5), "USD", Map.of("GBP", new BigDecimal("1.2345")), 8, 5000);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return new Validation(properties, new ObjectProvider<>() {
            @Override
            public Clock getIfAvailable(Supplier<Clock> defaultSupplier) {
                return clock;
            }
        });
    }

    /** The reader wired as the application wires it, over a configurer whose JSON decoder uses mapper. */
    private record Setup(Validation validation, JacksonJsonDecoder decoder, PurchaseBodyReader reader,
                         PurchaseBatchParser parser) {

        static Setup of(JsonMapper mapper, int maxBatchSize, BigDecimal maxAmount) {
            Validation validation = newValidation(maxBatchSize, maxAmount);
            ServerCodecConfigurer codecs = ServerCodecConfigurer.create();
            JacksonJsonDecoder decoder = new JacksonJsonDecoder(mapper);
            codecs.defaultCodecs().jacksonJsonDecoder(decoder);
            codecs.defaultCodecs().maxInMemorySize(64 * 1024);
            PurchaseBodyReader reader = new PurchaseBodyReader(validation, codecs);
            codecs.customCodecs().register(reader);
            codecs.getReaders(); // applies the size limit, as the application context does
            return new Setup(validation, decoder, reader, new PurchaseBatchParser(validation, mapper));
        }

        /** The body in chunks, as a server receives it (DataBufferUtils.join does not limit a Mono). */
        private static Flux<DataBuffer> bytes(byte[] body) {
            List<DataBuffer> chunks = new ArrayList<>();
            for (int at = 0; at < body.length; at += 1000) {
                chunks.add(DefaultDataBufferFactory.sharedInstance.wrap(
                        java.util.Arrays.copyOfRange(body, at, Math.min(body.length, at + 1000))));
            }
            return Flux.fromIterable(chunks);
        }

        /** What the endpoint did with the body before: a JsonNode from decodeToMono, then Validation.purchases. */
        String reference(byte[] body) {
            return outcome(decoder.decodeToMono(bytes(body), JSON_NODE, MediaType.APPLICATION_JSON, Map.of())
                    .map(tree -> validation.purchases((JsonNode) tree)));
        }

        /** What it does now: the reader's Body, then the controller's choice. */
        String candidate(byte[] body) {
            return candidate(body, new boolean[1]);
        }

        /** parsed[0] tells whether the reader's streaming parse answered. */
        String candidate(byte[] body, boolean[] parsed) {
            MockServerHttpRequest request = MockServerHttpRequest.post("/api/v1/purchases/batch")
                    .contentType(MediaType.APPLICATION_JSON).body(bytes(body));
            return outcome(reader.readMono(ResolvableType.forClass(PurchaseBodyReader.Body.class), request, Map.of())
                    .map(b -> {
                        parsed[0] = b.purchases() != null;
                        return parsed[0] ? b.purchases() : validation.purchases(b.tree());
                    }));
        }

        private static String outcome(Mono<List<Purchase>> result) {
            try {
                List<Purchase> purchases = result.block();
                return purchases == null ? "no body" : "purchases " + purchases;
            } catch (ApiException e) {
                return "problem " + e.status() + " " + e.title() + " " + e.getMessage() + " " + e.errors();
            } catch (RuntimeException e) {
                return "failed " + e.getClass().getName() + " " + e.getMessage();
            }
        }
    }

    private static final class Bodies {

        private final Random random;
        /** A body of the contract's plain shape with valid values only (the streaming parser's own case). */
        private boolean clean;

        Bodies(long seed) {
            random = new Random(seed);
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        /** A deviation from the plain valid shape, never in a clean body. */
        private boolean chance(double p) {
            return !clean && random.nextDouble() < p;
        }

        private static String quoted(String s) {
            return "\"" + s + "\"";
        }

        private String validId() {
            return quoted(pick(List.of("a", "o-1", "ö東", "😀x", "12345678", "A B", "x\\\"y", "\\u00e9t\\u00E9",
                    "c\\/d", "k" + random.nextInt(1000))));
        }

        private String validTime() {
            return quoted(pick(List.of("2024-01-05T10:15:30Z", "2024-02-29T23:59:59.999999Z",
                    "2026-03-01T12:04:59Z", "1970-01-01T00:00:00Z", "2024-01-05T10:15:30.123456789Z",
                    "2024-01-05T10:15:30+05:30", "2024-01-06T00:00:00.5-00:30", "2025-12-31T23:59:59.1+18:00",
                    "1999-12-31T23:59:59-01:00")));
        }

        private String validAmount() {
            return pick(List.of("0", "-0", "0.0", "-0.0", "1", "12.5", "12.50", "1.00000", "1e2", "1E+2", "1e-4",
                    "0.0001", "999999.9999", "1000000", "1000000.0000", "0.1", "2.675", "100.25", "4e5",
                    "12.34560000000000000001", "2147483648", "99999", "5e-1", "1.0E3",
                    // beyond a double's 15 to 17 digits: the tree's DoubleNode decides the value
                    "1234567890123.4567", "99999999999999.9999", "999999.99999999999", "9007199254740993"));
        }

        private String validCurrency() {
            return quoted(pick(List.of("USD", "GBP", "\\u0055SD")));
        }

        /** Anything a field may hold, valid for that field mostly, else of any kind. */
        private String value(String field) {
            if (clean || random.nextDouble() < 0.8) {
                return switch (field) {
                    case "orderId", "customerId" -> validId();
                    case "occurredAt" -> validTime();
                    case "amount" -> validAmount();
                    default -> validCurrency();
                };
            }
            return pick(List.of("null", "true", "false", "[]", "{}", "[1]", "{\"a\": 1}", "\"\"", "\" a\"",
                    "\"a \"",
                    "\"a\\u0001\"", "\"a\\tb\"", "\"123456789\"", "\"\\ud800\"", "\"\\u2028\"", "\"USD\"", "\"usd\"",
                    "\"EUR\"", "\"XYZ\"", "\"US\"", "\"USDD\"", "12", "12.5", "-1", "-0.0001", "1000000.01",
                    "1000000.00001", "1.23456", "0.00001", "1e400", "-1e400", "1e-400", "123456789012345678901234567890",
                    "9223372036854775808", "-9223372036854775809", "0.30000000000000004", "\"12.50\"", "\"1e2\"",
                    "\"2999-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59.999999Z\"", "\"2024-01-01\"",
                    "\"2024-01-01T10:00:00\"", "\"2024-02-30T10:00:00Z\"", "\"2024-01-01T24:00:00Z\"",
                    "\"2026-03-01T12:05:00.000001Z\"", "\"2026-03-01T12:05:00Z\"", "\"+2024-01-01T00:00:00Z\"",
                    "\"2024-01-01T00:00:00+18:00\"", "\"2024-01-01T00:00:00+19:00\"", "\"2024-01-01t00:00:00z\"",
                    "NaN", "Infinity", "01", "1.", ".5", "+1", "'a'", "\"unterminated"));
        }

        private String item() {
            List<String> fields = new ArrayList<>(List.of("orderId", "customerId", "occurredAt", "amount",
                    "currency"));
            java.util.Collections.shuffle(fields, random);
            if (chance(0.1)) {
                fields.remove(random.nextInt(fields.size()));
            }
            if (chance(0.05)) {
                fields.add(random.nextInt(fields.size() + 1), pick(fields)); // a repeated key
            }
            if (chance(0.05)) {
                fields.add(random.nextInt(fields.size() + 1), pick(List.of("note", "orderid", "order\\u0049d", "")));
            }
            List<String> members = new ArrayList<>();
            for (String field : fields) {
                members.add(quoted(field) + pick(List.of(":", ": ", " :\n ")) + value(field));
            }
            return "{" + String.join(pick(List.of(",", ", ", ",\n")), members) + "}";
        }

        private String items(int maxBatchSize) {
            int n = chance(0.05) ? 0 : chance(0.05) ? maxBatchSize + 1 : 1 + random.nextInt(Math.min(8, maxBatchSize));
            List<String> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.add(chance(0.02) ? pick(List.of("1", "null", "[]", "\"x\"")) : item());
            }
            return "[" + String.join(",", items) + "]";
        }

        String body(int maxBatchSize) {
            clean = random.nextDouble() < 0.3;
            String items = items(maxBatchSize);
            StringBuilder body = new StringBuilder();
            if (random.nextDouble() < 0.03) {
                body.append(pick(List.of("\uFEFF", " \n\t")));
            }
            if (chance(0.05)) {
                body.append(pick(List.of("[]", "null", "1", "\"purchases\"", items)));
            } else {
                List<String> members = new ArrayList<>();
                members.add(chance(0.03) ? "\"purchases\": " + pick(List.of("{}", "null", "1", "\"[]\""))
                        : "\"purchases\": " + items);
                if (chance(0.05)) {
                    members.add(random.nextInt(2), pick(List.of("\"batch\": 1", "\"meta\": {\"x\": [1, 2.5, null]}",
                            "\"purchases\": " + items(maxBatchSize), "\"Purchases\": []")));
                }
                if (chance(0.03)) {
                    members.clear();
                }
                body.append('{').append(String.join(", ", members)).append('}');
            }
            if (chance(0.05)) {
                body.append(pick(List.of(" ", "\n", "}", "]", "{}", " x", ",", "//")));
            }
            String text = body.toString();
            if (chance(0.03)) {
                text = text.substring(0, random.nextInt(text.length() + 1)); // truncated
            }
            byte[] bytes = text.getBytes(random.nextInt(5) > 0 ? StandardCharsets.UTF_8
                    : pick(List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)));
            if (chance(0.02) && bytes.length > 0) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256); // corrupted
            }
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** Generated bodies through both paths; returns how many the streaming parser answered itself. */
    private static int compare(JsonMapper mapper, int maxBatchSize, long seed, int count) {
        return compare(mapper, maxBatchSize, new BigDecimal("1000000"), seed, count);
    }

    private static int compare(JsonMapper mapper, int maxBatchSize, BigDecimal maxAmount, long seed, int count) {
        Setup setup = Setup.of(mapper, maxBatchSize, maxAmount);
        Bodies bodies = new Bodies(seed);
        int parsed = 0;
        for (int k = 0; k < count; k++) {
            byte[] body = bodies.body(maxBatchSize).getBytes(StandardCharsets.ISO_8859_1);
            String reference = setup.reference(body);
            String shown = new String(body, StandardCharsets.UTF_8);
            boolean[] readerParsed = new boolean[1];
            assertThat(setup.candidate(body, readerParsed)).as(shown).isEqualTo(reference);
            List<Purchase> fast = setup.parser().read(body);
            assertThat(readerParsed[0]).as("the reader uses the parser: %s", shown).isEqualTo(fast != null);
            if (fast != null) {
                parsed++;
                assertThat("purchases " + fast).as(shown).isEqualTo(reference);
            }
        }
        return parsed;
    }

    @Test
    void generatedBodiesGetWhatTheTreeGave() {
        int count = 30_000;
        int parsed = compare(JsonMapper.builder().build(), 6, 1, count);
        // the comparison only means something if valid batches do take the streaming path
        assertThat(parsed).isGreaterThan(count / 6);
    }

    @Test
    void amountsWithMoreDigitsThanADoubleHoldsAreTheDoublesValue() {
        // accepted under a larger maxAmount: 1234567890123.4567 is stored as the tree's double made it
        assertThat(compare(JsonMapper.builder().build(), 6, new BigDecimal("1E15"), 2, 10_000)).isGreaterThan(1000);
    }

    @Test
    void otherMapperFeaturesAreFollowedOrLeftToTheTree() {
        List<UnaryOperator<JsonMapper.Builder>> variants = List.of(
                b -> b.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS),
                b -> b.enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS),
                b -> b.enable(DeserializationFeature.USE_LONG_FOR_INTS),
                b -> b.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                        .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS),
                b -> b.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
                        JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
                        JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS, JsonReadFeature.ALLOW_TRAILING_COMMA,
                        JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_JAVA_COMMENTS,
                        JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS));
        long seed = 100;
        for (UnaryOperator<JsonMapper.Builder> variant : variants) {
            assertThat(compare(variant.apply(JsonMapper.builder()).build(), 6, seed++, 5_000)).isPositive();
        }
    }

    @Test
    void largeBatchesAndTheErrorCap() {
        Setup setup = Setup.of(JsonMapper.builder().build(), 300, new BigDecimal("1000000"));
        String valid = "{\"orderId\": \"o%d\", \"customerId\": \"c\", \"occurredAt\": \"2024-01-05T10:15:30Z\", "
                + "\"amount\": %d.5, \"currency\": \"USD\"}";
        String invalid = "{\"orderId\": \"\", \"customerId\": 1, \"occurredAt\": \"2999-01-01T00:00:00Z\", "
                + "\"amount\": -1, \"currency\": \"usd\", \"x\": %d}";
        for (int n : List.of(1, 299, 300, 301)) {
            for (String item : List.of(valid, invalid)) {
                List<String> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(item.formatted(i, i));
                }
                byte[] body = ("{\"purchases\": [" + String.join(",", items) + "]}").getBytes(StandardCharsets.UTF_8);
                String reference = setup.reference(body);
                boolean[] parsed = new boolean[1];
                assertThat(setup.candidate(body, parsed)).isEqualTo(reference);
                assertThat(parsed[0]).isEqualTo(item.equals(valid) && n <= 300);
            }
        }
        // beyond the decoder's in-memory limit: the same DataBufferLimitException
        byte[] large = ("{\"purchases\": [" + "1,".repeat(40_000) + "1]}").getBytes(StandardCharsets.UTF_8);
        assertThat(setup.candidate(large))
                .startsWith("failed org.springframework.core.io.buffer.DataBufferLimitException")
                .isEqualTo(setup.reference(large));
    }
}
