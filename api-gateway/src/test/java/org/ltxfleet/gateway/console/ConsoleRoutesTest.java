package org.ltxfleet.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's files as the gateway serves them: their types, headers and nothing else. */
class ConsoleRoutesTest {

    private static final String STORE = "http://127.0.0.1:19000";
    private static Vertx vertx;
    private static int port;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void serve() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new ConsoleRoutes(ConsoleFiles.load(), new ConsolePolicy(STORE)).mount(router);
        port = vertx.createHttpServer().requestHandler(router).listen(0)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageComesWithAStrictPolicyThatAllowsOnlyItselfAndTheStoresMedia() throws Exception {
        var page = get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'self'", "script-src 'self'", "connect-src 'self'",
                "img-src 'self' blob: " + STORE, "media-src 'self' " + STORE, "frame-ancestors 'none'",
                "object-src 'none'", "form-action 'none'").doesNotContain("unsafe-inline", "unsafe-eval", "*");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    @Test
    void scriptsAndStylesHaveTheirTypesAndTheSameHeaders() throws Exception {
        var script = get("/console/js/app.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(get("/console/console.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    }

    @Test
    void theBarePathIsSentOnToTheFolderSoRelativeLinksResolve() throws Exception {
        var bare = get("/console");
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).hasValue("/console/");
    }

    @Test
    void onlyTheConsolesOwnFilesAreServed() throws Exception {
        assertThat(get("/console/nothing.js").statusCode()).isEqualTo(404);
        assertThat(get("/console/../../pom.xml").statusCode()).isEqualTo(404);
        assertThat(get("/console/%2e%2e/%2e%2e/pom.xml").statusCode()).isEqualTo(404);
        assertThat(get("/console/js/").statusCode()).isEqualTo(404);
    }

    @Test
    void anUnchangedFileAnswers304() throws Exception {
        String etag = get("/console/js/app.js").headers().firstValue("ETag").orElseThrow();
        assertThat(get("/console/js/app.js", "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void theStoreOriginIsThatOfItsPresignedLinks() {
        assertThat(ConsolePolicy.forStoreLink("http://127.0.0.1:19000/ltx-fleet/console?X-Amz-Signature=ab").storeOrigin())
                .isEqualTo("http://127.0.0.1:19000");
        assertThat(ConsolePolicy.forStoreLink("https://ltx-fleet.s3.eu-west-1.amazonaws.com/console?X-Amz-Date=1")
                .storeOrigin()).isEqualTo("https://ltx-fleet.s3.eu-west-1.amazonaws.com");
        assertThat(new ConsolePolicy(null).contentSecurityPolicy()).contains("media-src 'self';");
    }
}
