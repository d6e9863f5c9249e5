package org.ltxfleet.gateway.history;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import org.ltxfleet.common.kafka.JobMessageCheck;
import org.ltxfleet.gateway.projection.ListPosition;

/**
 * The opaque {@code cursor} of {@code GET /v1/requests}: the list position of a page's last job (its
 * submission instant and request id), as {@code 1|<instant>|<request id>} in base64url without
 * padding, so it needs no escaping in a URL. Positions are fixed for a job's life, so a cursor stays
 * valid while new jobs arrive and old ones move to the archive. The leading version lets a later
 * format tell its cursors from these.
 */
public final class HistoryCursor {

    private static final String VERSION = "1";
    /** Far more than any cursor this class makes (about 230 characters at most): refused before decoding. */
    private static final int MAX_LENGTH = 512;

    private HistoryCursor() {
    }

    /** The cursor that continues after {@code last}. */
    public static String encode(ListPosition last) {
        String plain = VERSION + '|' + last.createdAt() + '|' + last.requestId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor from {@link #encode} names; {@link IllegalArgumentException} for anything else. */
    public static ListPosition parse(String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("not a cursor of this list");
        }
        String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])
                || !JobMessageCheck.REQUEST_ID.matcher(parts[2]).matches()) {
            throw new IllegalArgumentException("not a cursor of this list");
        }
        Instant createdAt;
        try {
            createdAt = Instant.parse(parts[1]);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a cursor of this list", e);
        }
        if (createdAt.isBefore(Instant.EPOCH) || createdAt.isAfter(ListPosition.LATEST)) {
            throw new IllegalArgumentException("not a cursor of this list");
        }
        return new ListPosition(createdAt, parts[2]);
    }
}
