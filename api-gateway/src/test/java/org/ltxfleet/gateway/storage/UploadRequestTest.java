package org.ltxfleet.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ltxfleet.common.job.ValidationProblem;

class UploadRequestTest {

    private final List<ValidationProblem> problems = new ArrayList<>();

    @Test
    void fileNamesBecomeOneSafeKeySegment() {
        assertThat(UploadRequest.safeName("clips.zip")).isEqualTo("clips.zip");
        assertThat(UploadRequest.safeName("../../jobs/x/done.json")).isEqualTo("done.json");
        assertThat(UploadRequest.safeName("C:\\Users\\me\\my clips (1).zip")).isEqualTo("my_clips__1_.zip");
        assertThat(UploadRequest.safeName("..")).isEqualTo("upload.bin");
        assertThat(UploadRequest.safeName("dir/")).isEqualTo("upload.bin");
        assertThat(UploadRequest.safeName("x".repeat(500) + ".zip")).hasSize(200).endsWith(".zip");
    }

    @Test
    void whatFalsClientSendsIsRead() {
        var request = UploadRequest.read(Buffer.buffer("{\"content_type\":\"application/zip\",\"file_name\":\"a.zip\"}"),
                problems);
        assertThat(problems).isEmpty();
        assertThat(request).isEqualTo(new UploadRequest("application/zip", "a.zip"));
        assertThat(UploadRequest.read(Buffer.buffer(), problems)).isEqualTo(
                new UploadRequest("application/octet-stream", "upload.bin"));
    }

    @Test
    void badBodiesNameTheirField() {
        UploadRequest.read(Buffer.buffer("[]"), problems);
        UploadRequest.read(Buffer.buffer("{\"content_type\":\"zip\",\"file_name\":7}"), problems);
        assertThat(problems).extracting(p -> p.loc().toString())
                .containsExactly("[body]", "[body, content_type]", "[body, file_name]");
    }
}
