package org.ltxfleet.infra.stack;

import java.io.IOException;
import org.ltxfleet.common.s3.S3Clients;
import org.ltxfleet.common.s3.S3Settings;

/** The stack's object store as a part of its own: locks its directory, starts, makes the bucket, publishes its address. */
public final class S3Part implements AutoCloseable {

    /** Credentials of the embedded S3 store; it listens on loopback only. */
    public static final String ACCESS_KEY = "fleet";
    public static final String SECRET_KEY = "fleet-dev-secret";

    private final DataDirLock lock;
    private final EmbeddedS3 s3;

    private S3Part(DataDirLock lock, EmbeddedS3 s3) {
        this.lock = lock;
        this.s3 = s3;
    }

    /** Starts the store of {@code layout} on {@code port} (0: any free port). */
    public static S3Part start(StackLayout layout, int port) throws Exception {
        DataDirLock lock = DataDirLock.acquire(layout.s3Dir());
        try {
            EmbeddedS3 s3 = EmbeddedS3.start(layout.s3Dir(), port, ACCESS_KEY, SECRET_KEY);
            try {
                layout.publishS3(s3.endpoint().toString(), ACCESS_KEY, SECRET_KEY);
                S3Settings settings = S3Settings.from(layout.withS3(layout.settings()));
                try (var client = S3Clients.client(settings)) {
                    S3Clients.ensureBucket(client, settings.bucket());
                }
                return new S3Part(lock, s3);
            } catch (Exception e) {
                s3.close();
                throw e;
            }
        } catch (Exception e) {
            lock.close();
            throw e;
        }
    }

    /** The running store. */
    public EmbeddedS3 s3() {
        return s3;
    }

    @Override
    public void close() throws Exception {
        try {
            s3.close();
        } finally {
            lock.close();
        }
    }
}
