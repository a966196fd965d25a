package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstException;

/**
 * A no-op unless the donor sent qpress-compressed files ({@code compress} on a stock donor).
 * qpress is not packaged for Debian 12, so such a backup is refused here, before any wipe,
 * rather than failing in prepare.
 */
public final class Decompress implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) throws IOException {
        try (Stream<java.nio.file.Path> files = Files.walk(ctx.sstDir())) {
            long qp = files.filter(p -> p.getFileName().toString().endsWith(".qp")).count();
            if (qp > 0) {
                throw new SstException(ExitCode.EINVAL, "the donor sent " + qp + " qpress-compressed files; this version"
                        + " cannot decompress them: remove 'compress' from the donor's [sst]/[mariabackup] options");
            }
        }
        return OK;
    }
}
