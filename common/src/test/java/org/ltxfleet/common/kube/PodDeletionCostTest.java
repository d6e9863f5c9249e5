package org.ltxfleet.common.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a fake Kubernetes API over plain HTTP, with the service account's files in a temporary folder. */
class PodDeletionCostTest {

    /** One request the fake API server received. */
    record Patch(String method, String path, String contentType, String authorization, String body) {
    }

    private final List<Patch> patches = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer api;
    private PodDeletionCost.Account account;

    @TempDir
    Path dir;

    @BeforeEach
    void startFakeApi() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", exchange -> {
            patches.add(new Patch(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] reply = status.get() == 200 ? "{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8)
                    : ("{\"kind\":\"Status\",\"reason\":\"Forbidden\",\"message\":\"pods \\\"train-worker-7\\\" is "
                    + "forbidden: User \\\"system:serviceaccount:fleet:default\\\" cannot patch resource \\\"pods\\\"\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        api.start();
        Files.writeString(dir.resolve("token"), "first-token\n");
        Files.writeString(dir.resolve("namespace"), "fleet");
        account = new PodDeletionCost.Account(dir.resolve("token"), dir.resolve("namespace"), dir.resolve("ca.crt"));
    }

    @AfterEach
    void stopFakeApi() {
        api.stop(0);
    }

    private PodDeletionCost cost() throws IOException {
        return new PodDeletionCost(URI.create("http://127.0.0.1:" + api.getAddress().getPort()), "train-worker-7",
                account, HttpClient.newHttpClient(), warnings::add);
    }

    @Test
    void aBusyPodIsPatchedCostlyToDeleteWithTheServiceAccountsToken() throws IOException {
        assertThat(cost().send(PodDeletionCost.BUSY)).isTrue();

        assertThat(patches).containsExactly(new Patch("PATCH", "/api/v1/namespaces/fleet/pods/train-worker-7",
                "application/merge-patch+json", "Bearer first-token",
                "{\"metadata\":{\"annotations\":{\"controller.kubernetes.io/pod-deletion-cost\":\"1000\"}}}"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void anIdlePodIsPatchedBackToTheDefaultCost() throws IOException {
        assertThat(cost().send(PodDeletionCost.IDLE)).isTrue();

        assertThat(patches).singleElement().extracting(Patch::body)
                .isEqualTo("{\"metadata\":{\"annotations\":{\"controller.kubernetes.io/pod-deletion-cost\":\"0\"}}}");
    }

    @Test
    void theTokenIsReadAgainOnEachCallBecauseKubeletRotatesIt() throws IOException {
        var cost = cost();
        cost.send(PodDeletionCost.BUSY);
        Files.writeString(dir.resolve("token"), "rotated-token");
        cost.send(PodDeletionCost.IDLE);

        assertThat(patches).extracting(Patch::authorization).containsExactly("Bearer first-token", "Bearer rotated-token");
    }

    @Test
    void aRefusedPatchIsSwallowedWithOneWarningNamingTheRbacNeeded() throws IOException {
        status.set(403);
        var cost = cost();

        assertThatCode(() -> assertThat(cost.send(PodDeletionCost.BUSY)).isFalse()).doesNotThrowAnyException();
        assertThat(warnings).singleElement().asString()
                .contains("403", "train-worker-7", "fleet", "patch", "pods");
    }

    @Test
    void anUnreachableApiIsSwallowedWithAWarning() throws IOException {
        var cost = new PodDeletionCost(URI.create("http://127.0.0.1:1"), "train-worker-7", account,
                HttpClient.newHttpClient(), warnings::add);

        assertThatCode(() -> assertThat(cost.send(PodDeletionCost.BUSY)).isFalse()).doesNotThrowAnyException();
        assertThat(warnings).hasSize(1);
    }

    @Test
    void jobsStartingAndEndingLeaveThePodAtTheLastCostWithoutWaitingForTheApi() throws Exception {
        try (var cost = cost()) {
            cost.jobStarted("job-1");
            cost.jobEnded("job-1");
            cost.jobStarted("job-2");
            cost.flush(Duration.ofSeconds(5));
        }
        assertThat(patches).isNotEmpty();
        assertThat(patches.getLast().body()).contains("\"1000\"");
    }

    @Test
    void repeatedFailuresWarnOnceUntilAPatchSucceedsAgain() throws Exception {
        status.set(403);
        try (var cost = cost()) {
            cost.jobStarted("job-1");
            cost.flush(Duration.ofSeconds(5));
            cost.jobEnded("job-1");
            cost.flush(Duration.ofSeconds(5));
            assertThat(warnings).hasSize(1);
            status.set(200);
            cost.jobStarted("job-2");
            cost.flush(Duration.ofSeconds(5));
            status.set(403);
            cost.jobEnded("job-2");
            cost.flush(Duration.ofSeconds(5));
        }
        assertThat(warnings).hasSize(2);
    }

    @Test
    void outsideAKubernetesPodNothingIsMarked() {
        assertThat(PodDeletionCost.inCluster(java.util.Map.of(), "train-worker-7", account)).isEmpty();
        assertThat(PodDeletionCost.inCluster(java.util.Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
                "KUBERNETES_SERVICE_PORT", "443"), "train-worker-7", account)).as("no CA certificate mounted").isEmpty();
    }

    @Test
    void theApiServersAddressComesFromTheServiceEnvironment() {
        assertThat(PodDeletionCost.apiServer("10.96.0.1", "443")).isEqualTo(URI.create("https://10.96.0.1:443"));
        assertThat(PodDeletionCost.apiServer("fd00::1", "6443")).isEqualTo(URI.create("https://[fd00::1]:6443"));
    }
}
