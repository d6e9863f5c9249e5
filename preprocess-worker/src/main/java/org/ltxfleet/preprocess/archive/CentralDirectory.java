package org.ltxfleet.preprocess.archive;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Counts a zip's entries before any zip library reads its central directory, which they load
 * whole into memory (a 5-million-entry archive exhausts the heap): the count the
 * end-of-central-directory record claims (ZIP64's too), and the records actually there, walked one
 * fixed-size header at a time and never past {@code limit}, since a forged record can claim few.
 * Written here because no zip library offers a bounded count (commons-compress reads every
 * record, whatever the record says).
 */
final class CentralDirectory {

    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int EOCD_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
    private static final int ENTRY_SIGNATURE = 0x02014b50;
    private static final int ENTRY_HEADER_SIZE = 46;
    private static final int MAX_COMMENT = 0xFFFF;

    private CentralDirectory() {
    }

    /**
     * The number of entries, or {@code limit + 1} as soon as it is known to be more than
     * {@code limit}; 0 when there is no end-of-central-directory record (the zip library then
     * says what is wrong).
     */
    static long countEntries(Path archive, long limit) throws IOException {
        try (FileChannel file = FileChannel.open(archive, StandardOpenOption.READ)) {
            long size = file.size();
            int tailLength = (int) Math.min(size, EOCD_SIZE + MAX_COMMENT);
            ByteBuffer tail = read(file, size - tailLength, tailLength);
            int eocd = findEndRecord(tail);
            if (eocd < 0) {
                return 0;
            }
            long claimed = Short.toUnsignedLong(tail.getShort(eocd + 10));
            long offset = Integer.toUnsignedLong(tail.getInt(eocd + 16));
            if (claimed == 0xFFFF || offset == 0xFFFFFFFFL) {
                long locator = size - tailLength + eocd - 20;
                if (locator >= 0) {
                    ByteBuffer zip64Locator = read(file, locator, 20);
                    if (zip64Locator.getInt(0) == ZIP64_LOCATOR_SIGNATURE) {
                        ByteBuffer zip64 = read(file, zip64Locator.getLong(8), 56);
                        if (zip64.getInt(0) == ZIP64_EOCD_SIGNATURE) {
                            claimed = zip64.getLong(32);
                            offset = zip64.getLong(48);
                        }
                    }
                }
            }
            if (claimed > limit || claimed < 0) {
                return limit + 1;
            }
            return walk(file, offset, limit);
        }
    }

    /** Counts the entry headers from {@code offset}, stopping past {@code limit}. */
    private static long walk(FileChannel file, long offset, long limit) throws IOException {
        if (offset < 0 || offset >= file.size()) {
            return 0;
        }
        var in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(file.position(offset)), 1 << 16));
        byte[] header = new byte[ENTRY_HEADER_SIZE];
        ByteBuffer fields = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long count = 0;
        while (count <= limit) {
            try {
                in.readFully(header);
            } catch (EOFException end) {
                break;
            }
            if (fields.getInt(0) != ENTRY_SIGNATURE) {
                break;
            }
            count++;
            long variable = Short.toUnsignedLong(fields.getShort(28)) + Short.toUnsignedLong(fields.getShort(30))
                    + Short.toUnsignedLong(fields.getShort(32));
            in.skipNBytes(variable);
        }
        return count;
    }

    private static int findEndRecord(ByteBuffer tail) {
        for (int at = tail.limit() - EOCD_SIZE; at >= 0; at--) {
            if (tail.getInt(at) == EOCD_SIGNATURE) {
                return at;
            }
        }
        return -1;
    }

    private static ByteBuffer read(FileChannel file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("the archive ends inside a zip record");
            }
        }
        return buffer.flip();
    }
}
