package org.sstorchestrator.states.mariabackup;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * The donor's MariaDB server and mariadb-backup versions, as the joiner learns them before it
 * prepares (issue 22), and the one rule that judges them: a backup from a newer major version
 * (10.11 → 11.4) than this node's mariadb-backup is refused, as Percona's joiner refuses a newer
 * donor (PXC-851) rather than wipe itself for data it cannot use. An older donor is let through:
 * a rolling upgrade joins upgraded nodes from older ones.
 *
 * <p>Where they come from: a donor running this method announces them in transfer 1, in the file
 * {@value #FILE} beside the info files (a stock joiner extracts it into its temporary directory
 * with them and never reads it); a stock donor's mariadb-backup writes them into the backup
 * itself, in its info file ({@link org.sstorchestrator.states.layout.SstFiles#BACKUP_INFO}), the last
 * file of the stream. Both use mariadb-backup's own keys, {@code server_version} and
 * {@code tool_version}, so one parser reads
 * both. The values come from the other node: anything but a plain version is dropped.
 *
 * @param from where they were read, for messages and the record
 */
public record DonorVersions(Optional<String> server, Optional<String> backup, String from) {

    /** The file our donor adds to transfer 1. */
    public static final String FILE = "sst_orchestrator_versions";
    /** At most this many bytes of either file are read: mariadb-backup's info file is well under 2 KB. */
    public static final int MAX_BYTES = 64 << 10;
    private static final Pattern LINE = Pattern.compile("(server_version|tool_version)\\s*=\\s*(\\S+)\\s*");
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,3}\\.[0-9]{1,3}[0-9A-Za-z.+~_-]{0,100}");
    private static final Pattern SERIES = Pattern.compile("(?:server )?([0-9]{1,3})\\.([0-9]{1,3})");

    public boolean known() {
        return server.isPresent() || backup.isPresent();
    }

    /** What our donor sends: mariadb-backup's keys, one a line. */
    public byte[] render() {
        StringBuilder out = new StringBuilder();
        server.ifPresent(v -> out.append("server_version = ").append(v).append('\n'));
        backup.ifPresent(v -> out.append("tool_version = ").append(v).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@code server_version} and {@code tool_version} from either file; other lines are ignored. */
    public static DonorVersions parse(String from, byte[] content) {
        String server = null;
        String backup = null;
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches() || !VERSION.matcher(m.group(2)).matches()) {
                continue;
            }
            if (m.group(1).equals("server_version")) {
                server = server == null ? m.group(2) : server;
            } else {
                backup = backup == null ? m.group(2) : backup;
            }
        }
        return new DonorVersions(Optional.ofNullable(server), Optional.ofNullable(backup), from);
    }

    /** A major version: MariaDB's release series, {@code 10.11} of {@code 10.11.19-MariaDB-log}. */
    public record Series(int major, int minor) implements Comparable<Series> {

        /** The first {@code x.y} of a version, or of mariadb-backup's --version line ("... based on MariaDB server 10.11.19-..."). */
        public static Optional<Series> of(String version) {
            Matcher m = SERIES.matcher(version);
            return m.find() ? Optional.of(new Series(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))
                    : Optional.empty();
        }

        @Override
        public int compareTo(Series o) {
            return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
        }

        @Override
        public String toString() {
            return major + "." + minor;
        }
    }

    /**
     * Refuses (exit 95) a donor whose server or mariadb-backup is of a newer major version than
     * {@code ownBackup}, this node's mariadb-backup; says nothing when either side is unknown.
     * {@code wiped}: whether the old data is already gone (wipe_early), which the message must say.
     */
    public void refuseNewerThan(String ownBackup, boolean wiped) {
        Optional<Series> own = Series.of(ownBackup);
        if (own.isEmpty()) {
            return;
        }
        for (Optional<String> v : java.util.List.of(backup, server)) {
            Optional<Series> theirs = v.flatMap(Series::of);
            if (theirs.isPresent() && theirs.get().compareTo(own.get()) > 0) {
                throw new SstException(ExitCode.VERSION_SKEW, "the donor's backup comes from MariaDB " + theirs.get()
                        + " (" + describe() + ", from " + from + "), a newer major version than this node's"
                        + " mariadb-backup " + ownBackup + ", which cannot prepare it; " + (wiped
                        ? "the old data was already wiped (too little space for both: sst-space-reserve), and"
                        + " the received backup stays in .sst" : "the old data is untouched") + ". Upgrade this node to "
                        + theirs.get() + " first, or choose a donor of " + own.get() + " with wsrep_sst_donor");
            }
        }
    }

    /** "server 10.11.19-MariaDB-log, mariadb-backup 10.11.19-MariaDB", or what of it is known. */
    public String describe() {
        return "server " + server.orElse("unknown") + ", mariadb-backup " + backup.orElse("unknown");
    }
}
