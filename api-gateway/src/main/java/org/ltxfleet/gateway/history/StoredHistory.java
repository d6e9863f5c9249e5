package org.ltxfleet.gateway.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ltxfleet.common.io.Sha256;
import org.ltxfleet.common.json.Json;
import org.ltxfleet.common.s3.ObjectStore;
import org.ltxfleet.gateway.projection.JobPhase;
import org.ltxfleet.gateway.projection.ListPosition;

/**
 * The {@link HistoryArchive} in the gateway's store: per API key one list of every archived job
 * ({@code gateway/history/<sha256 of key id>/all/<position>}, the object holding its {@link HistoryRow})
 * and one per final state ({@code …/COMPLETED/<position>} and so on, empty markers), where
 * {@code <position>} sorts in S3's key order exactly as {@link ListPosition} orders jobs: 12 digits of
 * seconds and 9 of nanoseconds counted down from the year 9999 (newest first), then {@code _} and the
 * request id (ASCII, by {@code JobMessageCheck.REQUEST_ID}). A page is then one ListObjectsV2 call with
 * {@code start-after} the cursor's position, and a GET of each row shown. The key id is hashed so
 * that no key id, whatever its characters, reaches into another's prefix.
 */
public final class StoredHistory implements HistoryArchive {

    static final String PREFIX = "gateway/history/";
    private static final String EVERY_STATE = "all";
    /** The latest second a job may carry: 12 digits hold it. */
    private static final long LAST_SECOND = ListPosition.LATEST.getEpochSecond();
    private static final int DIGITS = 21;

    private final ObjectStore store;

    /** The history kept in {@code store}. */
    public StoredHistory(ObjectStore store) {
        this.store = store;
    }

    @Override
    public void add(String keyId, HistoryRow row) {
        // The row first, then the state's marker: an archiver that fails between them is retried, and
        // create-only writes make the retry (or another gateway's) a no-op for what is there.
        String name = name(row.position());
        store.createIfAbsent(listPrefix(keyId, null) + name, Json.toBytes(row), "application/json");
        store.createIfAbsent(listPrefix(keyId, JobPhase.valueOf(row.status())) + name, new byte[0],
                "application/octet-stream");
    }

    @Override
    public List<ListPosition> positions(String keyId, JobPhase status, ListPosition after, int most) {
        String prefix = listPrefix(keyId, status);
        return store.keysAfter(prefix, after == null ? null : prefix + name(after), most).stream()
                .map(key -> position(key.substring(prefix.length()))).toList();
    }

    @Override
    public List<HistoryRow> rows(String keyId, List<ListPosition> positions) {
        String prefix = listPrefix(keyId, null);
        // A page shows up to 100 rows: read them at once rather than one round trip after another.
        try (var reads = Executors.newVirtualThreadPerTaskExecutor()) {
            var pending = new ArrayList<Future<byte[]>>(positions.size());
            positions.forEach(p -> pending.add(reads.submit(() -> store.bytesIfPresent(prefix + name(p)))));
            var rows = new ArrayList<HistoryRow>(positions.size());
            for (int i = 0; i < positions.size(); i++) {
                byte[] bytes = pending.get(i).get();
                if (bytes != null) {
                    HistoryRow row = Json.fromBytes(bytes, HistoryRow.class);
                    if (row.position().equals(positions.get(i))) {
                        rows.add(row);
                    }
                }
            }
            return rows;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the history", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("reading the history", e.getCause());
        }
    }

    /** The prefix of a key's list of one state (null: of every state). */
    static String listPrefix(String keyId, JobPhase status) {
        return PREFIX + Sha256.hex(keyId.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + '/'
                + (status == null ? EVERY_STATE : status.name()) + '/';
    }

    /** A position as an object name that sorts as the position does. */
    static String name(ListPosition position) {
        long second = position.createdAt().getEpochSecond();
        if (second < 0 || second > LAST_SECOND) {
            throw new IllegalArgumentException("a job's list position lies in the years 1970 to 9999");
        }
        return String.format("%012d%09d_%s", LAST_SECOND - second, 999_999_999 - position.createdAt().getNano(),
                position.requestId());
    }

    /** The position an object name from {@link #name} stands for. */
    static ListPosition position(String name) {
        long second = LAST_SECOND - Long.parseLong(name.substring(0, 12));
        int nano = 999_999_999 - Integer.parseInt(name.substring(12, DIGITS));
        return new ListPosition(Instant.ofEpochSecond(second, nano), name.substring(DIGITS + 1));
    }
}
