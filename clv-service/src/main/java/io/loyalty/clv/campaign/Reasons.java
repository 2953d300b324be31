package io.loyalty.clv.campaign;

import java.util.List;

/** Reasons as a JSON array literal, so a chunk of rows can carry one list per row through unnest. */
final class Reasons {

    private Reasons() {
    }

    static String encode(List<String> reasons) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < reasons.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"');
            for (char c : reasons.get(i).toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
        return out.append(']').toString();
    }
}
