package org.ltxfleet.infra.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 API in this JVM: S3Proxy serving a filesystem blob store (one directory per bucket),
 * on loopback only, with AWS v2/v4 signatures, multipart uploads and presigned URLs. Objects
 * survive a restart on the same directory.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private final S3Proxy proxy;
    private final URI endpoint;

    private EmbeddedS3(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** Starts the store on 127.0.0.1:{@code port} (0 picks a free one) with objects under {@code dataDir}. */
    public static EmbeddedS3 start(Path dataDir, int port, String accessKey, String secretKey) throws IOException {
        Files.createDirectories(dataDir);
        var proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                // Presigned URLs handed to clients may be used a while after signing.
                .maximumTimeSkew(15 * 60)
                .build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                if ("FAILED".equals(proxy.getState())) {
                    throw new IOException("S3Proxy failed to start on port " + port);
                }
                Thread.sleep(5);
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (e.getCause() instanceof java.net.BindException bind) {
                throw bind;
            }
            throw new IOException("could not start the embedded S3 store: " + e.getMessage(), e);
        }
        return new EmbeddedS3(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    /** The S3 API endpoint, for path-style clients. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
