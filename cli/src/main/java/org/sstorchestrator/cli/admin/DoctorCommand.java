package org.sstorchestrator.cli.admin;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sstorchestrator.cli.cluster.ClusterPublisher;
import org.sstorchestrator.persistence.ClusterOutbox;
import org.sstorchestrator.persistence.ClusterStore;
import org.sstorchestrator.persistence.ClusterStoreException;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryException;
import org.sstorchestrator.states.args.Credentials;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.args.SstAddress;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.ClusterHistoryTable;
import org.sstorchestrator.states.config.Encrypt;
import org.sstorchestrator.states.config.HistoryLocation;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.ServerOptions;
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.config.StreamEncryption;
import org.sstorchestrator.states.config.TlsSettings;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.exec.Tools;
import org.sstorchestrator.states.tls.TlsMaterial;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sst-admin doctor}: the checks an operator runs before trusting a node with an SST.
 * Each prints PASS or FAIL with a remedy; any FAIL makes the exit code 1. Changes nothing.
 */
@picocli.CommandLine.Command(name = "doctor", mixinStandardHelpOptions = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:refused or failed; the message names the value and the reason", "2:invalid usage"},
        description = "Checks this node: tools present and matching the server, option values, the SST user, the TLS"
                + " files each role would use (as joiner and as donor: readable, valid now, the key the certificate's,"
                + " issued by the CA), free disk against the datadir, no sst_in_progress or status left by an SST that"
                + " is gone, the metrics directory, the SST port, the history directory, and that the install (lib/,"
                + " bin/ and the directories above) is root's and writable by no one else; with [sst] cluster-history,"
                + " that the SST user may write that table (the GRANT to give when not) and what waits to be published."
                + " Exit 1 on any failure. --bootstrap-check: only whether the node may seed a cluster.")
public final class DoctorCommand implements Callable<Integer> {

    /** Where the history is: run as root, doctor acts as the user who controls it, as every command does. */
    @picocli.CommandLine.Mixin
    HistoryOptions where;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Option(names = "--bootstrap-check", description = "only whether this node may seed a cluster: exit 1 when its last"
            + " joiner run did not complete (its data is partial or old)")
    boolean bootstrapCheck;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    record Check(String name, boolean pass, String detail, String remedy) {
    }

    @Override
    public Integer call() {
        List<Check> checks = new ArrayList<>();
        if (bootstrapCheck) {
            checks.add(NodeChecks.bootstrap(where.resolve(), where.datadir()));
            return report(checks);
        }
        ChildProcesses children = new ChildProcesses((c, code, s, e) -> { }, new Abort());
        Tools tools = new Tools(System.getenv("PATH"));
        List<String> defaults = where.defaultsFile == null ? List.of() : List.of("--defaults-file=" + where.defaultsFile);

        Map<String, Optional<Path>> found = new LinkedHashMap<>();
        for (String tool : List.of("my_print_defaults", "mariadb-backup", "mbstream", "mariadb")) {
            Optional<Path> p = tools.find(tool);
            found.put(tool, p);
            checks.add(new Check("tool " + tool, p.isPresent(), p.map(Path::toString).orElse("not found in PATH"),
                    "install the mariadb-backup / mariadb-client package"));
        }
        checks.add(InstallTree.check());
        if (found.get("my_print_defaults").isEmpty()) {
            return report(checks);
        }
        OptionFiles cnf;
        try {
            cnf = OptionFiles.read(children, found.get("my_print_defaults").get(), defaults);
        } catch (SstException e) {
            checks.add(new Check("my.cnf readable", false, e.getMessage(), "fix the file my_print_defaults names"));
            return report(checks);
        }
        checks.add(versionCheck(children, found.get("mariadb-backup"), tools));
        SstConfig config = null;
        try {
            config = SstConfig.from(cnf);
            checks.add(new Check("[sst] options", true, "valid" + (config.warnings().isEmpty() ? ""
                    : "; " + String.join("; ", config.warnings())), ""));
        } catch (SstException e) {
            checks.add(new Check("[sst] options", false, e.getMessage(), "fix the named option"));
        }
        checks.addAll(tlsChecks(cnf, java.time.Instant.now()));
        Optional<Path> datadir = ServerOptions.from(cnf).datadir();
        checks.add(userCheck(children, found.get("mariadb"), cnf, config));
        datadir.ifPresentOrElse(d -> checks.add(diskCheck(d)), () -> checks.add(new Check("free disk", false,
                "no [mysqld] datadir in my.cnf", "pass --defaults-file of the node")));
        datadir.ifPresent(d -> checks.add(NodeChecks.markers(d)));
        if (config != null) {
            NodeChecks.metricsDir(config.metricsDir()).ifPresent(checks::add);
        }
        checks.add(portCheck(cnf));
        clusterCheck(cnf).ifPresent(checks::add);
        where.resolveForHandover().ifPresent(h -> {
            Path existing = h;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            // run as root, doctor has become the user who controls the history: this is that user's answer
            boolean ok = existing != null && Files.isWritable(existing);
            checks.add(new Check("history directory", ok, h + (ok ? " is writable" : " cannot be created") + " by "
                    + System.getProperty("user.name"), "create it owned by the mysql user, or set [sst] history-dir"));
        });
        return report(checks);
    }

    /**
     * The TLS material each role of an SST would use, resolved and checked by the very code
     * the SST runs before its transfer (TlsSettings, TlsMaterial): the joiner's (the listener,
     * with ssl-server-*) and the donor's (ssl-client-*); with encrypt=1, the key.
     */
    static List<Check> tlsChecks(OptionFiles cnf, java.time.Instant now) {
        List<Check> out = new ArrayList<>();
        for (Role role : Role.values()) {
            String name = "TLS as " + role.label();
            TlsSettings settings;
            try {
                settings = TlsSettings.resolve(cnf, role);
            } catch (SstException e) {
                out.add(new Check(name, false, e.getMessage(), "fix the named setting"));
                continue;
            }
            settings.warnings().forEach(w -> out.add(new Check(name, true, "WARNING: " + w, "")));
            if (settings.encrypt() == Encrypt.OPENSSL_ENC) {
                try {
                    out.add(new Check(name, true, settings.describe() + ": " + StreamEncryption.from(cnf), ""));
                } catch (SstException e) {
                    out.add(new Check(name, false, e.getMessage(), "fix the named setting"));
                }
                continue;
            }
            for (TlsMaterial.Finding f : new TlsMaterial(settings).check(now)) {
                out.add(new Check(name, f.ok(), f.detail(), f.remedy()));
            }
        }
        return out;
    }

    private Check versionCheck(ChildProcesses children, Optional<Path> backup, Tools tools) {
        Optional<Path> server = tools.find("mariadbd").or(() -> Optional.of(Path.of("/usr/sbin/mariadbd"))
                .filter(Files::isExecutable));
        if (backup.isEmpty() || server.isEmpty()) {
            return new Check("mariadb-backup matches the server", false, "mariadb-backup or mariadbd not found",
                    "install both from the same MariaDB release");
        }
        String b = version(children, backup.get());
        String s = version(children, server.get());
        return new Check("mariadb-backup matches the server", b != null && b.equals(s),
                "mariadb-backup " + b + ", mariadbd " + s, "install the mariadb-backup of the server's exact version");
    }

    private static String version(ChildProcesses children, Path program) {
        ChildProcesses.Captured c = children.capture(Command.of(program, List.of("--version")));
        Matcher m = Pattern.compile("(\\d+\\.\\d+\\.\\d+)").matcher(c.stdout() + c.stderr());
        return m.find() ? m.group(1) : null;
    }

    private Check userCheck(ChildProcesses children, Optional<Path> client, OptionFiles cnf, SstConfig config) {
        Credentials c = ClusterAccess.sstUser(cnf, System.getenv());
        if (c.user().isEmpty()) {
            return new Check("SST user connects", false, "no wsrep_sst_auth in my.cnf",
                    "set wsrep_sst_auth=user:password for a user with RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR");
        }
        if (client.isEmpty()) {
            return new Check("SST user connects", false, "the mariadb client is not installed", "install mariadb-client");
        }
        List<String> args = new ArrayList<>();
        if (where.defaultsFile != null) {
            args.add("--defaults-file=" + where.defaultsFile);
        }
        ServerOptions.from(cnf).socket().ifPresent(s -> args.add("--socket=" + s));
        args.addAll(List.of("--user=" + c.user(), "-N", "-B", "-e", "SHOW GRANTS"));
        ChildProcesses.Captured out = children.capture(Command.of(client.get(), args).withSecretEnv("MYSQL_PWD", c.password()));
        if (out.exitCode() != 0) {
            return new Check("SST user connects", false, "'" + c.user() + "' cannot connect: " + out.stderr().strip(),
                    "start mysqld, or fix wsrep_sst_auth / the user's password (needed on a donor)");
        }
        String grants = out.stdout().toUpperCase(Locale.ROOT);
        List<String> missing = new ArrayList<>();
        if (!grants.contains("ALL PRIVILEGES")) {
            for (String need : List.of("RELOAD", "PROCESS", "LOCK TABLES", "BINLOG MONITOR")) {
                if (!grants.contains(need)) {
                    missing.add(need);
                }
            }
        }
        return new Check("SST user connects", missing.isEmpty(), missing.isEmpty() ? "'" + c.user()
                + "' connects with the privileges mariadb-backup needs" : "'" + c.user() + "' lacks " + missing,
                "GRANT " + String.join(", ", missing) + " ON *.* TO the SST user");
    }

    /**
     * With [sst] cluster-history set: the SST user reaches this node's server and holds what
     * publishing needs on the table's schema (the GRANT to run when not), and what waits in
     * this node's outbox, with the last failure's reason.
     */
    private Optional<Check> clusterCheck(OptionFiles cnf) {
        ClusterHistoryTable table;
        try {
            Optional<ClusterHistoryTable> set = ClusterHistoryTable.from(cnf);
            if (set.isEmpty()) {
                return Optional.empty();
            }
            table = set.get();
        } catch (SstException e) {
            return Optional.of(new Check("cluster history", false, e.getMessage(), "fix the named option"));
        }
        String waiting = waiting(table);
        ClusterAccess access = ClusterAccess.of(cnf, where);
        ClusterAccess.Login login = access.writer();
        try (ClusterStore store = access.open(login)) {
            String account = store.server().account();
            List<String> missing = table.missing(store.grants());
            return Optional.of(new Check("cluster history", missing.isEmpty(), missing.isEmpty()
                    ? account + " may create and write " + table + " on " + access.endpoint() + waiting
                    : account + " lacks " + String.join(", ", missing) + " on " + table.schema() + ".* (granted"
                            + " through a role it would not show here)" + waiting,
                    table.grant(account) + "; then sst-admin publish"));
        } catch (ClusterStoreException e) {
            return Optional.of(new Check("cluster history", false, e.getMessage() + waiting,
                    ClusterPublisher.remedy(table, e.reason(), "'" + login.user() + "'@'localhost'")));
        }
    }

    /** "; N run(s) wait (last attempt: reason)" from this node's outbox, or nothing when none wait. */
    private String waiting(ClusterHistoryTable table) {
        Optional<Path> dir = where.resolveForHandover();
        if (dir.isEmpty() || !HistoryDatabase.exists(dir.get())) {
            return "";
        }
        try (HistoryDatabase db =
                     HistoryDatabase.openForReading(dir.get())) {
            var outbox = new ClusterOutbox(db, System::currentTimeMillis);
            int n = outbox.pending(table.toString()).size();
            String last = outbox.lastFailure(table.toString()).map(f -> " (last attempt: " + f.reason() + ")").orElse("");
            return n == 0 ? "" : "; " + n + " run(s) of this node wait" + last;
        } catch (HistoryException e) {
            return "; " + e.getMessage();
        }
    }

    private static Check diskCheck(Path datadir) {
        try {
            long used = org.sstorchestrator.states.layout.FileTree.size(datadir);
            long free = Files.getFileStore(datadir).getUsableSpace();
            // The joiner keeps the old datadir until the new data is prepared: room for one more copy.
            return new Check("free disk", free > used, String.format("%s free, datadir holds %s", Leftovers.mb(free),
                    Leftovers.mb(used)), "free space: a joiner needs room for a second copy of the data while it prepares");
        } catch (IOException e) {
            return new Check("free disk", false, datadir + ": " + e.getMessage(), "check the datadir exists");
        }
    }

    private static Check portCheck(OptionFiles cnf) {
        String addr = ServerOptions.from(cnf).sstReceiveAddress().filter(a -> !a.equals("AUTO")).orElse("0.0.0.0:4444");
        try {
            SstAddress a = SstAddress.parse("wsrep_sst_receive_address", addr);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(a.socketHost(), a.port()));
            }
            return new Check("SST port free", true, a.host() + ":" + a.port() + " can be listened on", "");
        } catch (SstException e) {
            return new Check("SST port free", false, e.getMessage(), "fix wsrep_sst_receive_address");
        } catch (IOException e) {
            return new Check("SST port free", false, addr + ": " + e.getMessage(),
                    "stop what listens there, or change wsrep_sst_receive_address");
        }
    }

    private int report(List<Check> checks) {
        PrintWriter out = spec.commandLine().getOut();
        boolean ok = checks.stream().allMatch(Check::pass);
        if (json) {
            List<Object> l = new ArrayList<>();
            for (Check c : checks) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("check", c.name());
                m.put("pass", c.pass());
                m.put("detail", c.detail());
                m.put("remedy", c.pass() ? null : c.remedy());
                l.add(m);
            }
            out.println(Json.write(Map.of("pass", ok, "checks", l)));
        } else {
            for (Check c : checks) {
                out.printf("%s  %-34s %s%n", c.pass() ? "PASS" : "FAIL", c.name(), c.detail());
                if (!c.pass()) {
                    out.printf("      %-34s remedy: %s%n", "", c.remedy());
                }
            }
            out.println(ok ? "All checks passed." : "Some checks failed.");
        }
        out.flush();
        return ok ? 0 : 1;
    }

}
