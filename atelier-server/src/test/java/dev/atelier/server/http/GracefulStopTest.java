package dev.atelier.server.http;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.javalin.http.HandlerType.GET;
import static org.assertj.core.api.Assertions.assertThat;

/** Stopping the server lets a request that is being handled finish and answer. */
class GracefulStopTest {
    @Test
    void inFlightRequestFinishesWhenTheServerStops() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        RouteTable slow = () -> List.of(Route.server(GET, "/slow", Permission.PUBLIC, ctx -> {
            entered.countDown();
            Thread.sleep(1500);
            Responses.json(ctx, java.util.Map.of("done", true));
        }));
        HttpServer server = new HttpServer(List.of(slow), workspace -> { }, new SimpleMeterRegistry()).start("127.0.0.1", 0);
        CompletableFuture<HttpResponse<String>> response = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        server.close();
        HttpResponse<String> answered = response.get(10, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo("{\"done\":true}");
    }
}
