package org.sstorchestrator.states;

/**
 * Exit codes, mirroring the errno values the stock wsrep_sst_mariabackup script uses, so an
 * operator's runbook and mysqld's error log mean the same thing for both methods.
 * docs/exit-codes.md is generated from this enum and tested against it.
 */
public enum ExitCode {
    OK(0, "success", "nothing to do"),
    GENERIC(1, "unexpected internal error", "rerun with SST_DEBUG=1 and report the stack trace"),
    ENOENT(2, "a file, directory or tool is missing (datadir, checkpoints file, info file)",
            "check the named path exists and is readable by the mysql user"),
    INTERRUPTED(3, "interrupted by a signal (INT, TERM, QUIT); or, as with the stock script, encrypt=1 without"
            + " encrypt-algo or without a usable encrypt-key / encrypt-key-file",
            "rerun the SST (nothing was reported to mysqld), or set the named encrypt-* option"),
    EINVAL(22, "invalid configuration, or mariadb-backup failed to back up, prepare or move",
            "fix the named setting, or read the named mariadb-backup log"),
    ENOSPC(28, "the donor's data does not fit on the datadir's filesystem, even once the old data is wiped"
            + " (ours: the stock script finds out when the disk is full mid-stream)",
            "free space on that filesystem, or lower [sst] sst-space-reserve"),
    EPIPE(32, "the transfer failed: no data in time, connection lost, bad stream, wrong secret, parent died",
            "check the peer's error log and the network between the nodes"),
    TOOL_MISSING(42, "mariadb-backup or mbstream not found", "install the mariadb-backup package on this node"),
    NO_SST_VERSION(93, "the joiner sent no sst_ver (it is too old for backup locks)", "upgrade the joiner"),
    VERSION_SKEW(95, "the donor's backup comes from a newer MariaDB major version (its server or mariadb-backup) than"
            + " this node's mariadb-backup, which cannot prepare it; refused before the old data is wiped (ours; the"
            + " stock script wipes, then fails in prepare)",
            "upgrade this node to the donor's major version first, or choose a donor of this node's version"
                    + " (wsrep_sst_donor)"),
    EALREADY(114, "another SST is still running on this datadir",
            "wait for it, or see sst-admin history for the run that holds it");

    private final int code;
    private final String meaning;
    private final String remedy;

    ExitCode(int code, String meaning, String remedy) {
        this.code = code;
        this.meaning = meaning;
        this.remedy = remedy;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    public String remedy() {
        return remedy;
    }

    public static ExitCode of(int code) {
        for (ExitCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return GENERIC;
    }

    /** The Markdown table in docs/exit-codes.md. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder();
        out.append("# Exit codes of wsrep_sst_mariabackup_sm\n\n")
                .append("Generated from `ExitCode.java`; `GeneratedDocsTest` fails when this file is stale.\n")
                .append("The values mirror the errno codes of the stock `wsrep_sst_mariabackup` script.\n\n")
                .append("| code | name | meaning | what to do |\n")
                .append("| --- | --- | --- | --- |\n");
        for (ExitCode c : values()) {
            out.append("| ").append(c.code).append(" | ").append(c.name()).append(" | ")
                    .append(c.meaning).append(" | ").append(c.remedy).append(" |\n");
        }
        return out.toString();
    }
}
