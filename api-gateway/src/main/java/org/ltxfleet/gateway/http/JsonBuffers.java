package org.ltxfleet.gateway.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.ltxfleet.common.json.Json;

/**
 * JSON written straight into the Vert.x buffer a reply is sent from. {@code Buffer.buffer(byte[])}
 * copies its array, so serialising to bytes first made every reply body twice (once in Jackson's
 * builder, once more in the buffer), a share of a saturated gateway's allocation ({@code ./fleet
 * bench gateway}).
 */
public final class JsonBuffers {

    /** Room for a typical reply, so the buffer seldom grows. */
    private static final int INITIAL_BYTES = 512;

    private JsonBuffers() {
    }

    /** {@code value} as the fleet's mapper writes it ({@link Json#toBytes}), in a buffer. */
    public static Buffer of(Object value) {
        Buffer buffer = Buffer.buffer(INITIAL_BYTES);
        try {
            Json.mapper().writeValue(new Appender(buffer), value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
        return buffer;
    }

    /** A generator of the fleet's mapper that appends to {@code buffer}; close it to flush. */
    public static JsonGenerator generator(Buffer buffer) {
        try {
            return Json.mapper().createGenerator(new Appender(buffer));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends what is written to a buffer; Jackson hands it its output in blocks. */
    private static final class Appender extends OutputStream {

        private final Buffer buffer;

        Appender(Buffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public void write(int b) {
            buffer.appendByte((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            buffer.appendBytes(bytes, offset, length);
        }
    }
}
