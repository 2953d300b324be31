package io.loyalty.clv.ingest;

import java.util.List;
import java.util.Map;

import io.loyalty.clv.ingest.Records.Purchase;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.util.MimeType;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the body of POST /api/v1/purchases/batch: the plain valid batch through PurchaseBatchParser, any other
 * body exactly as the endpoint read it when it took a JsonNode, with the reader Spring picks for a JsonNode
 * (same media types, same size limit and DataBufferLimitException, same decoding errors, empty body still
 * "No request body"), then validated in the controller as before.
 */
final class PurchaseBodyReader implements HttpMessageReader<PurchaseBodyReader.Body> {

    /** Validated purchases from the streaming read, or else the tree for Validation.purchases. */
    record Body(List<Purchase> purchases, JsonNode tree) {
    }

    private static final ResolvableType BODY = ResolvableType.forClass(Body.class);
    private static final ResolvableType JSON_NODE = ResolvableType.forClass(JsonNode.class);

    private final Validation validation;
    private final ServerCodecConfigurer codecs;
    /** The configured readers but this one, looked up on first use, when every codec customizer has run. */
    private volatile List<HttpMessageReader<?>> others;
    private volatile Parsing parsing;

    /** The parser for one Jackson decoder (the configured one; a different decoder gets its own). */
    private record Parsing(JacksonJsonDecoder decoder, PurchaseBatchParser parser) {
    }

    PurchaseBodyReader(Validation validation, ServerCodecConfigurer codecs) {
        this.validation = validation;
        this.codecs = codecs;
    }

    /** Registers the reader as a typed one: asked before Jackson's and only for Body. */
    @Configuration(proxyBeanMethods = false)
    static class Registration implements WebFluxConfigurer {

        static {
            // the API docs go on showing the JSON body the endpoint takes
            SpringDocUtils.getConfig().replaceWithClass(Body.class, JsonNode.class);
        }

        private final Validation validation;

        Registration(Validation validation) {
            this.validation = validation;
        }

        @Override
        public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
            configurer.customCodecs().register(new PurchaseBodyReader(validation, configurer));
        }
    }

    private List<HttpMessageReader<?>> others() {
        List<HttpMessageReader<?>> readers = others;
        if (readers == null) {
            readers = codecs.getReaders().stream().filter(r -> r != this).toList();
            others = readers;
        }
        return readers;
    }

    /** The reader the argument resolver would have used for a JsonNode body of this media type. */
    private HttpMessageReader<?> jsonNodeReader(MediaType mediaType) {
        for (HttpMessageReader<?> reader : others()) {
            if (reader.canRead(JSON_NODE, mediaType)) {
                return reader;
            }
        }
        return null;
    }

    /** The streaming parser when the JsonNode reader is the plain Jackson decoder; else null (read as a tree). */
    private Parsing parsing(HttpMessageReader<?> reader) {
        if (!(reader instanceof DecoderHttpMessageReader<?> r) || r.getClass() != DecoderHttpMessageReader.class
                || !(r.getDecoder() instanceof JacksonJsonDecoder decoder)
                || decoder.getClass() != JacksonJsonDecoder.class) {
            return null;
        }
        Map<MimeType, JsonMapper> registered = decoder.getMappersForType(JsonNode.class);
        if (registered != null && !registered.isEmpty()) {
            return null; // a mapper chosen per media type: not worth following
        }
        Parsing current = parsing;
        if (current == null || current.decoder() != decoder) {
            current = new Parsing(decoder, new PurchaseBatchParser(validation, decoder.getMapper()));
            parsing = current;
        }
        return current;
    }

    @Override
    public List<MediaType> getReadableMediaTypes() {
        return getReadableMediaTypes(BODY);
    }

    @Override
    public List<MediaType> getReadableMediaTypes(ResolvableType elementType) {
        if (elementType.toClass() != Body.class) {
            return List.of();
        }
        return others().stream().flatMap(r -> r.getReadableMediaTypes(JSON_NODE).stream()).distinct().toList();
    }

    @Override
    public boolean canRead(ResolvableType elementType, MediaType mediaType) {
        return elementType.toClass() == Body.class && jsonNodeReader(mediaType) != null;
    }

    @Override
    public Flux<Body> read(ResolvableType elementType, ReactiveHttpInputMessage message, Map<String, Object> hints) {
        return Flux.from(readMono(elementType, message, hints));
    }

    @Override
    public Mono<Body> readMono(ResolvableType elementType, ReactiveHttpInputMessage message,
                               Map<String, Object> hints) {
        // the content type as DecoderHttpMessageReader passes it to its decoder
        MediaType contentType = message.getHeaders().getContentType();
        MediaType mediaType = contentType != null ? contentType : MediaType.APPLICATION_OCTET_STREAM;
        HttpMessageReader<?> reader = jsonNodeReader(mediaType);
        if (reader == null) { // canRead said no: the resolver does not call
            return Mono.error(new IllegalStateException("No JsonNode reader for " + mediaType));
        }
        Parsing parsing = parsing(reader);
        if (parsing == null) {
            return reader.readMono(JSON_NODE, message, hints).map(tree -> new Body(null, (JsonNode) tree));
        }
        // what the decoder's decodeToMono does: join up to the limit, then decode the whole
        JacksonJsonDecoder decoder = parsing.decoder();
        return DataBufferUtils.join(message.getBody(), decoder.getMaxInMemorySize()).flatMap(buffer -> {
            byte[] bytes = new byte[buffer.readableByteCount()];
            try {
                buffer.read(bytes);
            } finally {
                DataBufferUtils.release(buffer);
            }
            List<Purchase> purchases = parsing.parser().read(bytes);
            if (purchases != null) {
                return Mono.just(new Body(purchases, null));
            }
            Object tree = decoder.decode(DefaultDataBufferFactory.sharedInstance.wrap(bytes), JSON_NODE, mediaType,
                    hints);
            return Mono.justOrEmpty(tree).map(node -> new Body(null, (JsonNode) node));
        });
    }
}
