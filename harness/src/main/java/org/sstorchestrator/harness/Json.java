package org.sstorchestrator.harness;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes the benchmark's results as JSON: maps, lists, strings, numbers, booleans and null,
 * which is all it has. A JSON library would be the harness's only use of one.
 */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, "");
        return out.append('\n').toString();
    }

    private static void write(Object v, StringBuilder out, String indent) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            string(s, out);
        } else if (v instanceof Double d) {
            // NaN and infinities have no JSON spelling: a figure that could not be had is null
            out.append(d.isNaN() || d.isInfinite() ? "null" : String.format(java.util.Locale.ROOT, "%.4f", d));
        } else if (v instanceof Number || v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Map<?, ?> m) {
            container(m.entrySet().iterator(), '{', '}', out, indent);
        } else if (v instanceof List<?> l) {
            container(l.iterator(), '[', ']', out, indent);
        } else {
            throw new IllegalArgumentException("no JSON for " + v.getClass().getName());
        }
    }

    private static void container(Iterator<?> items, char open, char close, StringBuilder out, String indent) {
        out.append(open);
        String inner = indent + "  ";
        boolean first = true;
        while (items.hasNext()) {
            Object item = items.next();
            out.append(first ? "\n" : ",\n").append(inner);
            first = false;
            if (item instanceof Map.Entry<?, ?> e) {
                string(String.valueOf(e.getKey()), out);
                out.append(": ");
                write(e.getValue(), out, inner);
            } else {
                write(item, out, inner);
            }
        }
        out.append(first ? "" : "\n" + indent).append(close);
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        out.append('"');
    }
}
