package org.sstorchestrator.states.joiner;

import java.net.InetAddress;
import org.sstorchestrator.states.wire.GaleraInfo;

/**
 * Given by {@link ReceiveMagic}: transfer 1, the donor's info file (position, total, secret),
 * the address it came from (transfer 2 is accepted from that address only) and whether the
 * donor bypasses the SST for IST.
 */
public record FromDonor(GaleraInfo info, InetAddress donor, boolean ist) {
}
