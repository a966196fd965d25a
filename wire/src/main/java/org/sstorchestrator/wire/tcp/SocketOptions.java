package org.sstorchestrator.wire.tcp;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What is set on a transfer's sockets beyond our defaults (TCP_NODELAY and keepalive on, 1 MiB
 * buffers), as resolved by the program from its settings; {@code setting} is what a failure to
 * apply one names (the SST's {@code [sst] sockopt}). Empty fields keep the default.
 *
 * @param bind    the local address: the listener's, or the connecting end's ({@code host[:port]})
 * @param family  the address family a host name resolves to
 */
public record SocketOptions(
        String setting,
        Optional<String> bind,
        Optional<Family> family,
        Optional<Boolean> keepAlive,
        OptionalInt keepIdle,
        OptionalInt keepInterval,
        OptionalInt keepCount,
        Optional<Boolean> noDelay,
        OptionalInt receiveBuffer,
        OptionalInt sendBuffer,
        Optional<Boolean> reuseAddress,
        Optional<Boolean> reusePort,
        OptionalInt lingerSeconds,
        Optional<Duration> connectTimeout,
        OptionalInt backlog,
        OptionalInt typeOfService) {

    public enum Family { IPV4, IPV6 }

    /** Our defaults alone. */
    public static SocketOptions none() {
        return new SocketOptions("socket options", Optional.empty(), Optional.empty(), Optional.empty(),
                OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), OptionalInt.empty(),
                OptionalInt.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty(),
                OptionalInt.empty(), OptionalInt.empty());
    }
}
