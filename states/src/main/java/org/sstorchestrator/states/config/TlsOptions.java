package org.sstorchestrator.states.config;

import java.util.List;
import java.util.Optional;

/**
 * What the TLS transport applies of socat's OPENSSL options in {@code [sst] sockopt}, resolved
 * by {@link SocatTls}: plain values, named as JSSE names them.
 *
 * @param cipherSuites the suites to enable, TLS 1.3's and then those the cipher list leaves, in
 *                     its order; empty: JSSE's own
 * @param protocols    the protocols to enable (TLSv1.2, TLSv1.3); empty: JSSE's own
 * @param verify       verify=0 or 1; empty: as encrypt, ssl-mode and the CA say
 * @param peerName     commonname=: the name this side checks in the peer's certificate, empty
 *                     text for the chain alone; empty: the stock script's rule (PeerName)
 * @param sni          the donor sends SNI: with this name, or with the joiner's host name when
 *                     the text is empty; empty: no SNI, as the stock script's no-sni=1
 * @param applied      what was applied, for the log and the run's record
 */
public record TlsOptions(List<String> cipherSuites, List<String> protocols, Optional<Boolean> verify,
                         Optional<String> peerName, Optional<String> sni, List<String> applied) {

    public static final TlsOptions NONE = new TlsOptions(List.of(), List.of(), Optional.empty(), Optional.empty(),
            Optional.empty(), List.of());

    public TlsOptions {
        cipherSuites = List.copyOf(cipherSuites);
        protocols = List.copyOf(protocols);
        applied = List.copyOf(applied);
    }

    public boolean isEmpty() {
        return applied.isEmpty();
    }
}
