package io.loyalty.clv.campaign;

import java.util.List;

/** Reasons as a PostgreSQL text[] literal, the form they take in a COPY of the scored rows. */
final class Reasons {

    private Reasons() {
    }

    /** {"first","second"}: every element quoted, so commas, braces and spaces need no further care. */
    static String arrayLiteral(List<String> reasons) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < reasons.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"');
            for (int k = 0; k < reasons.get(i).length(); k++) {
                char c = reasons.get(i).charAt(k);
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append('"');
        }
        return out.append('}').toString();
    }
}
