package org.sstorchestrator.states.tls;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Printable;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.TlsOptions;

/**
 * TLS between donor and joiner with the JDK's own provider (JSSE: 0.83 GB/s here; java-notes.md
 * measured BouncyCastle's bctls at 0.08), set up from the PEM material of {@link TlsMaterial},
 * as socat sets it up for the stock script (notes/tls-stream-spec.md A2): the joiner is the
 * server and, when it has a CA, requires and verifies the donor's certificate (socat's
 * verify=1); the donor is the client, sends no SNI (no-sni=1), verifies the joiner's chain
 * when it has a CA and then the name {@link PeerName#expected} chose; without a CA nobody
 * verifies anybody (verify=0). Our certificate goes with its whole chain from the file.
 *
 * <p>Failing closed: a peer whose handshake fails, or that speaks cleartext, ends the run
 * (32, the stock code for a transfer that failed), with the reason; nothing is ever sent or
 * taken in cleartext instead. A TLS stream must end with the peer's close_notify: one cut
 * short (a truncation) is an error, not an end of data.
 */
public final class TlsChannel {

    static {
        // read once, when JSSE's socket class loads: without it a TCP close is taken as the end of the data
        System.setProperty("com.sun.net.ssl.requireCloseNotify", "true");
    }

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

    private static final int READ_BUFFER = 256 * 1024;

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
     * Joiner: the TLS server over an accepted connection. The first bytes are looked at before
     * the handshake, so that a donor sending cleartext is told apart from a failed handshake.
     */
    public SSLSocket serverSide(Socket plain, Duration timeout, String what) {
        try {
            plain.setSoTimeout(millis(timeout));
            // JSSE reads a record as a 5-byte header and then its body, two reads of the socket
            // for each 16 KB; through a buffer it takes what has arrived, several records at once
            BufferedInputStream in = new BufferedInputStream(plain.getInputStream(), READ_BUFFER);
            in.mark(5);
            byte[] first = in.readNBytes(5);
            in.reset();
            if (first.length == 0) {
                throw peer(what, "the donor closed the connection before the TLS handshake (is it refusing this joiner,"
                        + " or not configured for TLS?)", null);
            }
            if (first[0] != 0x16) { // not a TLS handshake record
                throw peer(what, "the donor sent cleartext where a TLS handshake was expected (its first bytes: "
                        + Printable.bytes(first) + (startsWith(first, "XBSTC") ? ", an mbstream" : "")
                        + "): set encrypt and ssl-mode on the donor as on this joiner (" + material.settings().describe()
                        + ")", null);
            }
            // given as the bytes already read, the buffer is where JSSE reads the whole stream from
            SSLSocket s = (SSLSocket) server.getSocketFactory().createSocket(plain, in, true);
            s.setUseClientMode(false);
            restrict(s);
            s.setNeedClientAuth(material.settings().verifiesPeer());
            s.startHandshake();
            s.setSoTimeout(0);
            return s;
        } catch (SocketTimeoutException e) {
            throw peer(what, "the TLS handshake with the donor did not complete within " + timeout.toSeconds() + " s", e);
        } catch (SSLException e) {
            throw peer(what, handshakeFailure("donor", e), e);
        } catch (IOException e) {
            throw peer(what, "the donor ended the TLS handshake (" + e.getMessage() + "): it did not accept this joiner's"
                    + " certificate (" + settingNames.get(0) + ") or does not speak TLS; see the donor's log", e);
        }
    }

    /** Donor: the TLS client over a connected socket; {@code name} empty checks the chain only. */
    public SSLSocket clientSide(Socket plain, String host, Optional<String> name, Duration timeout, String what) {
        try {
            plain.setSoTimeout(millis(timeout));
            CoalescingSocket gathered = new CoalescingSocket(plain);
            SSLSocket s = (SSLSocket) clients.computeIfAbsent(name, n -> context(material, n)).getSocketFactory()
                    .createSocket(gathered, host, plain.getPort(), true);
            s.setUseClientMode(true);
            restrict(s);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(serverNames(host)); // socat's no-sni=1, unless sockopt says otherwise
            s.setSSLParameters(p);
            s.startHandshake();
            gathered.send(); // our last flight (certificate, Finished): JSSE does not wait for an answer to it
            s.setSoTimeout(0);
            return s;
        } catch (SocketTimeoutException e) {
            throw peer(what, "the TLS handshake with the joiner did not complete within " + timeout.toSeconds()
                    + " s: does the joiner speak TLS (encrypt, ssl-mode on the joiner)?", e);
        } catch (SSLException e) {
            throw peer(what, handshakeFailure("joiner", e), e);
        } catch (IOException e) {
            throw peer(what, "the joiner ended the TLS handshake (" + e.getMessage() + "): it did not accept this donor's"
                    + " certificate (" + settingNames.get(0) + ") or does not speak TLS; see the joiner's log", e);
        }
    }

    /** sockopt's cipher= and min-/max-version (config.SocatTls): the suites and protocols this side offers. */
    private void restrict(SSLSocket s) {
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
    public Session session(SSLSocket s, Optional<String> checkedName) {
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

    private static SstException peer(String what, String why, Throwable cause) {
        return new SstException(ExitCode.EPIPE, what + ": " + why, cause);
    }

    private static int millis(Duration d) {
        return d.isZero() ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
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
            if (pkix != null) {
                dates(chain);
                pkix.checkClientTrusted(chain, authType, socket);
                checkName(chain[0]);
            }
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
            if (pkix == null) {
                return;
            }
            dates(chain);
            pkix.checkServerTrusted(chain, authType, socket);
            checkName(chain[0]);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("not used with SSLEngine");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("not used with SSLEngine");
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
