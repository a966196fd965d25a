package org.sstorchestrator.states.config;

import java.util.Optional;
import java.util.regex.Pattern;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * The table {@code [sst] cluster-history} names for the cluster's SST history (issue 21), as
 * {@code schema.table}. Both names are plain identifiers, so they can stand in SQL and in a
 * GRANT without quoting rules to get wrong; anything else is refused (22) naming the option.
 * Unset (the default) means the feature is off: enabling it creates a table in a replicated
 * schema and needs a grant, which is the operator's decision to make, not ours.
 */
public record ClusterHistoryTable(String schema, String table) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_]{1,64}");
    /** The table's own Flyway history beside it takes this suffix: the name must leave room for it. */
    private static final int SUFFIX = "_schema_history".length();

    public static Optional<ClusterHistoryTable> from(OptionFiles cnf) {
        return Opt.CLUSTER_HISTORY.value(cnf).map(v -> parse(Opt.CLUSTER_HISTORY.named(), v));
    }

    static ClusterHistoryTable parse(String option, String value) {
        int dot = value.indexOf('.');
        String schema = dot < 0 ? "" : value.substring(0, dot);
        String table = dot < 0 ? value : value.substring(dot + 1);
        if (!IDENTIFIER.matcher(schema).matches() || !IDENTIFIER.matcher(table).matches()
                || table.length() > 64 - SUFFIX) {
            throw new SstException(ExitCode.EINVAL, option + " '" + value + "' is not schema.table: two names of letters,"
                    + " digits and '_' (the table at most " + (64 - SUFFIX) + " characters), for example"
                    + " sst_orchestrator.history");
        }
        return new ClusterHistoryTable(schema, table);
    }

    /** The privileges the SST user needs on the schema: create and migrate the table, then publish to it. */
    public static final String PRIVILEGES = "SELECT, INSERT, UPDATE, CREATE, ALTER";

    /** The exact statement that gives them to {@code account} ('user'@'host'). */
    public String grant(String account) {
        return "GRANT " + PRIVILEGES + " ON " + schema + ".* TO " + account;
    }

    /**
     * Of {@link #PRIVILEGES}, those that SHOW GRANTS's lines do not give on this table, its
     * schema or everything. A privilege that comes through a role is not seen (doctor says so).
     */
    public java.util.List<String> missing(java.util.List<String> grants) {
        java.util.Set<String> have = new java.util.HashSet<>();
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("^GRANT (.+?) ON (\\S+) TO .*");
        for (String g : grants) {
            java.util.regex.Matcher m = line.matcher(g.strip());
            if (!m.matches()) {
                continue;
            }
            String on = m.group(2).replace("`", "");
            if (!on.equals("*.*") && !on.equals(schema + ".*") && !on.equals(schema + "." + table)) {
                continue;
            }
            for (String p : m.group(1).split(",")) {
                String name = p.strip().replaceAll("\\s*\\(.*\\)$", ""); // a column list narrows it: not enough
                if (name.equals("ALL PRIVILEGES") || name.equals("ALL")) {
                    have.addAll(java.util.List.of(PRIVILEGES.split(", ")));
                } else if (!p.contains("(")) {
                    have.add(name);
                }
            }
        }
        return java.util.Arrays.stream(PRIVILEGES.split(", ")).filter(p -> !have.contains(p)).toList();
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
