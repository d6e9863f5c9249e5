package org.ltxfleet.gateway.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.ltxfleet.common.io.Sha256;

/**
 * The console's static files, read once from the gateway's class path ({@code console/}) into
 * memory. Served from this map only, so no request path ever reaches a file system: a name that is
 * not one of these files is simply absent, whatever dots or slashes it holds. Immutable once loaded.
 */
public final class ConsoleFiles {

    /** Where the files live on the class path. */
    public static final String ROOT = "console";

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    /** One file: its bytes, media type and a strong ETag of its content. */
    public record File(byte[] bytes, String contentType, String etag) {
    }

    private final Map<String, File> files;

    private ConsoleFiles(Map<String, File> files) {
        this.files = Map.copyOf(files);
    }

    /** The file at {@code path} relative to the console's root ({@code js/app.js}), if there is one. */
    public Optional<File> find(String path) {
        return Optional.ofNullable(files.get(path));
    }

    /** How many files there are. */
    public int size() {
        return files.size();
    }

    /**
     * Reads every file under {@code console/} of the class path, from a directory (a build) or a
     * jar (the distribution). Files of a type the console does not use are left out. Safe to call
     * from several threads at once (each event loop's verticle loads its copy).
     */
    public static ConsoleFiles load() {
        var index = ConsoleFiles.class.getClassLoader().getResource(ROOT + "/index.html");
        if (index == null) {
            throw new IllegalStateException("the console's files are missing from the class path (" + ROOT + "/)");
        }
        var files = new HashMap<String, File>();
        try {
            if (index.openConnection() instanceof JarURLConnection jar) {
                // Read through the jar itself, not a zip file system: those are registered per JVM
                // and the verticles load at the same moment.
                jar.setUseCaches(false);
                try (JarFile file = jar.getJarFile()) {
                    for (JarEntry entry : java.util.Collections.list(file.entries())) {
                        if (!entry.isDirectory() && entry.getName().startsWith(ROOT + "/")) {
                            try (InputStream in = file.getInputStream(entry)) {
                                add(files, entry.getName().substring(ROOT.length() + 1), in.readAllBytes());
                            }
                        }
                    }
                }
            } else {
                Path root = Path.of(index.toURI()).getParent();
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path file : walk.filter(Files::isRegularFile).toList()) {
                        add(files, root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's files", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the console's files: " + index, e);
        }
        return new ConsoleFiles(files);
    }

    private static void add(Map<String, File> files, String name, byte[] bytes) {
        String type = TYPES.get(extension(name));
        if (type != null) {
            files.put(name, new File(bytes, type, "\"" + Sha256.hex(bytes).substring(0, 32) + "\""));
        }
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
