package org.ltxfleet.common.kube;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.ltxfleet.common.kafka.StageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks this worker's pod costly to delete while it runs a job, so that a scale-down (KEDA, the
 * HPA) takes idle workers first and a training run hours in goes last. The ReplicaSet controller
 * deletes pods with the lowest {@value #ANNOTATION} first (beta, on by default since Kubernetes
 * 1.22; an int32 as a string, missing reads as 0): a job's start sets {@value #BUSY}, its end
 * {@value #IDLE}.
 *
 * <p>Best effort, never in a job's way: the observer calls return at once and one thread of its
 * own sends the patches in order, each bounded by a 2 s timeout, sending only the latest wanted cost
 * (a job that starts and ends quickly may send nothing). A refused or failed patch (no RBAC, the API
 * away) is logged as one warning, later ones at debug until a patch succeeds again.
 *
 * <p>The pod's ServiceAccount needs a Role allowing verb {@code patch} on resource {@code pods} in
 * its namespace ({@code get} is not needed: a merge patch sends only the annotation).
 *
 * <p>Written against the JDK's {@link HttpClient} rather than a Kubernetes client library:
 * fabric8's kubernetes-client would bring its API model (some twenty jars, one per API group), an
 * HTTP client and a YAML parser into every worker image, for one PATCH. It does what such a
 * client does in a pod: the service account's token, read again on each call (the kubelet rotates
 * it), its namespace file and CA certificate, and the API server from
 * {@code KUBERNETES_SERVICE_HOST}/{@code KUBERNETES_SERVICE_PORT}.
 */
public final class PodDeletionCost implements StageConsumer.JobObserver, AutoCloseable {

    /** The annotation the ReplicaSet controller reads when it chooses pods to delete. */
    public static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";
    /** The cost of a pod running a job. */
    public static final int BUSY = 1000;
    /** The cost of an idle pod: the value of a pod without the annotation. */
    public static final int IDLE = 0;

    private static final Logger LOG = LoggerFactory.getLogger(PodDeletionCost.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int UNKNOWN = Integer.MIN_VALUE;

    /**
     * Where a pod's service account is mounted.
     *
     * @param token     the bearer token, rotated by the kubelet
     * @param namespace the pod's namespace
     * @param caCert    the certificates of the API server's CA, PEM
     */
    public record Account(Path token, Path namespace, Path caCert) {
        /** The folder Kubernetes mounts a pod's service account in. */
        public static final Path MOUNTED = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

        /** The account mounted in {@code dir}. */
        public static Account in(Path dir) {
            return new Account(dir.resolve("token"), dir.resolve("namespace"), dir.resolve("ca.crt"));
        }
    }

    private final URI pod;
    private final String podName;
    private final String namespace;
    private final Account account;
    private final HttpClient client;
    private final Consumer<String> warnings;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("pod-deletion-cost").daemon().factory());
    private volatile int wanted = IDLE;
    /** The cost last patched, or {@link #UNKNOWN}; the sender's only. */
    private int sent = UNKNOWN;
    /** Whether the last patch failed (warned already). */
    private boolean failing;

    /** Patches pod {@code podName} through the API server at {@code apiServer}; warnings go to {@code warnings}. */
    PodDeletionCost(URI apiServer, String podName, Account account, HttpClient client, Consumer<String> warnings)
            throws IOException {
        this.namespace = Files.readString(account.namespace()).strip();
        this.podName = podName;
        this.pod = apiServer.resolve("/api/v1/namespaces/" + namespace + "/pods/" + podName);
        this.account = account;
        this.client = client;
        this.warnings = warnings;
    }

    /**
     * The cost of pod {@code podName}, run from inside it with its mounted service account; empty,
     * with a warning, outside a Kubernetes pod or when the account is not mounted.
     */
    public static Optional<PodDeletionCost> inCluster(String podName) {
        return inCluster(System.getenv(), podName, Account.in(Account.MOUNTED));
    }

    static Optional<PodDeletionCost> inCluster(Map<String, String> env, String podName, Account account) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String port = env.get("KUBERNETES_SERVICE_PORT");
        if (host == null || port == null || podName == null || podName.isBlank()) {
            LOG.warn("worker.pod.deletion.cost is on but this is no Kubernetes pod (KUBERNETES_SERVICE_HOST/PORT, "
                    + "or worker.name / HOSTNAME unset): busy workers are not marked");
            return Optional.empty();
        }
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).sslContext(trusting(account.caCert()))
                    .build();
            var cost = new PodDeletionCost(apiServer(host, port), podName, account, client, LOG::warn);
            LOG.info("marking pod {}/{} with {} {} while it runs a job", cost.namespace, podName, ANNOTATION, BUSY);
            return Optional.of(cost);
        } catch (IOException | GeneralSecurityException e) {
            LOG.warn("worker.pod.deletion.cost is on but the service account in {} cannot be read ({}): busy workers "
                    + "are not marked", account.token().getParent(), e.toString());
            return Optional.empty();
        }
    }

    /** The API server's address from the service environment Kubernetes gives every pod. */
    static URI apiServer(String host, String port) {
        return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    /** TLS trusting only the CA certificates in {@code caCert} (PEM, one or more). */
    private static SSLContext trusting(Path caCert) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }

    @Override
    public void jobStarted(String key) {
        want(BUSY);
    }

    @Override
    public void jobEnded(String key) {
        want(IDLE);
    }

    private void want(int cost) {
        wanted = cost;
        try {
            sender.execute(this::catchUp);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            LOG.debug("closed; pod-deletion-cost {} not sent", cost);
        }
    }

    /** On the sender: patches the latest wanted cost unless the pod has it already. */
    private void catchUp() {
        int cost = wanted;
        if (cost != sent) {
            sent = send(cost) ? cost : UNKNOWN;
        }
    }

    /**
     * Patches the pod's annotation to {@code cost} and waits for the answer (2 s at most); false,
     * with a warning, when that failed. Never throws.
     */
    synchronized boolean send(int cost) {
        String body = "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + cost + "\"}}}";
        try {
            var request = HttpRequest.newBuilder(pod).timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + Files.readString(account.token()).strip())
                    .header("Content-Type", "application/merge-patch+json")
                    .header("Accept", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                LOG.debug("pod {}/{}: {} {}", namespace, podName, ANNOTATION, cost);
                failing = false;
                return true;
            }
            failed(cost, "HTTP " + response.statusCode() + " " + brief(response.body()) + hint(response.statusCode()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(cost, "interrupted");
        } catch (IOException | RuntimeException e) {
            failed(cost, e.toString() + hint(0));
        }
        return false;
    }

    private String hint(int status) {
        return switch (status) {
            case 404 -> "; no such pod: set worker.name to the pod's name (metadata.name)";
            case 401, 403 -> "; the pod's ServiceAccount needs a Role allowing verb \"patch\" on resource \"pods\" in "
                    + "namespace " + namespace;
            default -> "; if the API server answers, the pod's ServiceAccount needs verb \"patch\" on \"pods\"";
        };
    }

    private void failed(int cost, String why) {
        String line = "could not set " + ANNOTATION + "=" + cost + " on pod " + namespace + "/" + podName + " (" + why
                + "); jobs run on regardless, but a scale-down may pick a busy worker";
        if (failing) {
            LOG.debug(line);
        } else {
            warnings.accept(line);
        }
        failing = true;
    }

    private static String brief(String body) {
        String line = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /** Waits until every cost wanted so far has been sent or has failed, {@code timeout} at most. */
    void flush(Duration timeout) throws Exception {
        sender.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops sending; a patch in flight gets its 2 s. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
