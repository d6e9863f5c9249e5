package org.ltxfleet.preprocess.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.job.JobFailedException;
import org.ltxfleet.model.latent.TextFeatures;
import org.ltxfleet.model.safetensors.DType;
import org.ltxfleet.model.safetensors.SafetensorsWriter;

class ImportedCaptionTest {

    @TempDir
    Path dir;

    private Path file(SafetensorsWriter writer) throws Exception {
        Path file = Files.createTempFile(dir, "caption", ".safetensors");
        writer.write(file);
        return file;
    }

    private String refusal(Path file) {
        var e = catchThrowableOfType(JobFailedException.class, () -> ImportedCaption.read(file, "clips/a.safetensors"));
        assertThat(e.errorType()).isEqualTo("invalid_caption_features");
        assertThat(e.getMessage()).contains("clips/a.safetensors");
        return e.getMessage();
    }

    @Test
    void readsEmbeddingsOfAnyFloatTypeWithOrWithoutBatchAndMask() throws Exception {
        TextFeatures plain = ImportedCaption.read(file(new SafetensorsWriter()
                .add(ImportedCaption.EMBEDDINGS, DType.BF16, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})), "a");
        assertThat(plain.tokens()).isEqualTo(2);
        assertThat(plain.width()).isEqualTo(3);
        assertThat(plain.mask()).containsExactly(true, true);

        TextFeatures masked = ImportedCaption.read(file(new SafetensorsWriter()
                .add(ImportedCaption.EMBEDDINGS, DType.F32, new long[] {1, 2, 1}, new float[] {7, 8})
                .add(ImportedCaption.MASK, DType.F32, new long[] {1, 2}, new float[] {1, 0})), "a");
        assertThat(masked.mask()).containsExactly(true, false);
    }

    @Test
    void refusesWhatTheTransformerCouldNotReadNamingTheFile() throws Exception {
        assertThat(refusal(file(new SafetensorsWriter().add("other", DType.F32, new long[] {1}, new float[1]))))
                .contains("has no 'video_prompt_embeds'");
        assertThat(refusal(file(new SafetensorsWriter()
                .add(ImportedCaption.EMBEDDINGS, DType.F32, new long[] {2, 1, 2}, new float[4])))).contains("shape [2, 1, 2]");
        assertThat(refusal(file(new SafetensorsWriter()
                .add(ImportedCaption.EMBEDDINGS, DType.F32, new long[] {2, 1}, new float[] {1, Float.NaN}))))
                .contains("not finite");
        var embeddings = new SafetensorsWriter().add(ImportedCaption.EMBEDDINGS, DType.F32, new long[] {2, 1}, new float[2]);
        assertThat(refusal(file(embeddings.add(ImportedCaption.MASK, DType.F32, new long[] {3}, new float[] {1, 1, 1}))))
                .contains("3 entries for 2 tokens");
        assertThat(refusal(file(new SafetensorsWriter()
                .add(ImportedCaption.EMBEDDINGS, DType.F32, new long[] {2, 1}, new float[2])
                .add(ImportedCaption.MASK, DType.F32, new long[] {2}, new float[] {0, 0})))).contains("masks every token");
        assertThat(refusal(file(new SafetensorsWriter()
                .add(ImportedCaption.EMBEDDINGS, DType.F32, new long[] {2, 1}, new float[2])
                .add(ImportedCaption.MASK, DType.F32, new long[] {2}, new float[] {1, 0.5f})))).contains("value 0.5");
        Path garbage = dir.resolve("garbage.safetensors");
        Files.writeString(garbage, "not a safetensors file at all");
        assertThat(refusal(garbage)).contains("not a readable safetensors file");
    }
}
