package org.sstorchestrator.states.wire;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.text.Secret;

/**
 * The info ("magic") file of transfer 1: line 1 {@code <uuid>:<seqno> <domain>}, then
 * optional {@code secret <secret>} and {@code total <bytes>} lines, and, from our donor,
 * {@code sst_orchestrator_run <id>} (the stock joiner only reads the tags it knows).
 */
public record GaleraInfo(String position, Optional<Secret> secret, Optional<Long> total, Optional<String> peerRun) {

    /** 10.x name, and the 11.1+ name; a joiner accepts both. */
    public static final String LEGACY_NAME = "xtrabackup_galera_info";
    public static final String NEW_NAME = "mariadb_backup_galera_info";
    public static final String DONOR_NAME = "donor_galera_info";
    public static final String IST_NAME = "xtrabackup_ist";
    public static final String RUN_TAG = "sst_orchestrator_run";

    /** {@code uuid:seqno domain}; seqno may be -1; the domain is optional in old donors. */
    private static final Pattern POSITION = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}:-?[0-9]{1,19}(?: [0-9]{1,10})?");
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f-]{36}");

    public static GaleraInfo parse(String origin, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        String position = checkPosition(origin, lines.length == 0 ? "" : lines[0].strip());
        Secret secret = null;
        Long total = null;
        String run = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            Matcher m = Pattern.compile("(\\S+)\\s+(.*)").matcher(line);
            if (!m.matches()) {
                continue;
            }
            switch (m.group(1)) {
                case "secret" -> secret = secret != null ? secret : Secret.of(m.group(2).strip()); // the first, as stock
                case "total" -> total = parseTotal(m.group(2).strip());
                case RUN_TAG -> run = RUN_ID.matcher(m.group(2).strip()).matches() ? m.group(2).strip() : null;
                default -> { }
            }
        }
        return new GaleraInfo(position, Optional.ofNullable(secret), Optional.ofNullable(total), Optional.ofNullable(run));
    }

    public static String checkPosition(String origin, String line) {
        if (!POSITION.matcher(line).matches()) {
            throw new SstException(ExitCode.EPIPE, origin + " does not start with a position 'uuid:seqno domain': '"
                    + org.sstorchestrator.states.args.SstAddress.printable(line) + "'");
        }
        return line;
    }

    private static Long parseTotal(String v) {
        try {
            long t = Long.parseLong(v);
            return t >= 0 ? t : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public byte[] render() {
        StringBuilder out = new StringBuilder(position).append('\n');
        secret.filter(s -> !s.isEmpty()).ifPresent(s -> out.append("secret ").append(s.reveal()).append('\n'));
        total.ifPresent(t -> out.append("total ").append(t).append('\n'));
        peerRun.ifPresent(r -> out.append(RUN_TAG).append(' ').append(r).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
