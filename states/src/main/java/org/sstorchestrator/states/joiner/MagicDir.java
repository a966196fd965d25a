package org.sstorchestrator.states.joiner;

import java.nio.file.Path;

/** Given by {@link ReceiveMagic} (or by a resumed run, from its record): where transfer 1's files went; cleanup removes it. */
public record MagicDir(Path dir) {
}
