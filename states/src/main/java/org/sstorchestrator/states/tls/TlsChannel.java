package org.sstorchestrator.states.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.TlsOptions;
import org.sstorchestrator.states.config.TlsSettings;
import org.sstorchestrator.states.text.Printable;
import org.sstorchestrator.wire.tls.TlsLayer;

/**
 * The run's TLS between donor and joiner: the JDK's own protocol (JSSE: 0.83 GB/s here, where
 * BouncyCastle's bctls ran 0.08), set up from the PEM material of {@link TlsMaterial} as socat
 * sets it up for the stock script: the joiner is the server and, when it has a CA, requires and
 * verifies the donor's certificate (socat's verify=1); the donor is the client, sends no SNI
 * (no-sni=1), verifies the joiner's chain when it has a CA and then the name
 * {@link PeerName#expected} chose; without a CA nobody verifies anybody (verify=0). Our
 * certificate goes with its whole chain from the file.
 *
 * <p>It makes the wire's {@link TlsLayer} for each transfer (its engine, and what its failures
 * say in the SST's terms: a peer whose handshake fails, or that speaks cleartext, ends the run
 * with 32, the stock code for a transfer that failed), and describes each session for the record.
 */
public final class TlsChannel {

    /** What one transfer negotiated, for the record. */
    public record Session(String protocol, String cipherSuite, Optional<String> peerSubject,
                          Optional<String> peerFingerprint, Optional<String> checkedName, boolean resumed,
                          Optional<String> sni) {

        public String describe(TlsSettings s) {
            return s.describe() + " " + protocol + " " + cipherSuite + "; peer " + peerSubject.orElse("(no certificate)")
                    + peerFingerprint.map(f -> " SHA-256 " + f).orElse("")
                    + (!s.verifiesPeer() ? "; peer not verified (" + (s.ca().isPresent() || s.capath().isPresent()
                    ? "sockopt verify=0" : "no CA") + ")"
                    : checkedName.map(n -> "; chain and name '" + n + "' verified").orElse("; chain verified"))
                    + sni.map(n -> "; SNI '" + n + "'").orElse("")
                    + (resumed ? " (by the earlier transfer: this one resumed its session)" : "");
        }
    }

    private final TlsMaterial.Loaded material;
    private final SSLContext server;
    /**
     * The donor's contexts, one per name to check, kept for the run: transfer 2 then resumes
     * transfer 1's session (TLS 1.3 PSK, the joiner's ticket) instead of a second full
     * handshake, so no second signature and chain check on either node (60-100 ms of a fresh
     * JVM's time). A resumed session proves the joiner is the one transfer 1 verified.
     */
    private final Map<Optional<String>, SSLContext> clients = new ConcurrentHashMap<>();
    /** When each session this channel saw was made: a resumed one keeps its first handshake's time. */
    private final Set<Long> sessionsMade = ConcurrentHashMap.newKeySet();
    private final List<String> settingNames;

    private TlsChannel(TlsMaterial.Loaded material, SSLContext server) {
        this.material = material;
        this.server = server;
        TlsSettings s = material.settings();
        this.settingNames = List.of(s.cert().map(Object::toString).orElse("-"),
                s.ca().or(s::capath).map(Object::toString).orElse("no CA"));
    }

    public static TlsChannel of(TlsMaterial.Loaded material) {
        TlsSettings s = material.settings();
        if (s.role() == Role.JOINER && s.dhparams().isPresent()) {
            useDhParameters(s.dhparams().get());
        }
        // socat's listener with commonname= checks the client's certificate for it (sockopt, issue 19)
        return new TlsChannel(material, context(material, s.options().peerName().filter(n -> !n.isEmpty())));
    }

    /**
     * One context per use: the donor's verifier carries the name that transfer must show. A
     * side that does not verify (no CA, or sockopt verify=0) trusts no anchor and checks nothing.
     */
    private static SSLContext context(TlsMaterial.Loaded material, Optional<String> name) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            List<X509Certificate> anchors = material.settings().verifiesPeer() ? material.anchors() : List.of();
            c.init(new X509ExtendedKeyManager[] {new OneKey(material.chain(), material.key())},
                    new X509ExtendedTrustManager[] {new Verifier(anchors, name)}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new SstException(ExitCode.EINVAL, "cannot set up TLS from " + material.settings().cert().orElse(null)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * ssl-dhparams, for DHE suites under TLS 1.2 with a client that names no FFDHE group
     * (socat's dhparam=): JSSE takes a server's DH group from this security property and its
     * size from jdk.tls.ephemeralDHKeySize, both read once, before the first DHE handshake.
     */
    private static void useDhParameters(TlsSettings.Setting dh) {
        try {
            BigInteger[] pg = PemFiles.dhParameters(dh.path());
            Security.setProperty("jdk.tls.server.defaultDHEParameters", "{" + pg[0].toString(16) + "," + pg[1].toString(16)
                    + "}");
            System.setProperty("jdk.tls.ephemeralDHKeySize", Integer.toString(pg[0].bitLength()));
        } catch (IOException e) {
            throw new SstException(ExitCode.EINVAL, dh + ": " + e.getMessage());
        }
    }

    /**
     * The layer of one transfer: the joiner's TLS server, or the donor's client to {@code host}
     * and {@code port} checking {@code name} (empty: the chain only; the donor's sessions are
     * kept per name, so transfer 2 resumes transfer 1's). {@code awaitClose}: ending our output
     * waits this long for the peer's own close (the donor's transfer 1). {@code recorded} is told
     * the session once the handshake is done.
     */
    public TlsLayer layer(String what, String host, int port, Optional<String> name, Duration handshake,
                          Optional<Duration> awaitClose, Consumer<Session> recorded) {
        boolean joiner = material.settings().role() == Role.JOINER;
        return new TlsLayer(() -> joiner ? serverEngine() : clientEngine(host, port, name), handshake, awaitClose,
                new Words(what, joiner), e -> recorded.accept(session(e, name)));
    }

    /** Joiner: the TLS server. */
    private SSLEngine serverEngine() {
        SSLEngine e = server.createSSLEngine();
        e.setUseClientMode(false);
        restrict(e);
        e.setNeedClientAuth(material.settings().verifiesPeer());
        return e;
    }

    /**
     * Donor: the TLS client. The context, and with it the session cache, is kept per name: JSSE
     * resumes a session of the same host and port, which transfer 2 is.
     */
    private SSLEngine clientEngine(String host, int port, Optional<String> name) {
        SSLEngine e = clients.computeIfAbsent(name, n -> context(material, n)).createSSLEngine(host, port);
        e.setUseClientMode(true);
        restrict(e);
        SSLParameters p = e.getSSLParameters();
        p.setServerNames(serverNames(host)); // socat's no-sni=1, unless sockopt says otherwise
        e.setSSLParameters(p);
        return e;
    }

    /** What a transfer's TLS failures say: which transfer, who the peer is, which of our settings to check. */
    private final class Words implements TlsLayer.Words {
        private final String what;
        private final boolean joiner;
        private final String peer;

        Words(String what, boolean joiner) {
            this.what = what;
            this.joiner = joiner;
            this.peer = joiner ? "donor" : "joiner";
        }

        @Override
        public String closedBeforeHandshake() {
            return what + ": the donor closed the connection before the TLS handshake (is it refusing this joiner, or not"
                    + " configured for TLS?)";
        }

        @Override
        public String cleartext(byte[] first) {
            return what + ": the donor sent cleartext where a TLS handshake was expected (its first bytes: "
                    + Printable.bytes(first) + (startsWith(first, "XBSTC") ? ", an mbstream" : "")
                    + "): set encrypt and ssl-mode on the donor as on this joiner (" + material.settings().describe() + ")";
        }

        @Override
        public String timedOut(Duration handshake) {
            return what + ": the TLS handshake with the " + peer + " did not complete within " + handshake.toSeconds() + " s"
                    + (joiner ? "" : ": does the joiner speak TLS (encrypt, ssl-mode on the joiner)?");
        }

        @Override
        public String refused(SSLException e) {
            return what + ": " + handshakeFailure(peer, e);
        }

        @Override
        public String ended(IOException e) {
            return what + ": the " + peer + " ended the TLS handshake (" + e.getMessage() + "): it did not accept this "
                    + (joiner ? "joiner" : "donor") + "'s certificate (" + settingNames.get(0)
                    + ") or does not speak TLS; see the " + peer + "'s log";
        }

        @Override
        public String refusedAtClose(String alert) {
            return what + ": the joiner refused the TLS session (" + alert + "): it does not trust this donor's certificate;"
                    + " check the joiner's ssl-ca against this donor's ssl-cert (or ssl-client-cert)";
        }

        @Override
        public String notClosed(Duration bound) {
            return what + ": the joiner did not close its end within " + bound.toSeconds() + " s; going on";
        }
    }

    /** sockopt's cipher= and min-/max-version (config.SocatTls): the suites and protocols this side offers. */
    private void restrict(SSLEngine s) {
        TlsOptions o = material.settings().options();
        if (!o.cipherSuites().isEmpty()) {
            s.setEnabledCipherSuites(o.cipherSuites().toArray(String[]::new));
        }
        if (!o.protocols().isEmpty()) {
            s.setEnabledProtocols(o.protocols().toArray(String[]::new));
        }
    }

    /**
     * The SNI the donor sends: none, as the stock script's no-sni=1; with sockopt's no-sni=0 or
     * snihost=, that name, or the joiner's host when it is a name (SNI carries no address).
     */
    private List<SNIServerName> serverNames(String host) {
        Optional<String> sni = material.settings().options().sni();
        if (sni.isEmpty()) {
            return List.of();
        }
        String name = sni.get().isEmpty() ? host : sni.get();
        if (name.isEmpty() || name.contains(":") || name.matches("[0-9.]+")) {
            return List.of();
        }
        return List.of(new SNIHostName(name));
    }

    /** Our own certificate (the leaf): its CN goes into the joiner's address in a VERIFY ssl-mode. */
    public X509Certificate certificate() {
        return material.chain().get(0);
    }

    /**
     * After the handshake: protocol, suite, the peer's certificate, the name checked in it
     * (donor), and whether it resumed a session of this channel's (then the certificate was
     * verified by that earlier handshake, and is the same).
     */
    public Session session(SSLEngine s, Optional<String> checkedName) {
        SSLSession ss = s.getSession();
        boolean resumed = !sessionsMade.add(ss.getCreationTime());
        Optional<String> subject = Optional.empty();
        Optional<String> fingerprint = Optional.empty();
        try {
            X509Certificate peer = (X509Certificate) ss.getPeerCertificates()[0];
            // the peer's own text: recorded and shown by sst-admin, so its control characters escaped
            subject = Optional.of(Printable.escape(peer.getSubjectX500Principal().getName()));
            fingerprint = Optional.of(HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(peer.getEncoded())));
        } catch (SSLPeerUnverifiedException e) {
            // the peer sent no certificate (allowed only without a CA)
        } catch (GeneralSecurityException e) {
            subject = Optional.of("(unreadable certificate: " + e.getMessage() + ")");
        }
        Optional<String> sni = ss instanceof javax.net.ssl.ExtendedSSLSession e && !s.getUseClientMode()
                ? e.getRequestedServerNames().stream().filter(n -> n instanceof SNIHostName)
                .map(n -> ((SNIHostName) n).getAsciiName()).findFirst() : Optional.empty();
        return new Session(ss.getProtocol(), ss.getCipherSuite(), subject, fingerprint, checkedName, resumed, sni);
    }

    private String handshakeFailure(String peer, SSLException e) {
        String m = String.valueOf(e.getMessage());
        Throwable cause = e.getCause();
        if (cause instanceof CertificateException ce) {
            return "the " + peer + "'s certificate was refused: " + ce.getMessage() + " (checked against "
                    + settingNames.get(1) + ")";
        }
        if (m.contains("Received fatal alert")) {
            return "the " + peer + " refused the TLS handshake (" + m.substring(m.indexOf("Received fatal alert"))
                    + "): it does not trust this node's certificate (" + settingNames.get(0) + ") or cannot agree on a"
                    + " protocol; see the " + peer + "'s log";
        }
        if (m.contains("Empty client certificate chain") || m.contains("null cert chain")) {
            return "the donor sent no certificate; with a CA (" + settingNames.get(1) + ") this joiner requires one, as"
                    + " socat's verify=1 does";
        }
        if (m.contains("Unsupported or unrecognized SSL message")) {
            return "the " + peer + " does not speak TLS (" + m + ")";
        }
        if (m.contains("terminated the handshake")) {
            return "the " + peer + " closed the connection during the TLS handshake: it refused this node's certificate ("
                    + settingNames.get(0) + ") or does not speak TLS; see the " + peer + "'s log";
        }
        return "the TLS handshake with the " + peer + " failed: " + m;
    }

    private static boolean startsWith(byte[] b, String prefix) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith(prefix);
    }

    /** Our one certificate chain and key, offered whatever the peer's CA list says (as socat offers its cert=). */
    private static final class OneKey extends X509ExtendedKeyManager {
        private static final String ALIAS = "sst";
        private final X509Certificate[] chain;
        private final PrivateKey key;

        OneKey(List<X509Certificate> chain, PrivateKey key) {
            this.chain = chain.toArray(new X509Certificate[0]);
            this.key = key;
        }

        private String forType(String keyType) {
            String k = key.getAlgorithm();
            boolean fits = keyType.equals(k) || keyType.equals("EC") && k.equals("ECDSA")
                    || (keyType.equals("EdDSA") && (k.equals("Ed25519") || k.equals("Ed448")));
            return fits ? ALIAS : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return forType(keyType) == null ? null : new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            for (String t : keyTypes) {
                if (forType(t) != null) {
                    return ALIAS;
                }
            }
            return null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return chooseClientAlias(keyTypes, issuers, null);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return forType(keyType);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return forType(keyType);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }

    /**
     * The CAs of ssl-ca/ssl-capath through the JDK's PKIX trust manager (chain, dates, key
     * usage, the purpose of the peer's role), then on the donor the name; no CA: no check.
     */
    private static final class Verifier extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager pkix;
        private final X509Certificate[] issuers;
        private final Optional<String> name;

        Verifier(List<X509Certificate> anchors, Optional<String> name) throws GeneralSecurityException {
            this.issuers = anchors.toArray(new X509Certificate[0]);
            this.name = name;
            if (anchors.isEmpty()) {
                this.pkix = null;
                return;
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try {
                ks.load(null, null);
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
            int i = 0;
            for (X509Certificate a : anchors) {
                ks.setCertificateEntry("ca" + i++, a);
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(ks);
            X509ExtendedTrustManager found = null;
            for (var tm : f.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    found = x;
                }
            }
            this.pkix = found;
        }

        /** The dates first, so that an expired peer is told as such (PKIX says "validity check failed"). */
        private static void dates(X509Certificate[] chain) throws CertificateException {
            for (X509Certificate c : chain) {
                try {
                    c.checkValidity();
                } catch (java.security.cert.CertificateExpiredException e) {
                    throw new CertificateException("the certificate " + Printable.escape(c.getSubjectX500Principal().getName())
                            + " expired on " + c.getNotAfter().toInstant(), e);
                } catch (java.security.cert.CertificateNotYetValidException e) {
                    throw new CertificateException("the certificate " + Printable.escape(c.getSubjectX500Principal().getName())
                            + " is not valid before " + c.getNotBefore().toInstant(), e);
                }
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("not used with a socket");
        }

        private void checkName(X509Certificate peer) throws CertificateException {
            if (name.isPresent()) {
                Optional<String> why = PeerName.mismatch(peer, name.get());
                if (why.isPresent()) {
                    throw new CertificateException(why.get());
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("not used with a socket");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            if (pkix != null) {
                dates(chain);
                pkix.checkClientTrusted(chain, authType, engine);
                checkName(chain[0]);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            if (pkix == null) {
                return;
            }
            dates(chain);
            pkix.checkServerTrusted(chain, authType, engine);
            checkName(chain[0]);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not used without a socket");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not used without a socket");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return issuers.clone();
        }
    }
}
