package io.loyalty.ticket.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque keyset cursors: a kind tag and a position, base64url so clients treat them as tokens. */
public final class Cursors {

    private Cursors() {
    }

    public static String encode(String kind, long position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position, or a 400 problem for anything this service did not hand out. */
    public static Long decode(String kind, String cursor, Input input) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(kind + ":")) {
                long position = Long.parseLong(text.substring(kind.length() + 1));
                if (position >= 0) {
                    return position;
                }
            }
        } catch (IllegalArgumentException ignored) {
            // reported below (NumberFormatException is an IllegalArgumentException)
        }
        input.reject("cursor", "is not a cursor this list handed out");
        return null;
    }
}
