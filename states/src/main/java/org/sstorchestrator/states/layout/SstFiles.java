package org.sstorchestrator.states.layout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an SST puts on disk, named once: the stages use these names, and so do sst-admin's
 * cleanup, resume and inspect, which must recognise exactly what a run made and nothing else.
 */
public final class SstFiles {

    /** Where the joiner receives transfer 2; inside the datadir so that move-back is a rename. */
    public static final String RECEIVE_DIR = ".sst";
    public static final String IN_PROGRESS = "sst_in_progress";
    /**
     * Beside the marker, while a run of either role holds the datadir: its live status for watchdogs
     * (issue 22), rewritten every second; {@code sst-admin status --probe} reads it.
     */
    public static final String STATUS = "sst_status.json";
    /**
     * The status's own temporary file, {@code .sst_status.json.<pid>.tmp}: it is rewritten through
     * one every second (written beside, renamed over), so a wipe that lists the datadir may find
     * one that is renamed away before its delete.
     */
    private static final Pattern STATUS_TMP = Pattern.compile(Pattern.quote("." + STATUS + ".") + "[0-9]{1,20}\\.tmp");
    public static final String LOCK = SstLock.FILE;
    public static final String GRASTATE = "grastate.dat";
    /** mbstream -x's stderr (the joiner's other logs are mariadb-backup's, see SstContext). */
    public static final String RECEIVE_LOG = "mariabackup.receive.log";
    /** stderr of an external [sst] compressor (donor) or decompressor (joiner), and of qpress. */
    public static final String COMPRESSOR_LOG = "mariabackup.compressor.log";
    public static final String DECOMPRESSOR_LOG = "mariabackup.decompressor.log";
    public static final String QPRESS_LOG = "mariabackup.qpress.log";
    /** The run attribute naming the directory the temporary directories were made in. */
    public static final String TMP_BASE = "tmp_base";
    public static final List<String> CHECKPOINTS = List.of("xtrabackup_checkpoints", "mariadb_backup_checkpoints");
    public static final List<String> BINLOG_INFO = List.of("xtrabackup_binlog_info", "mariadb_backup_binlog_info");
    /** mariadb-backup's info file, the last it writes into a backup: its server_version and tool_version (10.x, 11.x names). */
    public static final List<String> BACKUP_INFO = List.of("xtrabackup_info", "mariadb_backup_info");

    /** The run attributes that name temporary directories, and the prefixes those directories have. */
    public static final String TMP_MAGIC = "tmp_magic";
    public static final String TMP_BACKUP = "tmp_backup";
    public static final String TMP_TMPDIR = "tmp_tmpdir";
    public static final List<String> TMP_ATTRIBUTES = List.of(TMP_MAGIC, TMP_BACKUP, TMP_TMPDIR);
    private static final Pattern TMP_NAME = Pattern.compile("sst-(magic|backup|tmp)-[0-9]{1,20}");

    private SstFiles() {
    }

    /** Whether a datadir entry of this name is the live status, or the temporary file it is written through. */
    public static boolean isLiveStatus(String name) {
        return name.equals(STATUS) || STATUS_TMP.matcher(name).matches();
    }

    public static Path receiveDir(Path datadir) {
        return datadir.resolve(RECEIVE_DIR);
    }

    /** A temporary directory of {@code prefix} ("magic", "backup", "tmp") under {@code base}. */
    public static Path createTempDir(Path base, String prefix) throws IOException {
        return Files.createTempDirectory(base, "sst-" + prefix + "-");
    }

    /**
     * Whether {@code p} is one of our temporary directories: named as we name them, a real
     * directory (not a link to one) directly under {@code base}. sst-admin deletes nothing else
     * that a history names: the history is writable by the SST's user, sst-admin often runs as
     * root.
     */
    public static boolean isOurTempDir(Path p, Path base) {
        Path n = p.toAbsolutePath().normalize();
        Path b = base.toAbsolutePath().normalize();
        return n.getFileName() != null && TMP_NAME.matcher(n.getFileName().toString()).matches()
                && b.equals(n.getParent()) && withoutLinks(b) && Files.isDirectory(n, LinkOption.NOFOLLOW_LINKS);
    }

    /** The base is where it says it is: no link on the way (the history names it, issue 18). */
    private static boolean withoutLinks(Path dir) {
        try {
            return dir.toRealPath().equals(dir);
        } catch (IOException e) {
            return false;
        }
    }

    public static Optional<Path> firstExisting(Path dir, List<String> names) {
        return names.stream().map(dir::resolve).filter(Files::exists).findFirst();
    }

    /** Whether {@code .sst} holds a backup that arrived whole (its checkpoints file). */
    public static boolean holdsWholeBackup(Path datadir) {
        Path sst = receiveDir(datadir);
        return CHECKPOINTS.stream().anyMatch(n -> Files.isRegularFile(sst.resolve(n), LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * What a node with a state writes, so a datadir finished without mysqld rejoins at its
     * position: written beside and renamed over, so a crash leaves the old file or the new, never half.
     * Only for a datadir no mysqld runs on ({@code sst-admin resume}): see {@link #markUnsafeToBootstrap}.
     */
    public static void writeGrastate(Path datadir, String position) throws IOException {
        String[] p = position.split("[: ]");
        Path tmp = datadir.resolve(GRASTATE + ".sst-tmp");
        Files.deleteIfExists(tmp);
        try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(grastate(p[0], p[1])));
            ch.force(true);
        }
        Files.move(tmp, datadir.resolve(GRASTATE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Galera's undefined state uuid, which it writes itself while a node's state is not to be trusted. */
    public static final String UNDEFINED_UUID = "00000000-0000-0000-0000-000000000000";

    /**
     * grastate.dat as Galera marks a node whose data cannot be trusted: no state (undefined uuid,
     * seqno -1) and {@code safe_to_bootstrap: 0}, so that neither Galera's own check nor an
     * operator reading the file bootstraps a cluster from a datadir the wipe has begun to empty
     * (mariadb-operator lost 500 GB so: its issue 1108). Written in place, never renamed over:
     * the running mysqld's Galera keeps the file open and rewrites it through that handle (its
     * saved state), so a new inode would cut it off from the file on disk for good. Galera writes
     * these same bytes itself when it marks the state corrupt before an SST, and overwrites them
     * with the real state once the SST has succeeded.
     */
    public static void markUnsafeToBootstrap(Path datadir) throws IOException {
        byte[] text = grastate(UNDEFINED_UUID, "-1");
        try (var ch = java.nio.channels.FileChannel.open(datadir.resolve(GRASTATE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ch.write(java.nio.ByteBuffer.wrap(text), 0);
            ch.truncate(text.length);
            ch.force(true);
        }
    }

    /** The file as Galera writes it (its saved_state format, version 2.1). */
    private static byte[] grastate(String uuid, String seqno) {
        return ("# GALERA saved state\nversion: 2.1\nuuid:    " + uuid + "\nseqno:   " + seqno
                + "\nsafe_to_bootstrap: 0\n").getBytes(StandardCharsets.US_ASCII);
    }
}
