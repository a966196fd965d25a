package org.sstorchestrator.cli;

/** {@code wsrep_sst_mariabackup_sm}: mysqld runs this on the joiner and the donor. */
public final class WsrepSstMain {

    private WsrepSstMain() {
    }

    public static void main(String[] argv) {
        // the launcher passes the name mysqld ran it by (wsrep_sst_mariabackup_sm, or wsrep_sst_mariabackup)
        String script = System.getProperty("sst.script", "wsrep_sst_mariabackup_sm");
        System.exit(new SstProcess(System.getenv(), System.in, System.err, script).run(argv));
    }
}
