package org.ltxfleet.preprocess.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.ltxfleet.common.job.JobFailedException;

/**
 * Reads a training archive's table of contents and extracts what it may: refuses zip-slip paths,
 * symbolic links, too many entries, images (there is nothing to interpolate on a still) and
 * duplicate clip names, each with a 422 naming the files; ignores {@code __MACOSX/},
 * {@code .DS_Store} and hidden files; pairs {@code name.txt} captions and {@code name.safetensors}
 * caption features with {@code name.<video>} in the same folder. Extraction enforces the size and ratio caps on the bytes actually inflated, not
 * on what the archive claims, so a lying zip bomb is stopped too. Apache Commons Compress reads
 * the zip because it exposes Unix modes (symlinks) that java.util.zip hides.
 */
public final class ArchiveInspector implements AutoCloseable {

    /** A clip's caption encoded elsewhere ({@code name.safetensors}, README "Captions encoded elsewhere"). */
    static final String FEATURES_EXTENSION = "safetensors";
    static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "mov", "webm", "mkv", "avi");
    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff",
            "heic", "heif", "avif");
    static final String FIELD = "training_data_url";

    private final ZipFile zip;
    private final ArchiveLimits limits;
    private final List<ClipEntry> clips;
    private final List<String> ignored;
    private long extracted;

    private ArchiveInspector(ZipFile zip, ArchiveLimits limits, List<ClipEntry> clips, List<String> ignored) {
        this.zip = zip;
        this.limits = limits;
        this.clips = clips;
        this.ignored = ignored;
    }

    /** Opens and checks the archive; a broken or refused one fails the job with a 422 saying why. */
    public static ArchiveInspector open(Path archive, ArchiveLimits limits) throws IOException {
        long counted;
        try {
            counted = CentralDirectory.countEntries(archive, limits.maxEntries());
        } catch (IOException e) {
            throw JobFailedException.invalidField("invalid_archive", FIELD,
                    "The file at training_data_url is not a readable zip archive: " + e.getMessage());
        }
        if (counted > limits.maxEntries()) {
            throw tooManyEntries("more than " + limits.maxEntries(), limits);
        }
        ZipFile zip;
        try {
            zip = ZipFile.builder().setPath(archive).get();
        } catch (IOException e) {
            throw JobFailedException.invalidField("invalid_archive", FIELD,
                    "The file at training_data_url is not a readable zip archive: " + e.getMessage());
        }
        try {
            var entries = Collections.list(zip.getEntries());
            if (entries.size() > limits.maxEntries()) {
                throw tooManyEntries(Integer.toString(entries.size()), limits);
            }
            var ignored = new ArrayList<String>();
            List<ClipEntry> clips = classify(entries, ignored);
            return new ArchiveInspector(zip, limits, clips, ignored);
        } catch (RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static JobFailedException tooManyEntries(String count, ArchiveLimits limits) {
        return JobFailedException.invalidField("archive_too_large", FIELD, "The archive has " + count
                + " entries; at most " + limits.maxEntries() + " are accepted");
    }

    private static List<ClipEntry> classify(List<ZipArchiveEntry> entries, List<String> ignored) {
        var unsafe = new ArrayList<String>();
        var images = new ArrayList<String>();
        Map<String, List<String>> videosByBase = new TreeMap<>();
        Map<String, String> captions = new LinkedHashMap<>();
        Map<String, String> features = new LinkedHashMap<>();
        for (ZipArchiveEntry entry : entries) {
            String name = entry.getName();
            if (entry.isDirectory()) {
                continue;
            }
            if (isUnsafePath(name) || entry.isUnixSymlink()) {
                unsafe.add(name);
                continue;
            }
            if (isIgnored(name)) {
                ignored.add(name);
                continue;
            }
            String extension = extension(name);
            if (VIDEO_EXTENSIONS.contains(extension)) {
                videosByBase.computeIfAbsent(baseName(name).toLowerCase(Locale.ROOT), b -> new ArrayList<>()).add(name);
            } else if (IMAGE_EXTENSIONS.contains(extension)) {
                images.add(name);
            } else if (extension.equals("txt")) {
                captions.put(stripExtension(name), name);
            } else if (extension.equals(FEATURES_EXTENSION)) {
                features.put(stripExtension(name), name);
            } else {
                ignored.add(name);
            }
        }
        if (!unsafe.isEmpty()) {
            throw JobFailedException.invalidField("unsafe_archive_entry", FIELD,
                    "The archive has entries with unsafe paths or symbolic links: " + String.join(", ", unsafe));
        }
        if (!images.isEmpty()) {
            throw JobFailedException.invalidField("images_not_supported", FIELD,
                    "The archive has images, but interpolation trains on videos only: " + String.join(", ", images));
        }
        var duplicates = videosByBase.values().stream().filter(v -> v.size() > 1).flatMap(List::stream).toList();
        if (!duplicates.isEmpty()) {
            throw JobFailedException.invalidField("duplicate_file_names", FIELD,
                    "Video file names (without extension) must be unique; these clash: " + String.join(", ", duplicates));
        }
        var clips = new ArrayList<ClipEntry>();
        for (List<String> videos : videosByBase.values()) {
            String video = videos.get(0);
            clips.add(new ClipEntry(baseName(video), video, captions.get(stripExtension(video)),
                    features.get(stripExtension(video))));
        }
        return clips;
    }

    /** The clips, sorted by name. */
    public List<ClipEntry> clips() {
        return clips;
    }

    /** Entries skipped as metadata, hidden or of unknown type. */
    public List<String> ignored() {
        return ignored;
    }

    /** Extracts one entry to a file, enforcing the size and ratio caps on the bytes inflated. */
    public Path extract(String entryName, Path target) throws IOException {
        ZipArchiveEntry entry = zip.getEntry(entryName);
        long compressed = Math.max(entry.getCompressedSize(), 1);
        long written = 0;
        try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                written += n;
                if (extracted + written > limits.maxTotalBytes()) {
                    throw bomb("the archive inflates to more than " + limits.maxTotalBytes() + " bytes");
                }
                if (written > 1_000_000 && written / compressed > limits.maxRatio()) {
                    throw bomb(entryName + " inflates more than " + limits.maxRatio() + " times its compressed size");
                }
                out.write(buffer, 0, n);
            }
        } catch (JobFailedException e) {
            Files.deleteIfExists(target);
            throw e;
        }
        extracted += written;
        return target;
    }

    /** An entry's uncompressed size as the archive states it (−1 if unstated; extraction caps what inflates). */
    public long size(String entryName) {
        return zip.getEntry(entryName).getSize();
    }

    /** A caption entry's text: UTF-8, trimmed; malformed UTF-8 fails naming the file. */
    public String readCaption(String entryName) throws IOException {
        ZipArchiveEntry entry = zip.getEntry(entryName);
        if (entry.getSize() > 64 * 1024) {
            throw JobFailedException.invalidField("caption_too_long", FIELD,
                    "Caption " + entryName + " is over 64 KiB");
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readNBytes(64 * 1024 + 1);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return text.replace("\uFEFF", "").trim();
        } catch (CharacterCodingException e) {
            throw JobFailedException.invalidField("caption_not_utf8", FIELD, "Caption " + entryName + " is not UTF-8");
        }
    }

    private static JobFailedException bomb(String why) {
        return JobFailedException.invalidField("archive_too_large", FIELD, "The archive was refused: " + why);
    }

    static boolean isUnsafePath(String name) {
        String normalized = name.replace('\\', '/');
        return normalized.startsWith("/") || normalized.matches("^[A-Za-z]:.*")
                || List.of(normalized.split("/")).contains("..");
    }

    static boolean isIgnored(String name) {
        String normalized = name.replace('\\', '/');
        if (normalized.startsWith("__MACOSX/") || normalized.contains("/__MACOSX/")) {
            return true;
        }
        for (String part : normalized.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    static String extension(String name) {
        String file = fileName(name);
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String fileName(String name) {
        String normalized = name.replace('\\', '/');
        return normalized.substring(normalized.lastIndexOf('/') + 1);
    }

    private static String baseName(String name) {
        String file = fileName(name);
        int dot = file.lastIndexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 || name.lastIndexOf('/') > dot ? name : name.substring(0, dot);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
