package org.ltxfleet.common.s3;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Base model files kept in an object store: {@code s3://bucket/key} names one object (a checkpoint
 * shard), {@code s3://bucket/prefix/} a folder of them (Gemma's). Each is fetched into a cache
 * directory once per host: workers starting together on one host (or on one shared volume) take a
 * file lock, so one downloads while the others wait and then find the copy. A copy is reused while
 * the store's ETags and sizes match the ones recorded when it was fetched; a changed object is fetched
 * again. The store is reached with the fleet's endpoint and credentials ({@code s3.*}); the bucket is
 * the location's own.
 */
public final class ModelFiles implements AutoCloseable {

    public static final String SCHEME = "s3://";

    private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final String MANIFEST_SUFFIX = ".fetched";
    private static final long MIN_PART_BYTES = 8L << 20;
    private static final int PARALLEL_RANGES = 8;
    private static final long LOG_PROGRESS_ABOVE = 1L << 30;
    /** Threads of one JVM cannot share an OS file lock, so they queue on this first. */
    private static final Map<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    private final S3Settings settings;
    private final Path cache;
    private S3Client s3;

    /** Fetches into {@code cache} from the store {@code settings} reach (its bucket is not used). */
    public ModelFiles(S3Settings settings, Path cache) {
        this.settings = settings;
        this.cache = cache;
    }

    public static boolean isRemote(String location) {
        return location.startsWith(SCHEME);
    }

    /**
     * Where {@code location} is on this host: the path itself when it is local, else the copy fetched
     * into the cache. {@code setting} names the setting in error messages.
     */
    public Path local(String setting, String location) throws IOException {
        if (!isRemote(location)) {
            return Path.of(location);
        }
        Location remote = Location.parse(setting, location);
        Path target = cache.resolve(remote.bucket()).resolve(remote.key());
        synchronized (JVM_LOCKS.computeIfAbsent(target.toAbsolutePath().normalize(), path -> new Object())) {
            Files.createDirectories(target.getParent());
            Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 var lock = channel.lock()) {
                return fetch(setting, remote, target);
            }
        }
    }

    private Path fetch(String setting, Location remote, Path target) throws IOException {
        Path manifestFile = target.resolveSibling(target.getFileName() + MANIFEST_SUFFIX);
        List<Entry> wanted;
        try {
            wanted = list(remote);
        } catch (SdkException e) {
            if (Files.exists(manifestFile)) {
                LOG.warn("{} cannot be checked ({}): using the copy fetched before, {}", remote, e.getMessage(), target);
                return target;
            }
            String why = e instanceof S3Exception refused ? "the store refused " + remote + " (HTTP "
                    + refused.statusCode() + ")" : "cannot reach " + remote;
            throw new IOException(setting + ": " + why + ": " + e.getMessage(), e);
        }
        if (wanted.isEmpty()) {
            throw new IOException(setting + ": " + remote + " names no object" + (remote.isFolder() ? "s" : "")
                    + " in the store");
        }
        boolean folder = remote.isFolder() || !wanted.getFirst().relative().isEmpty();
        List<Entry> had = Files.exists(manifestFile) ? Entry.readAll(manifestFile) : List.of();
        Files.deleteIfExists(manifestFile); // a copy half-updated by a crash must not pass as complete
        if (folder) {
            Files.createDirectories(target);
            removeLeftovers(target, wanted);
        }
        for (Entry entry : wanted) {
            if (folder) {
                Location.checkRelative(setting, entry.relative());
            }
            Path file = entry.relative().isEmpty() ? target : target.resolve(entry.relative());
            if (had.contains(entry) && Files.isRegularFile(file) && Files.size(file) == entry.size()) {
                continue;
            }
            download(setting, remote.bucket(), entry, file);
        }
        Entry.writeAll(manifestFile, wanted);
        return target;
    }

    /** What the location holds now: one entry with an empty relative path for an object, else the folder's files. */
    private List<Entry> list(Location remote) {
        if (!remote.isFolder()) {
            HeadObjectResponse head = S3Clients.head(client(), remote.bucket(), remote.key());
            if (head != null) {
                return List.of(new Entry(remote.key(), "", head.eTag(), head.contentLength()));
            }
        }
        String prefix = remote.isFolder() ? remote.key() : remote.key() + "/";
        var entries = new ArrayList<Entry>();
        for (S3Object object : client().listObjectsV2Paginator(b -> b.bucket(remote.bucket()).prefix(prefix)).contents()) {
            if (!object.key().endsWith("/")) { // a "folder" marker some consoles create
                entries.add(new Entry(object.key(), object.key().substring(prefix.length()), object.eTag(), object.size()));
            }
        }
        return entries;
    }

    private void download(String setting, String bucket, Entry entry, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        String location = "s3://" + bucket + "/" + entry.key();
        LOG.info("fetching {} ({} MiB) for {}", location, entry.size() >> 20, setting);
        long started = System.nanoTime();
        var reported = new AtomicInteger();
        try {
            // Parts of at least 8 MiB, 64 of them for a large file: 8 streams at a time keep the link busy.
            new RangedDownload(client(), Math.max(MIN_PART_BYTES, entry.size() / 64), PARALLEL_RANGES).fetch(bucket,
                    entry.key(), entry.etag(), entry.size(), partial, done -> {
                        int tenths = (int) (done * 10 / Math.max(1, entry.size()));
                        if (entry.size() > LOG_PROGRESS_ABOVE && tenths > reported.getAndAccumulate(tenths, Math::max)) {
                            LOG.info("{}: {}0% ({} of {} MiB)", location, tenths, done >> 20, entry.size() >> 20);
                        }
                    });
        } catch (IOException | SdkException e) {
            Files.deleteIfExists(partial);
            throw new IOException(setting + ": fetching " + location + " failed: " + e.getMessage(), e);
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.info("fetched {} in {} s ({} MiB/s)", location, Math.round(seconds),
                Math.round(entry.size() / 1048576.0 / Math.max(seconds, 1e-3)));
    }

    /** Files of an earlier version of the folder that its current listing no longer has (a stale shard would load). */
    private static void removeLeftovers(Path folder, List<Entry> wanted) throws IOException {
        Set<Path> keep = new HashSet<>();
        wanted.forEach(entry -> keep.add(folder.resolve(entry.relative()).normalize()));
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (!keep.contains(file.normalize())) {
                    Files.delete(file);
                }
            }
        }
    }

    private synchronized S3Client client() {
        if (s3 == null) {
            s3 = S3Clients.client(settings);
        }
        return s3;
    }

    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
        }
    }

    /** An {@code s3://bucket/key} location; a key ending in {@code /} names a folder. */
    record Location(String bucket, String key) {

        static Location parse(String setting, String location) throws IOException {
            String rest = location.substring(SCHEME.length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String key = slash < 0 ? "" : rest.substring(slash + 1);
            if (!BUCKET.matcher(bucket).matches() || key.isEmpty() || key.equals("/")) {
                throw new IOException(setting + ": '" + location + "' is not an object or folder in a bucket: write "
                        + "s3://bucket/path/file.safetensors or s3://bucket/path/folder/");
            }
            checkRelative(setting, key.endsWith("/") ? key.substring(0, key.length() - 1) : key);
            return new Location(bucket, key);
        }

        /** Keys become paths under the cache: no empty, {@code .} or {@code ..} segment may leave it. */
        static void checkRelative(String setting, String path) throws IOException {
            for (String segment : path.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\")
                        || segment.contains("\t") || segment.contains("\n")) {
                    throw new IOException(setting + ": the key '" + path + "' has a segment that cannot be a file "
                            + "name ('" + segment + "')");
                }
            }
        }

        boolean isFolder() {
            return key.endsWith("/");
        }

        @Override
        public String toString() {
            return SCHEME + bucket + "/" + key;
        }
    }

    /** One object of a location as fetched: its key, its path under the target, its ETag and size. */
    record Entry(String key, String relative, String etag, long size) {

        static List<Entry> readAll(Path manifest) throws IOException {
            var entries = new ArrayList<Entry>();
            for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
                String[] fields = line.split("\t", 4);
                if (fields.length == 4) {
                    entries.add(new Entry(fields[3], fields[2], fields[0], Long.parseLong(fields[1])));
                }
            }
            return entries;
        }

        static void writeAll(Path manifest, List<Entry> entries) throws IOException {
            var lines = entries.stream().map(e -> e.etag() + "\t" + e.size() + "\t" + e.relative() + "\t" + e.key()).toList();
            Path partial = manifest.resolveSibling(manifest.getFileName() + ".part");
            Files.write(partial, lines, StandardCharsets.UTF_8);
            Files.move(partial, manifest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
