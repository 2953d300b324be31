import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServer;

import java.nio.charset.StandardCharsets;

/**
 * The downstream for the gateway benchmark: a Reactor Netty server (the same server the services run
 * on) answering every GET with a fixed small JSON body, so that what is measured is the gateway.
 * Run with: java -cp <reactor-netty classpath> Backend.java <port>
 */
public class Backend {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        byte[] body = "{\"id\":\"bench\",\"name\":\"benchmark survey\",\"kind\":\"NPS\",\"question\":\"How likely?\"}"
                .getBytes(StandardCharsets.UTF_8);
        HttpServer.create().host("127.0.0.1").port(port)
                .handle((request, response) -> response.header("Content-Type", "application/json")
                        .header("Content-Length", Integer.toString(body.length))
                        .sendByteArray(Mono.just(body)).then())
                .bindNow()
                .onDispose()
                .block();
    }
}
