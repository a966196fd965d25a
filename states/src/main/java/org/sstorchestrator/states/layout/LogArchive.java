package org.sstorchestrator.states.layout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.states.RunRecorder;
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.stock.StockLine;

/**
 * Like the stock script: at the start of every run, on both roles, the previous
 * {@code mariabackup.{backup,prepare,move}.log} are moved aside gzipped, as
 * {@code <log>.<local time to the nanosecond>.gz}, into {@code [sst] sst-log-archive-dir}
 * (default {@code /tmp/sst_log_archive}, created when missing), or beside themselves in the
 * datadir when that directory cannot be used.
 *
 * <p>Unlike the stock script, that directory must be safe to write into: the default lives in
 * world-writable {@code /tmp}, where another local user could have made it first, or planted a
 * link named like the next archive file (which made us truncate the link's target; issue 6).
 * So a directory that is a link, is not ours, or that others may write to is refused with a
 * warning; an archive file is only ever created new, never through a link; and a log that is
 * a link is not followed. The run also keeps its own copy of each child's log in its history.
 */
public final class LogArchive {

    private static final Logger LOG = LoggerFactory.getLogger(LogArchive.class);
    /** The stock script's {@code date '+%Y.%m.%d-%H.%M.%S.%N'}: local time. */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy.MM.dd-HH.mm.ss.nnnnnnnnn");
    public static final List<String> LOGS = List.of("mariabackup.backup.log", "mariabackup.prepare.log",
            "mariabackup.move.log", SstFiles.RECEIVE_LOG, SstFiles.COMPRESSOR_LOG, SstFiles.DECOMPRESSOR_LOG,
            SstFiles.QPRESS_LOG);

    private LogArchive() {
    }

    /**
     * Archives (or, with archiving off, removes, as the stock script truncates them) the
     * previous logs. In syslog mode the stock script writes no log files and archives nothing;
     * we still write ours (failures are judged from them), so the previous ones are removed.
     */
    public static void archive(SstConfig config, boolean toSyslog, Path datadir, long nowMs, RunRecorder recorder) {
        boolean archiving = config.logArchive() && !toSyslog;
        archive(datadir, archiving ? config.logArchiveDir() : null, nowMs, recorder);
    }

    /**
     * {@code archiveDir} null: archiving is off. With archiving on, the directory is made (or
     * refused) first, whether or not there is a log to move: the stock script creates it at
     * the start of every SST, and tests and operators' scripts list it after a first SST
     * (issue 19).
     */
    static void archive(Path datadir, Path archiveDir, long nowMs, RunRecorder recorder) {
        List<Path> present = LOGS.stream().map(datadir::resolve)
                .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        if (archiveDir == null) {
            present.forEach(FileTree::deleteQuietly);
            return;
        }
        Path dir = archiveDir;
        String refusal = refusal(dir);
        if (refusal != null) {
            String instead = ": " + refusal + "; the previous logs are archived in '" + datadir + "' instead";
            if (refusal.startsWith(NOT_CREATED)) {
                StockLine.ARCHIVE_NOT_CREATED.logWith(instead, dir);
            } else if (refusal.equals(NOT_WRITABLE)) {
                StockLine.ARCHIVE_NOT_WRITABLE.logWith(instead, dir);
            } else { // beyond the stock script: a link, someone else's, writable by others
                LOG.warn("Not archiving the previous logs into '{}': {}; archiving them in '{}' instead", dir, refusal,
                        datadir);
            }
            recorder.note("log_archive_refused", dir + ": " + refusal);
            dir = datadir;
        }
        for (Path log : present) {
            archiveOne(log, dir, archiveName(log, nowMs));
        }
    }

    /** {@code <log>.<stamp>}, without the {@code .gz} the archive gets. */
    static String archiveName(Path log, long nowMs) {
        return log.getFileName() + "." + STAMP.format(Instant.ofEpochMilli(nowMs).atZone(ZoneId.systemDefault()));
    }

    private static void archiveOne(Path log, Path dir, String name) {
        for (int n = 0; n < 100; n++) {
            Path target = dir.resolve(name + (n == 0 ? "" : "-" + n) + ".gz");
            // CREATE_NEW is O_EXCL: it fails on anything already there, a link included, and never follows one
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
                 InputStream in = Files.newInputStream(log, LinkOption.NOFOLLOW_LINKS)) {
                moving(log, dir.resolve(name + (n == 0 ? "" : "-" + n)));
                in.transferTo(out);
            } catch (FileAlreadyExistsException taken) {
                continue;
            } catch (IOException e) {
                StockLine.ARCHIVING_FAILED.logWith(": " + e.getMessage(), target);
                FileTree.deleteQuietly(target);
                return;
            }
            FileTree.deleteQuietly(log);
            return;
        }
        StockLine.ARCHIVING_FAILED.logWith(": 100 archive names are taken in " + dir, dir.resolve(name));
    }

    /** The stock line of the log being moved (mariadb-backup's three); ours of the others, in the same words. */
    private static void moving(Path log, Path to) {
        switch (log.getFileName().toString()) {
            case "mariabackup.prepare.log" -> StockLine.ARCHIVING_PREPARE_LOG.log(log, to);
            case "mariabackup.move.log" -> StockLine.ARCHIVING_MOVE_LOG.log(log, to);
            case "mariabackup.backup.log" -> StockLine.ARCHIVING_BACKUP_LOG.log(log, to);
            default -> LOG.info("Moving '{}' to '{}'", log, to);
        }
    }

    private static final String NOT_CREATED = "it cannot be created";
    private static final String NOT_WRITABLE = "it is not writable";

    /** Why {@code dir} is not safe to archive into, or null; creates it (owner only) when missing. */
    static String refusal(Path dir) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (Files.isSymbolicLink(dir)) {
                return "it is a symbolic link";
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return "it is not a directory";
            }
            UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
            UserPrincipal self = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
            if (!owner.equals(self)) {
                return "it belongs to " + owner.getName() + ", not to " + self.getName() + " who runs the SST";
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                return "others may write to it (" + PosixFilePermissions.toString(perms) + ")";
            }
            if (!Files.isWritable(dir)) {
                return NOT_WRITABLE;
            }
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return NOT_CREATED + " or read: " + e.getMessage();
        }
    }
}
