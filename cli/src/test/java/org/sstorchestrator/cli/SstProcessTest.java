package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SstProcessTest {

    /** The start and end lines name the method as the stock common script names itself (issue 9, item 6). */
    @Test
    void theMethodIsTheScriptsNameWithoutDirectoryExtensionOrPrefix() {
        assertEquals("mariabackup_sm", SstProcess.method("wsrep_sst_mariabackup_sm"));
        assertEquals("mariabackup", SstProcess.method("/opt/node/basedir/bin/wsrep_sst_mariabackup"));
        assertEquals("mariabackup", SstProcess.method("wsrep_sst_mariabackup.sh"));
    }
}
