package org.sstorchestrator.states.text;

/**
 * Text from outside (the peer, a file, an argument) as it may appear in one log line or
 * message: every control character as {@code \xNN}. A newline in a peer's certificate subject
 * once forged whole log lines in mysqld's error log (issue 18); the log format escapes every
 * line this way, and values quoted in messages are escaped where they are quoted.
 */
public final class Printable {

    private Printable() {
    }

    public static String escape(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
                if (out == null) {
                    out = new StringBuilder(value.length() + 8).append(value, 0, i);
                }
                out.append(String.format("\\x%02x", (int) ch));
            } else if (out != null) {
                out.append(ch);
            }
        }
        return out == null ? value : out.toString();
    }

    /** As {@link #escape}, cut after {@code max} characters (a value quoted in a message). */
    public static String quoted(String value, int max) {
        String s = escape(value);
        return s.length() > max ? s.substring(0, max) + "..." : s;
    }

    /** Bytes from the peer, for a message, quoted: printable ASCII as is, the rest in hex. */
    public static String bytes(byte[] b) {
        StringBuilder out = new StringBuilder("'");
        for (byte x : b) {
            out.append(x >= 0x20 && x < 0x7f ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
        }
        return out.append("'").toString();
    }
}
