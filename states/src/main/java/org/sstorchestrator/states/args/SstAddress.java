package org.sstorchestrator.states.args;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.text.Printable;

/**
 * {@code host[:port][/module[/lsn[/sst_ver]]]}, IPv6 in brackets, default port 4444. On the
 * donor this arrives from the other node, so every field passes a strict grammar before it
 * is used: a value with a shell metacharacter, a path or a newline never gets through.
 */
public record SstAddress(String host, int port, String module, String lsn, String sstVersion) {

    public static final int DEFAULT_PORT = 4444;
    public static final String DEFAULT_MODULE = "xtrabackup_sst";

    private static final String HOSTNAME = "[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253}[A-Za-z0-9])?";
    private static final String IPV6 = "\\[[0-9A-Fa-f:.]{2,45}(?:%[A-Za-z0-9]{1,16})?\\]";
    private static final Pattern GRAMMAR = Pattern.compile(
            "(" + IPV6 + "|" + HOSTNAME + ")(?::([0-9]{1,5}))?"
                    + "(?:/([A-Za-z0-9_]{0,64})(?:/([0-9]{0,20})(?:/([0-9]{0,9}))?)?)?");

    public static SstAddress parse(String setting, String value) {
        if (value == null || value.isEmpty()) {
            throw new SstException(ExitCode.EINVAL, setting + " is empty; expected host[:port][/module[/lsn[/sst_ver]]]");
        }
        Matcher m = GRAMMAR.matcher(value);
        if (!m.matches()) {
            throw new SstException(ExitCode.EINVAL, setting + " '" + printable(value)
                    + "' is not an address of the form host[:port][/module[/lsn[/sst_ver]]]");
        }
        int port = DEFAULT_PORT;
        if (m.group(2) != null) {
            port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) {
                throw new SstException(ExitCode.EINVAL, setting + " '" + value + "': port " + port + " is not in 1..65535");
            }
        }
        return new SstAddress(m.group(1), port, emptyToNull(m.group(3)), emptyToNull(m.group(4)), emptyToNull(m.group(5)));
    }

    /** The host without IPv6 brackets, for sockets. */
    public String socketHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** What the joiner prints after {@code ready }: host:port/module/lsn/sst_ver. */
    public String readyForm() {
        return host + ":" + port + "/" + (module == null ? DEFAULT_MODULE : module) + "/"
                + (lsn == null ? "" : lsn) + "/" + (sstVersion == null ? "" : sstVersion);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Quotes a hostile value for a message without letting it forge log lines. */
    public static String printable(String value) {
        return Printable.quoted(value, 200);
    }

}
