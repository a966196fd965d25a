package org.sstorchestrator.cli;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;

/**
 * For the ITs that run our joiner and donor directly ({@link DirectSst}): one bootstrapped
 * mariabackup_sm node with some rows, started before the class's tests and finished after
 * them ({@link ClusterFixture#finish}). Register as a static field with {@code @RegisterExtension}.
 */
final class OneDonor implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private final int megabytes;
    private LocalCluster cluster;

    OneDonor(String name, int megabytes) {
        this.name = name;
        this.megabytes = megabytes;
    }

    GaleraNode node() {
        return cluster.nodes().get(0);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = ClusterFixture.newCluster(name);
        GaleraNode node = cluster.addNode("mariabackup_sm", false, java.util.List.of());
        cluster.bootstrap(node);
        LocalCluster.load(node, megabytes);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            ClusterFixture.finish(context.getRequiredTestClass(), cluster);
        }
    }
}
