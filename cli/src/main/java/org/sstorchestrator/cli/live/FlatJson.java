package org.sstorchestrator.cli.live;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One flat JSON object (strings, whole numbers, booleans, null) on one line, written and read
 * back: the live status beside sst_in_progress, which watchdogs read with jq and sst-admin
 * status reads with this. By hand, like sst-admin's own JSON, to keep the SST's start-up lean.
 */
public final class FlatJson {

    private FlatJson() {
    }

    public static String write(Map<String, ?> fields) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            out.append(out.length() == 1 ? "" : ", ").append(quote(e.getKey())).append(": ");
            Object v = e.getValue();
            out.append(v == null ? "null" : v instanceof Number || v instanceof Boolean ? v.toString() : quote(v.toString()));
        }
        return out.append('}').toString();
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    /** The fields of one flat object: String, Long, Boolean or null values; anything else is refused. */
    public static Map<String, Object> parse(String json) {
        Reader r = new Reader(json.strip());
        Map<String, Object> out = new LinkedHashMap<>();
        r.expect('{');
        if (r.peek() == '}') {
            r.pos++;
        } else {
            do {
                String key = r.string();
                r.expect(':');
                out.put(key, r.value());
            } while (r.comma());
            r.expect('}');
        }
        if (r.pos != r.s.length()) {
            throw new IllegalArgumentException("text after the object at " + r.pos);
        }
        return out;
    }

    private static final class Reader {
        final String s;
        int pos;

        Reader(String s) {
            this.s = s;
        }

        char peek() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (pos >= s.length()) {
                throw new IllegalArgumentException("the object ends early");
            }
            return s.charAt(pos);
        }

        void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos);
            }
            pos++;
        }

        boolean comma() {
            if (peek() == ',') {
                pos++;
                return true;
            }
            return false;
        }

        Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            for (String word : new String[] {"null", "true", "false"}) {
                if (s.startsWith(word, pos)) {
                    pos += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = pos;
            if (c == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            try {
                return Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a value at " + start);
            }
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    break;
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw new IllegalArgumentException("a short \\u escape at " + pos);
                        }
                        out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> out.append(e);
                }
            }
            throw new IllegalArgumentException("an unterminated string");
        }
    }
}
