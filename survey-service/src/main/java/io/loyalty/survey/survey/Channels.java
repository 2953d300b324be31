package io.loyalty.survey.survey;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Channels are free tokens (EMAIL, SMS, WEB, IN_APP, ...) so marketing tools can add their own, stored
 * upper-case so that "email" and "EMAIL" land in the same rollup. A response without a channel of its own
 * takes its survey's; without either it is {@value #UNSPECIFIED}.
 */
public final class Channels {

    public static final String UNSPECIFIED = "UNSPECIFIED";
    public static final String RULE = "1-64 letters, digits, '_', '-' or '.', starting with a letter or digit";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private Channels() {
    }

    /** The normalised channel, or null when the text is not a channel token. */
    public static String normalise(String text) {
        return text != null && TOKEN.matcher(text).matches() ? text.toUpperCase(Locale.ROOT) : null;
    }
}
