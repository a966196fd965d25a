package org.sstorchestrator.cli;

/** {@code wsrep_sst_mariabackup_sm}: mysqld runs this on the joiner and the donor. */
public final class WsrepSstMain {

    private WsrepSstMain() {
    }

    public static void main(String[] argv) {
        System.exit(new SstProcess(System.getenv(), System.in, System.err).run(argv));
    }
}
