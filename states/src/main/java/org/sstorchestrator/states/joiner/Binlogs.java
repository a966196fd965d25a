package org.sstorchestrator.states.joiner;

import java.nio.file.Path;
import org.sstorchestrator.states.SstContext;

/** Where this node's binary logs live, from --binlog / --binlog-index (absent: binlog is off). */
record Binlogs(Path dir, String base, Path index) {

    static Binlogs of(SstContext ctx) {
        String binlog = ctx.args.get("binlog").orElse(null);
        if (binlog == null) {
            return null;
        }
        Path full = ctx.datadir.resolve(binlog).normalize();
        Path index = ctx.args.get("binlog-index").map(i -> ctx.datadir.resolve(i).normalize())
                .orElse(full.resolveSibling(full.getFileName() + ".index"));
        return new Binlogs(full.getParent(), full.getFileName().toString(), index);
    }

    boolean isBinlog(String name) {
        return name.startsWith(base + ".") && name.length() > base.length() + 1
                && Character.isDigit(name.charAt(base.length() + 1));
    }
}
