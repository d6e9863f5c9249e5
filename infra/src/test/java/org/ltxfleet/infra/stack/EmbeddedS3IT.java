package org.ltxfleet.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.s3.S3Clients;
import org.ltxfleet.common.s3.S3Settings;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** The S3 client factory against the real embedded store: objects, multipart, presigned URLs, restarts. */
class EmbeddedS3IT {

    private static S3Settings settings(EmbeddedS3 s3) {
        return new S3Settings(s3.endpoint(), "us-east-1", "ak", "sk-secret", true, "it-bucket");
    }

    @Test
    void storesObjectsAcrossRestartsAndServesPresignedUrls(@TempDir Path dir) throws Exception {
        byte[] data = new byte[12 * 1024 * 1024 + 123];
        new Random(7).nextBytes(data);
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir, 0, "ak", "sk-secret"); S3Client client = S3Clients.client(settings(s3))) {
            S3Clients.ensureBucket(client, "it-bucket");
            S3Clients.ensureBucket(client, "it-bucket");
            client.putObject(b -> b.bucket("it-bucket").key("small/hello.txt"), RequestBody.fromString("hello"));
            multipartUpload(client, "big/blob.bin", data);

            try (var presigner = S3Clients.presigner(settings(s3))) {
                URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                        .getObjectRequest(g -> g.bucket("it-bucket").key("big/blob.bin"))).url().toURI();
                HttpResponse<byte[]> response = HttpClient.newHttpClient()
                        .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(data);
            }
        }
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir, 0, "ak", "sk-secret"); S3Client client = S3Clients.client(settings(s3))) {
            assertThat(client.getObjectAsBytes(b -> b.bucket("it-bucket").key("small/hello.txt")).asUtf8String())
                    .isEqualTo("hello");
            assertThat(client.getObjectAsBytes(b -> b.bucket("it-bucket").key("big/blob.bin")).asByteArray())
                    .isEqualTo(data);
        }
    }

    @Test
    void refusesWrongCredentials(@TempDir Path dir) throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir, 0, "ak", "sk-secret");
             S3Client wrong = S3Clients.client(new S3Settings(s3.endpoint(), "us-east-1", "ak", "nope", true, "b"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> wrong.listBuckets())
                    .hasMessageContaining("403");
        }
    }

    private static void multipartUpload(S3Client client, String key, byte[] data) {
        String uploadId = client.createMultipartUpload(b -> b.bucket("it-bucket").key(key)).uploadId();
        int partSize = 5 * 1024 * 1024;
        var parts = new ArrayList<CompletedPart>();
        for (int offset = 0, number = 1; offset < data.length; offset += partSize, number++) {
            int length = Math.min(partSize, data.length - offset);
            int partNumber = number;
            String etag = client.uploadPart(b -> b.bucket("it-bucket").key(key).uploadId(uploadId)
                    .partNumber(partNumber), RequestBody.fromBytes(java.util.Arrays.copyOfRange(data, offset,
                    offset + length))).eTag();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        }
        client.completeMultipartUpload(b -> b.bucket("it-bucket").key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
    }
}
