package org.sstorchestrator.states.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What sst-admin takes from mysqld's own options in my.cnf ([mysqld], as mysqld reads it): where
 * the server listens, its datadir, the address a joiner advertises. An SST is given these by
 * mysqld on its command line; sst-admin has only the option files, and reads them here, in
 * config, like every other option.
 */
public record ServerOptions(Optional<String> socket, Optional<String> port, Optional<Path> datadir,
                            Optional<String> sstReceiveAddress) {

    public static ServerOptions from(OptionFiles cnf) {
        return new ServerOptions(cnf.mysqld("socket"), cnf.mysqld("port"), cnf.mysqld("datadir").map(Path::of),
                cnf.mysqld("wsrep-sst-receive-address"));
    }
}
