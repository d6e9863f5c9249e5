package org.ltxfleet.preprocess.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltxfleet.common.job.JobFailedException;

class ArchiveInspectorTest {

    private static final ArchiveLimits LIMITS = new ArchiveLimits(100, 100L * 1024 * 1024, 100);

    @TempDir
    Path dir;

    private Path zip(Map<String, byte[]> entries) throws IOException {
        Path file = Files.createTempFile(dir, "archive", ".zip");
        try (var out = new ZipArchiveOutputStream(file)) {
            for (var e : entries.entrySet()) {
                out.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                out.write(e.getValue());
                out.closeArchiveEntry();
            }
        }
        return file;
    }

    private static Map<String, byte[]> entries(String... namesAndContents) {
        var map = new LinkedHashMap<String, byte[]>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            map.put(namesAndContents[i], namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return map;
    }

    private JobFailedException refusal(Path archive) {
        var thrown = org.assertj.core.api.Assertions.catchThrowableOfType(JobFailedException.class, () -> {
            try (var inspector = ArchiveInspector.open(archive, LIMITS)) {
                for (ClipEntry clip : inspector.clips()) {
                    inspector.extract(clip.videoEntry(), dir.resolve(clip.name() + ".bin"));
                }
            }
        });
        assertThat(thrown).as("the archive should have been refused").isNotNull();
        assertThat(thrown.statusCode()).isEqualTo(422);
        assertThat(thrown.detail().get(0).get("loc").toString()).isEqualTo("[\"body\",\"training_data_url\"]");
        return thrown;
    }

    @Test
    void pairsCaptionsAndIgnoresMetadataAndHiddenFiles() throws IOException {
        Path archive = zip(entries("clips/walk.mp4", "v1", "clips/walk.txt", "\uFEFF  a person walks \n",
                "clips/walk.safetensors", "features",
                "run.MOV", "v2", "__MACOSX/clips/._walk.mp4", "x", ".DS_Store", "x", "clips/.hidden.mp4", "x",
                "notes.md", "x", "orphan.txt", "no video"));
        try (var inspector = ArchiveInspector.open(archive, LIMITS)) {
            assertThat(inspector.clips()).containsExactly(
                    new ClipEntry("run", "run.MOV", null),
                    new ClipEntry("walk", "clips/walk.mp4", "clips/walk.txt", "clips/walk.safetensors"));
            assertThat(inspector.readCaption("clips/walk.txt")).isEqualTo("a person walks");
            assertThat(inspector.ignored()).contains("__MACOSX/clips/._walk.mp4", ".DS_Store", "clips/.hidden.mp4",
                    "notes.md");
            Path out = inspector.extract("run.MOV", dir.resolve("run.mov"));
            assertThat(Files.readString(out)).isEqualTo("v2");
        }
    }

    @Test
    void acceptsEveryVideoExtensionInAnyCase() throws IOException {
        Path archive = zip(entries("a.mp4", "x", "b.MOV", "x", "c.WebM", "x", "d.mkv", "x", "e.AVI", "x"));
        try (var inspector = ArchiveInspector.open(archive, LIMITS)) {
            assertThat(inspector.clips()).extracting(ClipEntry::name).containsExactly("a", "b", "c", "d", "e");
        }
    }

    @Test
    void rejectsImagesNamingThem() throws IOException {
        var e = refusal(zip(entries("a.mp4", "x", "stills/frame.PNG", "x", "cover.jpg", "x")));
        assertThat(e.errorType()).isEqualTo("images_not_supported");
        assertThat(e.getMessage()).contains("stills/frame.PNG", "cover.jpg");
    }

    @Test
    void rejectsDuplicateBaseNamesNamingThem() throws IOException {
        var e = refusal(zip(entries("a/clip.mp4", "x", "b/clip.mov", "x", "other.mp4", "x")));
        assertThat(e.errorType()).isEqualTo("duplicate_file_names");
        assertThat(e.getMessage()).contains("a/clip.mp4", "b/clip.mov").doesNotContain("other.mp4");
    }

    @Test
    void rejectsZipSlipAndAbsolutePaths() throws IOException {
        assertThat(refusal(zip(entries("../../etc/evil.mp4", "x"))).getMessage()).contains("../../etc/evil.mp4");
        assertThat(refusal(zip(entries("/abs/evil.mp4", "x"))).errorType()).isEqualTo("unsafe_archive_entry");
        assertThat(refusal(zip(entries("ok/../../evil.txt", "x"))).errorType()).isEqualTo("unsafe_archive_entry");
    }

    @Test
    void rejectsSymbolicLinks() throws IOException {
        Path file = dir.resolve("links.zip");
        try (var out = new ZipArchiveOutputStream(file)) {
            var link = new ZipArchiveEntry("clip.mp4");
            link.setUnixMode(0120777);
            out.putArchiveEntry(link);
            out.write("/etc/passwd".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        assertThat(refusal(file).getMessage()).contains("symbolic links").contains("clip.mp4");
    }

    @Test
    void stopsZipBombsOnTheBytesActuallyInflated() throws IOException {
        var bomb = new LinkedHashMap<String, byte[]>();
        bomb.put("bomb.mp4", new byte[20 * 1024 * 1024]);
        assertThat(refusal(zip(bomb)).getMessage()).contains("inflates more than 100 times");

        var big = new LinkedHashMap<String, byte[]>();
        var random = new java.util.Random(1);
        for (int i = 0; i < 3; i++) {
            byte[] noise = new byte[40 * 1024 * 1024];
            random.nextBytes(noise);
            big.put("clip" + i + ".mp4", noise);
        }
        assertThat(refusal(zip(big)).getMessage()).contains("inflates to more than");
    }

    @Test
    void capsTheNumberOfEntries() throws IOException {
        var many = new LinkedHashMap<String, byte[]>();
        for (int i = 0; i < 101; i++) {
            many.put("f" + i + ".txt", new byte[0]);
        }
        assertThat(refusal(zip(many)).getMessage()).contains("more than 100 entries");
    }

    @Test
    void refusesAnEntryCountClaimedByTheEndRecordBeforeReadingTheDirectory() throws IOException {
        // A two-entry zip whose end record claims 65535 entries (ZIP64's marker): past the limit as claimed.
        Path archive = zip(entries("a.mp4", "x", "b.mp4", "y"));
        patchEndRecordCount(archive, 0xFFFF);
        assertThat(refusal(archive).getMessage()).contains("more than 100 entries");
    }

    @Test
    void countsTheDirectoryItselfWhenTheEndRecordUnderstates() throws IOException {
        var many = new LinkedHashMap<String, byte[]>();
        for (int i = 0; i < 150; i++) {
            many.put("f" + i + ".txt", new byte[0]);
        }
        Path archive = zip(many);
        patchEndRecordCount(archive, 1); // a forged record: the directory holds 150
        assertThat(refusal(archive).getMessage()).contains("more than 100 entries");
        assertThat(CentralDirectory.countEntries(archive, 1000)).isEqualTo(150);
        assertThat(CentralDirectory.countEntries(zip(entries("a.mp4", "x")), 100)).isEqualTo(1);
    }

    /** Rewrites the entry counts of the zip's end-of-central-directory record (its last 22 bytes: no comment). */
    private static void patchEndRecordCount(Path archive, int count) throws IOException {
        byte[] bytes = Files.readAllBytes(archive);
        int eocd = bytes.length - 22;
        assertThat(java.nio.ByteBuffer.wrap(bytes, eocd, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt())
                .isEqualTo(0x06054b50);
        for (int field : new int[] {8, 10}) {
            bytes[eocd + field] = (byte) count;
            bytes[eocd + field + 1] = (byte) (count >>> 8);
        }
        Files.write(archive, bytes);
    }

    @Test
    void rejectsFilesThatAreNotZips() throws IOException {
        Path notZip = dir.resolve("clips.zip");
        Files.writeString(notZip, "<html>not found</html>");
        assertThat(refusal(notZip).errorType()).isEqualTo("invalid_archive");
    }

    @Test
    void rejectsCaptionsThatAreNotUtf8() throws IOException {
        var bad = new LinkedHashMap<String, byte[]>();
        bad.put("a.mp4", new byte[] {1});
        bad.put("a.txt", new byte[] {(byte) 0xC3, (byte) 0x28});
        try (var inspector = ArchiveInspector.open(zip(bad), LIMITS)) {
            assertThatThrownBy(() -> inspector.readCaption("a.txt")).isInstanceOf(JobFailedException.class)
                    .hasMessageContaining("a.txt");
        }
    }
}
